// Who is signed in and where they act. The session query is the app's root: signed out it is
// null; its CSRF token goes to the API client for writes; `useWorkspace` gives the current
// workspace and the role's permissions from the domain's one table (the server enforces the same).
import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { can, type Action } from "../../../src/domain/roles";
import { api, ApiError, call, setCsrfToken, type Schemas } from "../api/client";

export type Session = Schemas["Session"];
export type MyWorkspace = Schemas["MyWorkspace"];
/** What the session gate tells the sign-in page it sends someone to. */
export interface SignInState {
  /** They were signed in, and the session ended under them. */
  sessionEnded?: boolean;
}

async function loadSession(): Promise<Session | null> {
  try {
    const session = await call(api.GET("/api/v1/session"));
    setCsrfToken(session.csrf_token);
    return session;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw e;
  }
}

export function useSession() {
  return useQuery({ queryKey: ["session"], queryFn: loadSession, staleTime: 60_000 });
}

/**
 * After an answer that may mean the session ended (a 401, a stream the server closed): asks the
 * server again. If it ended (expired, signed out elsewhere), the session becomes null and the
 * session gate sends the person to sign-in, to come back here. A check already under way is
 * joined, not restarted.
 */
export function confirmSession(qc: QueryClient): void {
  if (qc.getQueryData<Session | null>(["session"]))
    void qc.refetchQueries({ queryKey: ["session"], type: "active" }, { cancelRefetch: false });
}

export function useSetupStatus() {
  return useQuery({
    queryKey: ["setup"],
    queryFn: () => call(api.GET("/api/v1/setup")),
    staleTime: Infinity,
  });
}

/** After sign-in, sign-out or a workspace switch: everything cached belonged to someone else. */
export function useResetSession() {
  const qc = useQueryClient();
  return useCallback(
    async (next?: Session | null) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== "session" });
      if (next !== undefined) {
        setCsrfToken(next?.csrf_token ?? null);
        qc.setQueryData(["session"], next);
      } else await qc.invalidateQueries({ queryKey: ["session"] });
    },
    [qc],
  );
}

export interface CurrentWorkspace {
  session: Session;
  workspace: MyWorkspace;
  role: MyWorkspace["role"];
  can: (action: Action) => boolean;
}

/** The signed-in person's current workspace; only inside the signed-in layout. */
export function useWorkspace(): CurrentWorkspace {
  const { data: session } = useSession();
  if (!session) throw new Error("useWorkspace outside the signed-in layout");
  const workspace =
    session.workspaces.find((w) => w.id === session.current_workspace_id) ?? session.workspaces[0];
  if (!workspace) throw new Error("signed in without a workspace");
  return { session, workspace, role: workspace.role, can: (a) => can(workspace.role, a) };
}
