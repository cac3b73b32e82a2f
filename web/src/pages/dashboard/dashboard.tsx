// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const DashboardPage = () => <Page title="DashboardPage">{null}</Page>;
