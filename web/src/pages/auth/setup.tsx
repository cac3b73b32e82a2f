// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const SetupPage = () => <Page title="SetupPage">{null}</Page>;
