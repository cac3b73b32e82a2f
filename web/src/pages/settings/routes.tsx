// Placeholder until this area is built (web app foundation).
import type { RouteObject } from "react-router";
import { Page } from "../../ui/surface";

export const settingsRoutes: RouteObject = {
  path: "settings",
  element: <Page title="Settings">{null}</Page>,
};
