// The settings area, mounted at /settings inside the signed-in shell: one layout with a
// sub-navigation and a page per section; /settings itself opens the team.
import { Navigate, type RouteObject } from "react-router";
import { ApiKeysSettings } from "./api-keys";
import { DataSettings } from "./data";
import { ExportProfileSettings } from "./export-profile";
import { SettingsLayout } from "./layout";
import { ModelSettings } from "./models";
import { PlanSettings } from "./plan";
import { TeamSettings } from "./team";
import { ToolSettings } from "./tools";
import { WebhookSettings } from "./webhooks";

export const settingsRoutes: RouteObject = {
  path: "settings",
  element: <SettingsLayout />,
  children: [
    { index: true, element: <Navigate to="team" replace /> },
    { path: "team", element: <TeamSettings /> },
    { path: "export", element: <ExportProfileSettings /> },
    { path: "models", element: <ModelSettings /> },
    { path: "webhooks", element: <WebhookSettings /> },
    { path: "api-keys", element: <ApiKeysSettings /> },
    { path: "plan", element: <PlanSettings /> },
    { path: "tools", element: <ToolSettings /> },
    { path: "data", element: <DataSettings /> },
    { path: "*", element: <Navigate to="/settings/team" replace /> },
  ],
};
