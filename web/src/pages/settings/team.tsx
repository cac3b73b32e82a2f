// Team: the seats the plan allows, the members and their roles (owners and admins change roles and
// remove people; the owner hands over ownership; anyone but the owner can leave), and invites.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Crown, LogOut, UserMinus, Users } from "lucide-react";
import { useState } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { api, call, type Schemas } from "../../api/client";
import { useResetSession, useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog, Dialog } from "../../ui/dialog";
import { SelectField } from "../../ui/field";
import { date } from "../../ui/format";
import { Card, CardBody, CardHeader, EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { ROLE_HINT, ROLE_LABEL, SectionHeader, type Role } from "./common";
import { Invites } from "./invites";
import { useMembers, useWorkspaceOverview } from "./queries";
import { SeatsCard } from "./seats";

type Member = Schemas["Member"];
type AssignableRole = Exclude<Role, "owner">;
const ASSIGNABLE: AssignableRole[] = ["admin", "member", "viewer"];

function initials(name: string) {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join("");
}

function MemberRow({ member, members }: { member: Member; members: Member[] }) {
  const { session, can } = useWorkspace();
  const qc = useQueryClient();
  const reset = useResetSession();
  const navigate = useNavigate();
  const [confirm, setConfirm] = useState<"remove" | "leave" | null>(null);
  const me = member.user.id === session.user.id;
  const manageable = can("members.manage") && member.role !== "owner";
  const name = member.user.name;

  const changeRole = useMutation({
    mutationFn: (role: AssignableRole) =>
      call(
        api.PATCH("/api/v1/members/{user_id}", {
          params: { path: { user_id: member.user.id } },
          body: { role },
        }),
      ),
    onSuccess: async (m) => {
      toast.success(`${m.user.name} is now ${m.role === "admin" ? "an" : "a"} ${m.role}`);
      await qc.invalidateQueries({ queryKey: ["members"] });
      if (me) await qc.invalidateQueries({ queryKey: ["session"] });
    },
  });

  const remove = async () => {
    await call(
      api.DELETE("/api/v1/members/{user_id}", { params: { path: { user_id: member.user.id } } }),
    );
    toast.success(`${name} was removed from the workspace`);
    await qc.invalidateQueries({ queryKey: ["members"] });
    await qc.invalidateQueries({ queryKey: ["workspace-overview"] });
  };
  const leave = async () => {
    await call(api.DELETE("/api/v1/members/me"));
    toast.success("You left the workspace");
    await reset();
    void navigate("/");
  };

  return (
    <li className="flex flex-col gap-3 py-3 sm:flex-row sm:items-center">
      <div className="flex min-w-0 flex-1 items-center gap-3">
        <span
          aria-hidden
          className="grid size-9 shrink-0 place-items-center rounded-full bg-primary/10 text-sm font-semibold text-primary"
        >
          {initials(name)}
        </span>
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            <span className="truncate">{name}</span>
            {me && <Badge>You</Badge>}
          </p>
          <p className="truncate text-xs text-muted">
            {member.user.email} · joined {date(member.joined_at)}
          </p>
        </div>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {manageable ? (
          <SelectField
            label={`Role of ${name}`}
            hideLabel
            className="w-36"
            value={member.role}
            disabled={changeRole.isPending}
            onChange={(e) => changeRole.mutate(e.target.value as AssignableRole)}
          >
            {ASSIGNABLE.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </SelectField>
        ) : (
          <Badge tone={member.role === "owner" ? "primary" : "neutral"}>
            {member.role === "owner" && <Crown className="size-3" aria-hidden />}
            {ROLE_LABEL[member.role]}
          </Badge>
        )}
        {manageable && !me && (
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Remove ${name}`}
            icon={<UserMinus className="size-4" aria-hidden />}
            onClick={() => setConfirm("remove")}
          >
            <span className="sm:sr-only">Remove</span>
          </Button>
        )}
        {me && member.role !== "owner" && (
          <Button
            size="sm"
            variant="ghost"
            icon={<LogOut className="size-4" aria-hidden />}
            onClick={() => setConfirm("leave")}
          >
            Leave
          </Button>
        )}
      </div>
      {changeRole.error && <ErrorNote error={changeRole.error} className="sm:max-w-sm" />}
      <ConfirmDialog
        open={confirm === "remove"}
        onOpenChange={(o) => setConfirm(o ? "remove" : null)}
        title={`Remove ${name}?`}
        confirmLabel="Remove"
        danger
        onConfirm={remove}
      >
        <p>
          {name} loses access to this workspace at once, and their API keys here stop working. Their
          workrooms stay.
        </p>
        {members.length <= 2 && <p className="text-muted">You can invite them again later.</p>}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "leave"}
        onOpenChange={(o) => setConfirm(o ? "leave" : null)}
        title="Leave this workspace?"
        confirmLabel="Leave workspace"
        danger
        onConfirm={leave}
      >
        <p>
          You lose access to its workrooms at once, and your API keys here are revoked. To come
          back, ask an owner or admin for a new invite.
        </p>
      </ConfirmDialog>
    </li>
  );
}

function TransferOwnership({ members }: { members: Member[] }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const candidates = members.filter((m) => m.role !== "owner");
  const [to, setTo] = useState("");
  const target = candidates.find((m) => m.user.id === to);
  return (
    <>
      <Button
        size="sm"
        icon={<Crown className="size-4" aria-hidden />}
        onClick={() => {
          setTo(candidates[0]?.user.id ?? "");
          setOpen(true);
        }}
      >
        Transfer ownership
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title="Transfer ownership"
        description="The new owner can do everything, including transferring ownership again. You become an admin."
        footer={
          <>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button
              variant="primary"
              disabled={!target}
              onClick={() => {
                setOpen(false);
                setConfirm(true);
              }}
            >
              Continue
            </Button>
          </>
        }
      >
        {candidates.length === 0 ? (
          <p className="text-sm text-muted">
            There is nobody else in the workspace yet. Invite someone first.
          </p>
        ) : (
          <SelectField label="New owner" value={to} onChange={(e) => setTo(e.target.value)}>
            {candidates.map((m) => (
              <option key={m.user.id} value={m.user.id}>
                {m.user.name} ({m.user.email}) — {ROLE_LABEL[m.role]}
              </option>
            ))}
          </SelectField>
        )}
      </Dialog>
      <ConfirmDialog
        open={confirm}
        onOpenChange={setConfirm}
        title={`Make ${target?.user.name ?? "them"} the owner?`}
        confirmLabel="Transfer ownership"
        danger
        onConfirm={async () => {
          await call(api.POST("/api/v1/ownership", { body: { user_id: to } }));
          toast.success(`${target?.user.name ?? "They"} now own the workspace; you are an admin`);
          await qc.invalidateQueries({ queryKey: ["members"] });
          await qc.invalidateQueries({ queryKey: ["session"] });
        }}
      >
        <p>Only the new owner can give ownership back.</p>
      </ConfirmDialog>
    </>
  );
}

function Members() {
  const { can } = useWorkspace();
  const members = useMembers();
  const list = members.data?.members ?? [];
  return (
    <Card>
      <CardHeader
        level={3}
        title="Members"
        description={
          can("members.manage")
            ? "Change a role and it applies at once, to the person and to their API keys."
            : "Who is in this workspace. Owners and admins change roles."
        }
        actions={
          can("ownership.transfer") && list.length > 1 && <TransferOwnership members={list} />
        }
      />
      <CardBody>
        {members.isPending ? (
          <LoadingRows rows={3} label="Loading members" />
        ) : !members.data ? (
          <ErrorNote
            error={members.error}
            title="The members could not be loaded"
            retry={() => void members.refetch()}
          />
        ) : list.length === 0 ? (
          <EmptyState icon={Users} title="Nobody here yet" />
        ) : (
          <ul aria-label="Members" className="divide-y divide-border">
            {list.map((m) => (
              <MemberRow key={m.user.id} member={m} members={list} />
            ))}
          </ul>
        )}
      </CardBody>
    </Card>
  );
}

function RoleGuide() {
  return (
    <Card>
      <CardHeader title="Roles" level={3} />
      <CardBody>
        <dl className="grid gap-3 text-sm sm:grid-cols-2">
          {(Object.keys(ROLE_LABEL) as Role[]).map((r) => (
            <div key={r}>
              <dt className="font-medium">{ROLE_LABEL[r]}</dt>
              <dd className="text-muted">{ROLE_HINT[r]}</dd>
            </div>
          ))}
        </dl>
      </CardBody>
    </Card>
  );
}

export function TeamSettings() {
  const { can } = useWorkspace();
  const overview = useWorkspaceOverview();
  return (
    <>
      <SectionHeader
        title="Team"
        description="The people of this workspace, their roles, and invite links."
      />
      <SeatsCard overview={overview} />
      <Members />
      {can("members.manage") && <Invites overview={overview.data} />}
      <RoleGuide />
    </>
  );
}
