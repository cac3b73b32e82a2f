// Data: everything the workspace holds, downloaded as one zip archive (owners and admins), and
// deleting the workspace for good (the owner), confirmed by typing its name exactly as the server
// asks. After a deletion the server has moved the session to another workspace, or to none.
import { useMutation } from "@tanstack/react-query";
import { Download, Trash2 } from "lucide-react";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { download } from "../../api/download";
import { useResetSession, useWorkspace } from "../../app/session";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { TextField } from "../../ui/field";
import { Card, CardBody, CardHeader, ErrorNote } from "../../ui/surface";
import { RequirePermission, SectionHeader } from "./common";

function ExportEverything() {
  const archive = useMutation({
    mutationFn: () => download("/api/v1/workspace/export", "atelya-workspace.zip"),
    onSuccess: (name) => toast.success(`Downloaded ${name}`),
  });
  return (
    <Card>
      <CardHeader
        level={3}
        title="Export everything"
        description="A copy to keep, to audit or to move elsewhere."
      />
      <CardBody className="flex flex-col gap-4 text-sm">
        <p>
          One .zip file with every workroom (its inputs, task outputs, drafts as Markdown and full
          history), usage and the credit ledger, agents, members and the audit log. Passwords, API
          keys and other secrets are left out.
        </p>
        <p className="text-muted">
          The archive also brings the workspace back, on this server after a deletion or on another:
          whoever runs the server restores it with{" "}
          <code className="font-mono">atelya workspace restore &lt;file&gt;</code>.
        </p>
        <div>
          <Button
            variant="primary"
            busy={archive.isPending}
            icon={<Download className="size-4" aria-hidden />}
            onClick={() => archive.mutate()}
          >
            {archive.isPending ? "Preparing the archive…" : "Download archive (.zip)"}
          </Button>
        </div>
        <ErrorNote error={archive.error} title="The archive did not download" />
      </CardBody>
    </Card>
  );
}

/** Asks for the workspace's name, typed exactly; deletes it, then follows the session elsewhere. */
function DeleteDialog({ name, onClose }: { name: string | null; onClose: () => void }) {
  const reset = useResetSession();
  const navigate = useNavigate();
  const formId = useId();
  const [typed, setTyped] = useState("");
  const remove = useMutation({
    mutationFn: (confirm: string) => call(api.DELETE("/api/v1/workspace", { body: { confirm } })),
    onSuccess: async (_, deleted) => {
      setTyped("");
      onClose();
      toast.success(`${deleted} was deleted`);
      await reset();
      void navigate("/");
    },
  });
  const matches = name !== null && typed === name;
  const close = () => {
    if (remove.isPending) return;
    setTyped("");
    remove.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (matches) remove.mutate(typed);
  };
  return (
    <Dialog
      open={name !== null}
      onOpenChange={(o) => !o && close()}
      title={`Delete ${name ?? "the workspace"}?`}
      description="This cannot be undone."
      footer={
        <>
          <Button onClick={close}>Keep the workspace</Button>
          <Button
            type="submit"
            form={formId}
            variant="danger"
            disabled={!matches}
            busy={remove.isPending}
            icon={<Trash2 className="size-4" aria-hidden />}
          >
            Delete workspace
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={submit} className="flex flex-col gap-4 text-sm">
        <p>
          Everything in it is deleted at once, for every member. If anyone may need any of it,
          download the archive first: it is the way to bring the workspace back.
        </p>
        <TextField
          label="To confirm, type the workspace's name"
          hint={
            <>
              Exactly as written, capitals and spaces included:{" "}
              <span className="font-medium text-fg">{name}</span>
            </>
          }
          autoComplete="off"
          spellCheck={false}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />
        <ErrorNote error={remove.error} title="The workspace was not deleted" />
      </form>
    </Dialog>
  );
}

function DeleteWorkspace() {
  const { workspace } = useWorkspace();
  // The name as the dialog opened: once deleted, the session's current workspace is another.
  const [deleting, setDeleting] = useState<string | null>(null);
  return (
    <Card className="border-danger/40">
      <CardHeader
        level={3}
        title="Delete workspace"
        description="Permanent: it cannot be undone."
      />
      <CardBody className="flex flex-col gap-4 text-sm">
        <p>
          Deleting {workspace.name} removes all its workrooms, deliverables and history, its
          credits, agents, API keys and webhooks, and every member&rsquo;s access to it. Workrooms
          at work stop. People keep their Atelya accounts and their other workspaces.
        </p>
        <p className="text-muted">Download the archive above first if you may need any of it.</p>
        <div>
          <Button
            variant="danger"
            icon={<Trash2 className="size-4" aria-hidden />}
            onClick={() => setDeleting(workspace.name)}
          >
            Delete workspace
          </Button>
        </div>
      </CardBody>
      <DeleteDialog name={deleting} onClose={() => setDeleting(null)} />
    </Card>
  );
}

export function DataSettings() {
  const { can } = useWorkspace();
  return (
    <>
      <SectionHeader
        title="Data"
        description={
          can("workspace.delete")
            ? "Take everything in this workspace with you, or delete it for good."
            : "Take everything in this workspace with you."
        }
      />
      <RequirePermission action="workspace.export" what="exports of the whole workspace">
        <ExportEverything />
        {can("workspace.delete") && <DeleteWorkspace />}
      </RequirePermission>
    </>
  );
}
