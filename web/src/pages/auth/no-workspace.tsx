// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const NoWorkspacePage = () => <Page title="NoWorkspacePage">{null}</Page>;
