// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const InvitePage = () => <Page title="InvitePage">{null}</Page>;
