// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const CreditsPage = () => <Page title="CreditsPage">{null}</Page>;
