// Accepting an invite (/invite/:token): what the link is for (workspace, e-mail, role), then the
// way in that fits the person: a new account (name and password), an existing one (its password,
// or sign in first), or one click when signed in as the invited address. A used, revoked or
// expired link says so in the server's words.
import { useMutation, useQuery } from "@tanstack/react-query";
import { LogOut, MailCheck, UserPlus } from "lucide-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { api, call, type Schemas } from "../../api/client";
import { useResetSession, useSession, type Session } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button, ButtonLink } from "../../ui/button";
import { TextField } from "../../ui/field";
import { date } from "../../ui/format";
import { ErrorNote, Skeleton } from "../../ui/surface";
import { AuthFrame, linkClass } from "./frame";
import { PASSWORD_HINT, PASSWORD_MAX, passwordProblems } from "./password";

type Preview = Schemas["InvitePreview"];

const ROLE_SAYS: Record<Preview["role"], string> = {
  owner: "Owner",
  admin: "Admin — everything, including members, credits and settings",
  member: "Member — create and run workrooms, revise, export, manage agents",
  viewer: "Viewer — read workrooms, deliverables and activity",
};

export function InvitePage() {
  const { token = "" } = useParams();
  const preview = useQuery({
    queryKey: ["invite", token],
    queryFn: () =>
      call(api.GET("/api/v1/invites/{invite}", { params: { path: { invite: token } } })),
    staleTime: Infinity,
  });
  const session = useSession();
  if (preview.isPending || session.isPending)
    return (
      <AuthFrame title="Your invitation">
        <div role="status" aria-label="Loading the invite" className="flex flex-col gap-3">
          <Skeleton className="h-16 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      </AuthFrame>
    );
  if (preview.isError)
    return (
      <AuthFrame title="This invite cannot be used">
        <ErrorNote error={preview.error} />
        <p className="text-sm text-muted">
          Invite links work once and for 7 days. Ask the person who invited you for a new link.
        </p>
        <ButtonLink to="/sign-in">Go to sign-in</ButtonLink>
      </AuthFrame>
    );
  const invite = preview.data;
  return (
    <AuthFrame
      title={`Join ${invite.workspace.name}`}
      description="You have been invited to work in this Atelya workspace."
    >
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg bg-surface-2 px-4 py-3 text-sm">
        <dt className="text-muted">Workspace</dt>
        <dd className="font-medium">{invite.workspace.name}</dd>
        <dt className="text-muted">For</dt>
        <dd className="font-medium break-all">{invite.email}</dd>
        <dt className="text-muted">Role</dt>
        <dd>
          <Badge tone="primary">{invite.role}</Badge>
          <span className="mt-1 block text-xs text-muted">{ROLE_SAYS[invite.role]}</span>
        </dd>
        <dt className="text-muted">Valid until</dt>
        <dd>{date(invite.expires_at)}</dd>
      </dl>
      <Accept token={token} invite={invite} session={session.data ?? null} />
    </AuthFrame>
  );
}

/** Signed in: joins, then acts in the new workspace. Signed out: the accept call signed us in. */
function useAccept(token: string, signedIn: boolean) {
  const reset = useResetSession();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (body: { name?: string; password?: string }) => {
      const { workspace } = await call(
        api.POST("/api/v1/invites/{token}/accept", { params: { path: { token } }, body }),
      );
      return signedIn
        ? call(api.PUT("/api/v1/session/workspace", { body: { workspace_id: workspace.id } }))
        : call(api.GET("/api/v1/session"));
    },
    onSuccess: async (session: Session) => {
      await reset(session);
      void navigate("/", { replace: true });
    },
  });
}

function Accept({
  token,
  invite,
  session,
}: {
  token: string;
  invite: Preview;
  session: Session | null;
}) {
  if (session) {
    if (session.user.email.toLowerCase() === invite.email.toLowerCase())
      return <AcceptSignedIn token={token} session={session} />;
    return <WrongAccount session={session} invite={invite} />;
  }
  return invite.has_account ? (
    <AcceptExisting token={token} invite={invite} />
  ) : (
    <AcceptNew token={token} invite={invite} />
  );
}

function AcceptSignedIn({ token, session }: { token: string; session: Session }) {
  const accept = useAccept(token, true);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        You are signed in as <strong>{session.user.name}</strong> ({session.user.email}).
      </p>
      <ErrorNote error={accept.error} />
      <Button
        variant="primary"
        busy={accept.isPending}
        onClick={() => accept.mutate({})}
        icon={<MailCheck className="size-4" aria-hidden />}
      >
        Accept and join
      </Button>
    </div>
  );
}

function WrongAccount({ session, invite }: { session: Session; invite: Preview }) {
  const reset = useResetSession();
  const signOut = useMutation({
    mutationFn: () => call(api.DELETE("/api/v1/session")),
    onSuccess: () => reset(null),
  });
  return (
    <div className="flex flex-col gap-4">
      <p className="rounded-lg border border-warning/40 bg-warning/10 px-4 py-3 text-sm">
        You are signed in as <strong>{session.user.email}</strong>, but this invite is for{" "}
        <strong>{invite.email}</strong>. Sign out, then accept it with that address.
      </p>
      <ErrorNote error={signOut.error} />
      <div className="flex flex-wrap gap-2">
        <Button
          variant="primary"
          busy={signOut.isPending}
          onClick={() => signOut.mutate()}
          icon={<LogOut className="size-4" aria-hidden />}
        >
          Sign out
        </Button>
        <ButtonLink to="/">Back to my workspace</ButtonLink>
      </div>
    </div>
  );
}

function AcceptExisting({ token, invite }: { token: string; invite: Preview }) {
  const accept = useAccept(token, false);
  const [password, setPassword] = useState("");
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        accept.mutate({ password });
      }}
    >
      <p className="text-sm">
        {invite.email} already has an Atelya account. Enter its password to join, or{" "}
        <Link to={`/sign-in?next=${encodeURIComponent(`/invite/${token}`)}`} className={linkClass}>
          sign in first
        </Link>
        .
      </p>
      <input type="hidden" name="email" autoComplete="username" value={invite.email} />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ErrorNote error={accept.error} />
      <Button
        type="submit"
        variant="primary"
        busy={accept.isPending}
        icon={<MailCheck className="size-4" aria-hidden />}
      >
        Join {invite.workspace.name}
      </Button>
    </form>
  );
}

function AcceptNew({ token, invite }: { token: string; invite: Preview }) {
  const accept = useAccept(token, false);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const problem = passwordProblems(password, confirm);
  const blocked = problem.password !== null || problem.confirm !== null;
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) accept.mutate({ name, password });
      }}
    >
      <p className="text-sm">Create your account to join. You will sign in as {invite.email}.</p>
      <input type="hidden" name="email" autoComplete="username" value={invite.email} />
      <TextField
        label="Your name"
        autoComplete="name"
        required
        autoFocus
        maxLength={120}
        value={name}
        onChange={(e) => setName(e.target.value)}
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        hint={PASSWORD_HINT}
        error={problem.password}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={PASSWORD_MAX}
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        error={problem.confirm}
      />
      <ErrorNote error={accept.error} />
      <Button
        type="submit"
        variant="primary"
        busy={accept.isPending}
        disabled={blocked}
        icon={<UserPlus className="size-4" aria-hidden />}
      >
        Create account and join
      </Button>
    </form>
  );
}
