// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const InsightsPage = () => <Page title="InsightsPage">{null}</Page>;
