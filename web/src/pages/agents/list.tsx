// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const AgentsPage = () => <Page title="AgentsPage">{null}</Page>;
