// The app's pages by address. Each area of pages/ exports its page components; the signed-in
// ones render inside the shell behind the session gate.
import { createBrowserRouter, type RouteObject } from "react-router";
import { AgentBuilderPage } from "../pages/agents/builder";
import { AgentsPage } from "../pages/agents/list";
import { InvitePage } from "../pages/auth/invite";
import { NoWorkspacePage } from "../pages/auth/no-workspace";
import { SetupPage } from "../pages/auth/setup";
import { SignInPage } from "../pages/auth/sign-in";
import { CreditsPage } from "../pages/credits/credits";
import { InsightsPage } from "../pages/credits/insights";
import { DashboardPage } from "../pages/dashboard/dashboard";
import { NewWorkroomPage } from "../pages/new-workroom/new-workroom";
import { NotFoundPage } from "../pages/not-found";
import { settingsRoutes } from "../pages/settings/routes";
import { WorkroomPage } from "../pages/workroom/workroom";
import { AppShell, RequireSession } from "./shell";

export const routes: RouteObject[] = [
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/setup", element: <SetupPage /> },
  { path: "/invite/:token", element: <InvitePage /> },
  { path: "/no-workspace", element: <NoWorkspacePage /> },
  {
    element: (
      <RequireSession>
        <AppShell />
      </RequireSession>
    ),
    children: [
      { index: true, element: <DashboardPage /> },
      { path: "workrooms/new", element: <NewWorkroomPage /> },
      { path: "workrooms/:id", element: <WorkroomPage /> },
      { path: "agents", element: <AgentsPage /> },
      { path: "agents/new", element: <AgentBuilderPage /> },
      { path: "agents/:id", element: <AgentBuilderPage /> },
      { path: "credits", element: <CreditsPage /> },
      { path: "insights", element: <InsightsPage /> },
      settingsRoutes,
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];

export const router = createBrowserRouter(routes);
