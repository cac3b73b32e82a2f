// API keys: the workspace keys you may manage (your own; everyone's for owners and admins) with
// their prefix, owner and last use; a new or rotated key is shown once with Copy; revoking asks
// first. Keys work only on plans with API access; the server's refusal is shown where it happened.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, RefreshCw, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { api, call, type Schemas } from "../../api/client";
import { useWorkspace } from "../../app/session";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog, Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { ago, date, dateTime } from "../../ui/format";
import { Card, CardBody, CardHeader, EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { RequirePermission, SectionHeader, ShownOnce } from "./common";
import { useWorkspaceOverview } from "./queries";

type ApiKey = Schemas["ApiKeyList"]["api_keys"][number];
type Issued = Schemas["IssuedApiKey"];

function IssuedKey({ issued, onDone }: { issued: Issued; onDone?: () => void }) {
  return (
    <ShownOnce label={`API key ${issued.name}`} value={issued.key} onDone={onDone}>
      <p className="font-medium">Copy the key for {issued.name} now: it is shown only this once.</p>
      <p className="text-muted">
        Atelya keeps only its fingerprint. Send it as <code>Authorization: Bearer …</code>; it acts
        with your current role. Lost it? Rotate the key for a new secret.
      </p>
    </ShownOnce>
  );
}

function KeyRow({ k, onIssued }: { k: ApiKey; onIssued: (i: Issued) => void }) {
  const qc = useQueryClient();
  const { session } = useWorkspace();
  const [confirm, setConfirm] = useState<"rotate" | "revoke" | null>(null);
  const path = { params: { path: { id: k.id } } };
  const mine = k.issuer.id === session.user.id;
  return (
    <li className="flex flex-col gap-3 py-3 md:flex-row md:items-center">
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="truncate">{k.name}</span>
          <code className="rounded bg-surface-2 px-1.5 py-0.5 text-xs">{k.prefix}…</code>
        </p>
        <p className="text-xs text-muted">
          {mine ? "Yours" : `${k.issuer.name} (${k.issuer.email})`} · created {date(k.created_at)}
          {" · "}
          {k.last_used_at ? (
            <span title={dateTime(k.last_used_at)}>last used {ago(k.last_used_at)}</span>
          ) : (
            "never used"
          )}
        </p>
      </div>
      <div className="flex gap-2">
        <Button
          size="sm"
          icon={<RefreshCw className="size-4" aria-hidden />}
          onClick={() => setConfirm("rotate")}
        >
          Rotate<span className="sr-only"> {k.name}</span>
        </Button>
        <Button
          size="sm"
          variant="ghost"
          icon={<Trash2 className="size-4" aria-hidden />}
          onClick={() => setConfirm("revoke")}
        >
          Revoke<span className="sr-only"> {k.name}</span>
        </Button>
      </div>
      <ConfirmDialog
        open={confirm === "rotate"}
        onOpenChange={(o) => setConfirm(o ? "rotate" : null)}
        title={`Rotate ${k.name}?`}
        confirmLabel="Rotate key"
        danger
        onConfirm={async () => {
          const issued = await call(api.POST("/api/v1/api-keys/{id}/rotate", path));
          onIssued(issued);
          toast.success(`${k.name} has a new secret`);
          await qc.invalidateQueries({ queryKey: ["api-keys"] });
        }}
      >
        <p>The key gets a new secret, shown once. The old one stops working at once.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "revoke"}
        onOpenChange={(o) => setConfirm(o ? "revoke" : null)}
        title={`Revoke ${k.name}?`}
        confirmLabel="Revoke key"
        danger
        onConfirm={async () => {
          await call(api.DELETE("/api/v1/api-keys/{id}", path));
          toast.success(`${k.name} revoked`);
          await qc.invalidateQueries({ queryKey: ["api-keys"] });
        }}
      >
        <p>
          Every request with it is refused from now on (401). Scripts and integrations using it stop
          working. This cannot be undone.
        </p>
      </ConfirmDialog>
    </li>
  );
}

function Keys() {
  const qc = useQueryClient();
  const { can } = useWorkspace();
  const overview = useWorkspaceOverview();
  const keys = useQuery({
    queryKey: ["api-keys"],
    queryFn: () => call(api.GET("/api/v1/api-keys")),
  });
  const [name, setName] = useState("");
  const [issued, setIssued] = useState<Issued | null>(null);
  const [rotated, setRotated] = useState<Issued | null>(null);
  const create = useMutation({
    mutationFn: () => call(api.POST("/api/v1/api-keys", { body: { name } })),
    onSuccess: async (k) => {
      setIssued(k);
      setName("");
      toast.success(`API key ${k.name} created`);
      await qc.invalidateQueries({ queryKey: ["api-keys"] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const list = keys.data?.api_keys ?? [];
  const o = overview.data;
  return (
    <>
      {o && !o.api_access && (
        <div role="note" className="rounded-lg border border-border bg-surface-2 px-4 py-3 text-sm">
          <p className="font-medium">The {o.plan_label} plan does not include API access.</p>
          <p className="text-muted">
            Keys cannot be created, and requests with existing ones are refused. The Growth and
            Agency plans include it; see Plan.
          </p>
        </div>
      )}
      <Card>
        <CardHeader
          level={3}
          title="New API key"
          description="For scripts and integrations. A key acts with the role of the member who made it."
        />
        <CardBody className="flex flex-col gap-4">
          <form onSubmit={submit} className="flex flex-col gap-2 sm:flex-row sm:items-start">
            <TextField
              label="Key name"
              required
              maxLength={100}
              className="flex-1"
              placeholder="Zapier, reporting script…"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <Button
              type="submit"
              variant="primary"
              className="sm:mt-6"
              busy={create.isPending}
              icon={<Plus className="size-4" aria-hidden />}
            >
              Create key
            </Button>
          </form>
          <ErrorNote error={create.error} title="The key was not created" />
          {issued && <IssuedKey issued={issued} onDone={() => setIssued(null)} />}
        </CardBody>
      </Card>
      <Card>
        <CardHeader
          level={3}
          title="Keys"
          description={
            can("apikeys.manage_others")
              ? "Every live key of this workspace."
              : "Your live keys. Owners and admins see everyone's."
          }
          actions={list.length > 0 && <Badge>{list.length}</Badge>}
        />
        <CardBody>
          {keys.isPending ? (
            <LoadingRows rows={2} label="Loading API keys" />
          ) : !keys.data ? (
            <ErrorNote
              error={keys.error}
              title="The API keys could not be loaded"
              retry={() => void keys.refetch()}
            />
          ) : list.length === 0 ? (
            <EmptyState icon={KeyRound} title="No API keys">
              Create one above; it is shown once, then only its first characters.
            </EmptyState>
          ) : (
            <ul aria-label="API keys" className="divide-y divide-border">
              {list.map((k) => (
                <KeyRow key={k.id} k={k} onIssued={setRotated} />
              ))}
            </ul>
          )}
        </CardBody>
      </Card>
      <Dialog
        open={rotated !== null}
        onOpenChange={(o) => !o && setRotated(null)}
        title={rotated ? `New secret for ${rotated.name}` : ""}
        footer={
          <Button variant="primary" onClick={() => setRotated(null)}>
            Done
          </Button>
        }
      >
        {rotated && <IssuedKey issued={rotated} />}
      </Dialog>
    </>
  );
}

export function ApiKeysSettings() {
  return (
    <>
      <SectionHeader
        title="API keys"
        description="Call the REST API at /api/v1 with Authorization: Bearer atk_…"
      />
      <RequirePermission
        action="apikeys.manage_own"
        what="API keys"
        who="owners, admins and members"
      >
        <Keys />
      </RequirePermission>
    </>
  );
}
