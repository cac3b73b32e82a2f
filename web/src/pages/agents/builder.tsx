// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const AgentBuilderPage = () => <Page title="AgentBuilderPage">{null}</Page>;
