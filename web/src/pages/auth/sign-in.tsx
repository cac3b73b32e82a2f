// Sign-in (/sign-in): e-mail and password; the server's words when it refuses (wrong password, too
// many tries); `?next=` brings the person back to where they were going, and a session that ended
// under them is said. A link to first-run set-up appears only while the installation has no owner
// yet.
import { useMutation } from "@tanstack/react-query";
import { LogIn } from "lucide-react";
import { useState } from "react";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { api, call } from "../../api/client";
import { useResetSession, useSession, useSetupStatus, type SignInState } from "../../app/session";
import { Button } from "../../ui/button";
import { TextField } from "../../ui/field";
import { ErrorNote } from "../../ui/surface";
import { AuthFrame, linkClass, safeNext } from "./frame";

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const ended = (useLocation().state as SignInState | null)?.sessionEnded === true;
  const session = useSession();
  const setup = useSetupStatus();
  const reset = useResetSession();
  const navigate = useNavigate();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => call(api.POST("/api/v1/session", { body: { email, password } })),
    onSuccess: async (s) => {
      await reset(s);
      void navigate(s.workspaces.length ? next : "/no-workspace", { replace: true });
    },
  });

  // Already signed in (another tab, the back button): go on to where they were going.
  if (session.data && !signIn.isPending && !signIn.isSuccess)
    return <Navigate to={session.data.workspaces.length ? next : "/no-workspace"} replace />;

  return (
    <AuthFrame
      title="Sign in to Atelya"
      description="Your workrooms, agents and client documents are waiting."
      footer={
        setup.data?.setup_needed ? (
          <>
            This installation has no owner yet.{" "}
            <Link to="/setup" className={linkClass}>
              Set up Atelya
            </Link>
          </>
        ) : (
          "No account? Ask a workspace admin for an invite link."
        )
      }
    >
      {ended && (
        <p
          role="status"
          className="rounded-lg border border-warning/40 bg-warning/15 px-3 py-2 text-sm"
        >
          Your session ended; sign in again. You will be back where you were.
        </p>
      )}
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          signIn.mutate();
        }}
      >
        <TextField
          label="E-mail"
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <ErrorNote error={signIn.error} />
        <Button
          type="submit"
          variant="primary"
          busy={signIn.isPending}
          icon={<LogIn className="size-4" aria-hidden />}
        >
          Sign in
        </Button>
      </form>
    </AuthFrame>
  );
}
