// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const NewWorkroomPage = () => <Page title="NewWorkroomPage">{null}</Page>;
