// Placeholder until this area is built (web app foundation).
import { Page } from "../../ui/surface";
export const WorkroomPage = () => <Page title="WorkroomPage">{null}</Page>;
