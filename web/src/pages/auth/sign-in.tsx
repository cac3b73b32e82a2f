// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const SignInPage = () => <Page title="SignInPage">{null}</Page>;
