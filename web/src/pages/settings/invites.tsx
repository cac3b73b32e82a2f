// Invites by link (owners and admins): create one for an e-mail address and a role, see its link
// once with a Copy button (Atelya sends no e-mail), list the pending ones and revoke them.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MailPlus, Send } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call, type Schemas } from "../../api/client";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog } from "../../ui/dialog";
import { SelectField, TextField } from "../../ui/field";
import { date } from "../../ui/format";
import { Card, CardBody, CardHeader, EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { ROLE_HINT, ROLE_LABEL, ShownOnce } from "./common";
import { seatsFull, useMembers, type Overview } from "./queries";

type Invite = Schemas["InviteList"]["invites"][number];
type InviteRole = "admin" | "member" | "viewer";

/** The link to send: the server's, made absolute on this origin when no public URL is set. */
const absolute = (url: string) => new URL(url, window.location.origin).toString();

function InviteForm({ overview }: { overview: Overview | undefined }) {
  const qc = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<InviteRole>("member");
  const [created, setCreated] = useState<Schemas["CreatedInvite"] | null>(null);
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/v1/invites", { body: { email, role } })),
    onSuccess: async (c) => {
      setCreated(c);
      setEmail("");
      toast.success(`Invite link for ${c.invite.email} created`);
      await qc.invalidateQueries({ queryKey: ["invites"] });
      await qc.invalidateQueries({ queryKey: ["workspace-overview"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <TextField
          label="E-mail address"
          type="email"
          required
          autoComplete="off"
          placeholder="dana@agency.example"
          className="flex-1"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <SelectField
          label="Role"
          className="sm:w-40"
          value={role}
          hint={ROLE_HINT[role]}
          onChange={(e) => setRole(e.target.value as InviteRole)}
        >
          {(["admin", "member", "viewer"] as const).map((r) => (
            <option key={r} value={r}>
              {ROLE_LABEL[r]}
            </option>
          ))}
        </SelectField>
        <Button
          type="submit"
          variant="primary"
          className="sm:mt-6"
          busy={create.isPending}
          icon={<Send className="size-4" aria-hidden />}
        >
          Create invite link
        </Button>
      </form>
      {overview && seatsFull(overview) && !create.error && (
        <p className="text-sm text-muted">
          Every seat is taken: a new invite is refused until there is room (inviting an address that
          already has a pending invite replaces it).
        </p>
      )}
      <ErrorNote error={create.error} title="The invite was not created" />
      {created && (
        <ShownOnce
          label="Invite link"
          value={absolute(created.url)}
          onDone={() => setCreated(null)}
        >
          <p className="font-medium">
            Send this link to {created.invite.email} yourself — Atelya sends no e-mail.
          </p>
          <p className="text-muted">
            It is shown only now. It works once, until {date(created.invite.expires_at)} (7 days),
            and makes them {created.invite.role === "admin" ? "an" : "a"}{" "}
            {ROLE_LABEL[created.invite.role].toLowerCase()}.
          </p>
        </ShownOnce>
      )}
    </div>
  );
}

function InviteRow({ invite, inviter }: { invite: Invite; inviter: string }) {
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  return (
    <li className="flex flex-col gap-2 py-3 sm:flex-row sm:items-center">
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">{invite.email}</p>
        <p className="text-xs text-muted">
          Invited by {inviter} on {date(invite.created_at)} · expires {date(invite.expires_at)}
        </p>
      </div>
      <div className="flex items-center gap-2">
        <Badge>{ROLE_LABEL[invite.role]}</Badge>
        <Button size="sm" variant="ghost" onClick={() => setConfirm(true)}>
          Revoke<span className="sr-only"> the invite for {invite.email}</span>
        </Button>
      </div>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Revoke the invite for ${invite.email}?`}
        confirmLabel="Revoke invite"
        danger
        onConfirm={async () => {
          await call(
            api.DELETE("/api/v1/invites/{invite}", { params: { path: { invite: invite.id } } }),
          );
          toast.success(`The invite for ${invite.email} was revoked`);
          await qc.invalidateQueries({ queryKey: ["invites"] });
          await qc.invalidateQueries({ queryKey: ["workspace-overview"] });
        }}
      >
        <p>The link stops working at once and its seat is free again.</p>
      </ConfirmDialog>
    </li>
  );
}

export function Invites({ overview }: { overview: Overview | undefined }) {
  const invites = useQuery({
    queryKey: ["invites"],
    queryFn: () => call(api.GET("/api/v1/invites")),
  });
  const members = useMembers();
  const nameOf = (id: string) =>
    members.data?.members.find((m) => m.user.id === id)?.user.name ?? "a former member";
  const list = invites.data?.invites ?? [];
  return (
    <Card>
      <CardHeader
        level={3}
        title="Invites"
        description="An invite is a link that works once, for 7 days. Pending invites hold a seat."
      />
      <CardBody className="flex flex-col gap-5">
        <InviteForm overview={overview} />
        <div className="flex flex-col gap-2">
          <h4 className="text-sm font-semibold">Pending invites</h4>
          {invites.isPending ? (
            <LoadingRows rows={2} label="Loading invites" />
          ) : !invites.data ? (
            <ErrorNote
              error={invites.error}
              title="The invites could not be loaded"
              retry={() => void invites.refetch()}
            />
          ) : list.length === 0 ? (
            <EmptyState icon={MailPlus} title="No pending invites">
              Invite a colleague above; they join with the role you choose.
            </EmptyState>
          ) : (
            <ul aria-label="Pending invites" className="divide-y divide-border">
              {list.map((i) => (
                <InviteRow key={i.id} invite={i} inviter={nameOf(i.invited_by)} />
              ))}
            </ul>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
