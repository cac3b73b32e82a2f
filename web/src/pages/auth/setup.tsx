// First-run set-up (/setup): the installation's owner account and its workspace, then the owner is
// signed in and lands on the dashboard. Once an owner exists the page says so and links to sign-in.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2, Rocket } from "lucide-react";
import { useState } from "react";
import { Navigate, useNavigate } from "react-router";
import { api, call } from "../../api/client";
import { useResetSession, useSession, useSetupStatus } from "../../app/session";
import { Button, ButtonLink } from "../../ui/button";
import { TextField } from "../../ui/field";
import { ErrorNote, Skeleton } from "../../ui/surface";
import { AuthFrame } from "./frame";
import { PASSWORD_HINT, PASSWORD_MAX, passwordProblems } from "./password";

export function SetupPage() {
  const setup = useSetupStatus();
  const session = useSession();
  if (setup.isPending)
    return (
      <AuthFrame title="Set up Atelya">
        <div role="status" aria-label="Loading" className="flex flex-col gap-3">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      </AuthFrame>
    );
  if (setup.isError)
    return (
      <AuthFrame title="Set up Atelya">
        <ErrorNote
          error={setup.error}
          title="Atelya could not be reached"
          retry={() => void setup.refetch()}
        />
      </AuthFrame>
    );
  if (!setup.data.setup_needed) {
    if (session.data?.workspaces.length) return <Navigate to="/" replace />;
    return (
      <AuthFrame
        title="Atelya is set up"
        description="This installation already has its owner, so there is nothing to set up."
      >
        <div className="flex items-start gap-3 rounded-lg bg-success/10 px-4 py-3 text-sm">
          <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
          <p>Sign in with your account, or ask a workspace admin for an invite link.</p>
        </div>
        <ButtonLink to="/sign-in" variant="primary">
          Go to sign-in
        </ButtonLink>
      </AuthFrame>
    );
  }
  return <SetupForm />;
}

function SetupForm() {
  const reset = useResetSession();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [form, setForm] = useState({ name: "", email: "", password: "", confirm: "", ws: "" });
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const problem = passwordProblems(form.password, form.confirm);
  const blocked = problem.password !== null || problem.confirm !== null;
  const create = useMutation({
    mutationFn: () =>
      call(
        api.POST("/api/v1/setup", {
          body: {
            name: form.name,
            email: form.email,
            password: form.password,
            workspace_name: form.ws,
          },
        }),
      ),
    onSuccess: async (session) => {
      await reset(session);
      qc.setQueryData(["setup"], { setup_needed: false });
      void navigate("/", { replace: true });
    },
  });
  return (
    <AuthFrame
      title="Set up Atelya"
      description="Create the owner account and your agency's workspace. You can invite your team next."
    >
      <form
        className="flex flex-col gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!blocked && form.password === form.confirm) create.mutate();
        }}
      >
        <TextField
          label="Your name"
          name="name"
          autoComplete="name"
          required
          autoFocus
          maxLength={120}
          value={form.name}
          onChange={set("name")}
        />
        <TextField
          label="E-mail"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set("email")}
          hint="You sign in with this address."
        />
        <TextField
          label="Password"
          type="password"
          name="new-password"
          autoComplete="new-password"
          required
          maxLength={PASSWORD_MAX}
          value={form.password}
          onChange={set("password")}
          hint={PASSWORD_HINT}
          error={problem.password}
        />
        <TextField
          label="Confirm password"
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          required
          maxLength={PASSWORD_MAX}
          value={form.confirm}
          onChange={set("confirm")}
          error={problem.confirm}
        />
        <TextField
          label="Workspace name"
          name="workspace"
          autoComplete="organization"
          required
          maxLength={120}
          placeholder="e.g. Northwind Studio"
          value={form.ws}
          onChange={set("ws")}
          hint="Usually your agency's name; it appears to everyone you invite."
        />
        <ErrorNote error={create.error} />
        <Button
          type="submit"
          variant="primary"
          busy={create.isPending}
          disabled={blocked}
          icon={<Rocket className="size-4" aria-hidden />}
        >
          Create workspace
        </Button>
      </form>
    </AuthFrame>
  );
}
