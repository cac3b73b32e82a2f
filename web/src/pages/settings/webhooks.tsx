// Webhooks (owners and admins): the workspace's outgoing webhooks — create, edit, switch on and
// off, test-send, rotate the signing secret (shown once), delete — each with its delivery log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  ChevronDown,
  KeyRound,
  Pencil,
  Plus,
  Power,
  Send,
  Trash2,
  Webhook as WebhookIcon,
} from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { Badge } from "../../ui/badge";
import { Button } from "../../ui/button";
import { ConfirmDialog, Dialog } from "../../ui/dialog";
import { Card, CardBody, EmptyState, ErrorNote, LoadingRows } from "../../ui/surface";
import { RequirePermission, SectionHeader, ShownOnce } from "./common";
import { DeliveryLog, useFollowDelivery } from "./webhook-deliveries";
import { ALL_EVENTS, EVENT_LABEL, FORMAT_LABEL, WebhookDialog, type Webhook } from "./webhook-form";

const useWebhooks = () =>
  useQuery({ queryKey: ["webhooks"], queryFn: () => call(api.GET("/api/v1/webhooks")) });

function WebhookCard({ webhook: w }: { webhook: Webhook }) {
  const qc = useQueryClient();
  const follow = useFollowDelivery(w.id);
  const [logOpen, setLogOpen] = useState(false);
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState<"delete" | "rotate" | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const path = { params: { path: { id: w.id } } };

  const test = useMutation({
    mutationFn: () => call(api.POST("/api/v1/webhooks/{id}/test", path)),
    onSuccess: (q) => {
      toast.success(`Test event queued for ${w.name}`);
      setLogOpen(true);
      follow(q.delivery_id);
    },
  });
  const toggle = useMutation({
    mutationFn: () =>
      call(api.PATCH("/api/v1/webhooks/{id}", { ...path, body: { active: !w.active } })),
    onSuccess: async (next) => {
      toast.success(next.active ? `${w.name} is on` : `${w.name} is off: it receives nothing`);
      await qc.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });
  const all = w.events.length === ALL_EVENTS.length;
  const logId = `log-${w.id}`;

  return (
    <Card aria-label={w.name}>
      <CardBody className="flex flex-col gap-4">
        <div className="flex flex-col gap-3">
          <div className="min-w-0">
            <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold">
              <span className="truncate">{w.name}</span>
              <Badge tone={w.active ? "success" : "neutral"}>{w.active ? "Active" : "Off"}</Badge>
              <Badge>{FORMAT_LABEL[w.format]}</Badge>
            </h3>
            <p className="mt-1 font-mono text-xs break-all text-muted">{w.url}</p>
            <p className="mt-1 text-xs text-muted">
              {all ? "Every event" : w.events.map((e) => EVENT_LABEL[e]).join(" · ")}
            </p>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button
              size="sm"
              variant="primary"
              busy={test.isPending}
              icon={<Send className="size-4" aria-hidden />}
              onClick={() => test.mutate()}
            >
              Send test
            </Button>
            <Button
              size="sm"
              icon={<Pencil className="size-4" aria-hidden />}
              onClick={() => setEditing(true)}
            >
              Edit
            </Button>
            <Button
              size="sm"
              busy={toggle.isPending}
              icon={<Power className="size-4" aria-hidden />}
              onClick={() => toggle.mutate()}
            >
              {w.active ? "Turn off" : "Turn on"}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              icon={<KeyRound className="size-4" aria-hidden />}
              onClick={() => setConfirm("rotate")}
            >
              Rotate secret
            </Button>
            <Button
              size="sm"
              variant="ghost"
              aria-label={`Delete ${w.name}`}
              icon={<Trash2 className="size-4" aria-hidden />}
              onClick={() => setConfirm("delete")}
            />
          </div>
        </div>
        <ErrorNote error={test.error ?? toggle.error} />
        <div className="border-t border-border pt-3">
          <Button
            size="sm"
            variant="ghost"
            aria-expanded={logOpen}
            aria-controls={logId}
            icon={
              <ChevronDown
                className={`size-4 transition-transform ${logOpen ? "rotate-180" : ""}`}
                aria-hidden
              />
            }
            onClick={() => setLogOpen((o) => !o)}
          >
            {logOpen ? "Hide deliveries" : "Show deliveries"}
          </Button>
          <div id={logId} className="mt-2" hidden={!logOpen}>
            {logOpen && <DeliveryLog webhookId={w.id} />}
          </div>
        </div>
      </CardBody>
      {editing && <WebhookDialog open onOpenChange={setEditing} webhook={w} />}
      <ConfirmDialog
        open={confirm === "delete"}
        onOpenChange={(o) => setConfirm(o ? "delete" : null)}
        title={`Delete ${w.name}?`}
        confirmLabel="Delete webhook"
        danger
        onConfirm={async () => {
          await call(api.DELETE("/api/v1/webhooks/{id}", path));
          toast.success(`${w.name} deleted`);
          await qc.invalidateQueries({ queryKey: ["webhooks"] });
        }}
      >
        <p>It stops at once; its queued deliveries and its delivery log are deleted with it.</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "rotate"}
        onOpenChange={(o) => setConfirm(o ? "rotate" : null)}
        title={`Rotate the signing secret of ${w.name}?`}
        confirmLabel="Rotate secret"
        danger
        onConfirm={async () => {
          const r = await call(api.POST("/api/v1/webhooks/{id}/rotate-secret", path));
          setSecret(r.secret);
          toast.success("New signing secret made");
        }}
      >
        <p>
          The old secret stops at once: requests signed with the new one fail verification until the
          receiver has it.
        </p>
      </ConfirmDialog>
      <Dialog
        open={secret !== null}
        onOpenChange={(o) => !o && setSecret(null)}
        title="New signing secret"
        footer={
          <Button variant="primary" onClick={() => setSecret(null)}>
            Done
          </Button>
        }
      >
        {secret && (
          <ShownOnce label="Signing secret" value={secret}>
            <p className="font-medium">Copy it into {w.name}&rsquo;s receiver now.</p>
            <p className="text-muted">It is shown only this once.</p>
          </ShownOnce>
        )}
      </Dialog>
    </Card>
  );
}

function WebhookList() {
  const webhooks = useWebhooks();
  const [creating, setCreating] = useState(false);
  const list = webhooks.data?.webhooks ?? [];
  const create = (
    <Button
      variant="primary"
      icon={<Plus className="size-4" aria-hidden />}
      onClick={() => setCreating(true)}
    >
      New webhook
    </Button>
  );
  return (
    <>
      {webhooks.isPending ? (
        <LoadingRows rows={2} label="Loading webhooks" />
      ) : !webhooks.data ? (
        <ErrorNote
          error={webhooks.error}
          title="The webhooks could not be loaded"
          retry={() => void webhooks.refetch()}
        />
      ) : list.length === 0 ? (
        <EmptyState icon={WebhookIcon} title="No webhooks yet" action={create}>
          Tell Slack or your own systems when a deliverable is ready, an approval waits or credits
          run low. Every request is signed.
        </EmptyState>
      ) : (
        <>
          <div className="flex justify-end">{create}</div>
          {list.map((w) => (
            <WebhookCard key={w.id} webhook={w} />
          ))}
        </>
      )}
      {creating && <WebhookDialog open onOpenChange={setCreating} webhook={null} />}
    </>
  );
}

export function WebhookSettings() {
  return (
    <>
      <SectionHeader
        title="Webhooks"
        description="Outgoing HTTP requests when things happen in this workspace, signed with HMAC-SHA256. Failed deliveries are retried for about 9 hours."
      />
      <RequirePermission action="settings.manage" what="webhooks">
        <WebhookList />
      </RequirePermission>
    </>
  );
}
