// For a signed-in person who belongs to no workspace (removed from their last one): what that
// means, how to get in (an invite link), and signing out. (Making a workspace of their own is for
// the owners and admins of a workspace here, which this person is not.)
import { useMutation } from "@tanstack/react-query";
import { LogOut } from "lucide-react";
import { Navigate, useNavigate } from "react-router";
import { api, call } from "../../api/client";
import { useResetSession, useSession } from "../../app/session";
import { Button } from "../../ui/button";
import { ErrorNote, Skeleton } from "../../ui/surface";
import { AuthFrame } from "./frame";

export function NoWorkspacePage() {
  const session = useSession();
  const reset = useResetSession();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/session")),
    onSuccess: async () => {
      await reset(null);
      void navigate("/sign-in", { replace: true });
    },
  });

  if (session.isPending)
    return (
      <AuthFrame title="No workspace yet">
        <Skeleton className="h-24 w-full" />
      </AuthFrame>
    );
  if (session.data === undefined)
    return (
      <AuthFrame title="No workspace yet">
        <ErrorNote error={session.error} retry={() => void session.refetch()} />
      </AuthFrame>
    );
  if (!session.data && !signOut.isSuccess) return <Navigate to="/sign-in" replace />;
  if (session.data && session.data.workspaces.length > 0) return <Navigate to="/" replace />;
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
        To join your team, ask one of its admins for an invite link and open it while signed in. New
        workspaces are made by the owners and admins of this installation&apos;s workspaces.
      </p>
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
