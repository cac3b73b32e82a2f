// For a signed-in person who belongs to no workspace (removed from their last one, or an account
// made from the CLI): what that means, how to get in (an invite link), starting a workspace of
// their own, and signing out.
import { useMutation } from "@tanstack/react-query";
import { Building2, LogOut } from "lucide-react";
import { useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { api, call } from "../../api/client";
import { useResetSession, useSession } from "../../app/session";
import { Button } from "../../ui/button";
import { TextField } from "../../ui/field";
import { ErrorNote, Skeleton } from "../../ui/surface";
import { AuthFrame } from "./frame";

export function NoWorkspacePage() {
  const session = useSession();
  const reset = useResetSession();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const signOut = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/session")),
    onSuccess: async () => {
      await reset(null);
      void navigate("/sign-in", { replace: true });
    },
  });
  const create = useMutation({
    mutationFn: async () => {
      const ws = await call(api.POST("/api/v1/workspaces", { body: { name } }));
      return call(api.PUT("/api/v1/session/workspace", { body: { workspace_id: ws.id } }));
    },
    onSuccess: async (next) => {
      await reset(next);
      void navigate("/", { replace: true });
    },
  });

  if (session.isPending)
    return (
      <AuthFrame title="No workspace yet">
        <Skeleton className="h-24 w-full" />
      </AuthFrame>
    );
  if (session.isError)
    return (
      <AuthFrame title="No workspace yet">
        <ErrorNote error={session.error} retry={() => void session.refetch()} />
      </AuthFrame>
    );
  if (!session.data && !signOut.isSuccess) return <Navigate to="/sign-in" replace />;
  if (session.data && session.data.workspaces.length > 0 && !create.isSuccess)
    return <Navigate to="/" replace />;
  const user = session.data?.user;

  return (
    <AuthFrame
      title="You are not in a workspace"
      description={
        user && (
          <>
            Signed in as <strong className="text-fg">{user.name}</strong> ({user.email}).
          </>
        )
      }
    >
      <p className="text-sm">
        Your account belongs to no workspace right now — perhaps you were removed from the last one.
        To join your team, ask one of its admins for an invite link and open it while signed in.
      </p>
      <form
        className="flex flex-col gap-3 border-t border-border pt-4"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <TextField
          label="Or start a workspace of your own"
          required
          maxLength={120}
          placeholder="e.g. Northwind Studio"
          value={name}
          onChange={(e) => setName(e.target.value)}
          hint="You become its owner and can invite others."
        />
        <ErrorNote error={create.error} />
        <Button
          type="submit"
          variant="primary"
          busy={create.isPending}
          icon={<Building2 className="size-4" aria-hidden />}
        >
          Create workspace
        </Button>
      </form>
      <ErrorNote error={signOut.error} />
      <Button
        variant="ghost"
        busy={signOut.isPending}
        onClick={() => signOut.mutate()}
        icon={<LogOut className="size-4" aria-hidden />}
      >
        Sign out
      </Button>
    </AuthFrame>
  );
}
