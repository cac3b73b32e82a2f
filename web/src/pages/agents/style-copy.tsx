// "Copy style to another agent": the saved Style Memory of this agent onto one the person picks
// (the receiving agent's own Style Memory is replaced).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Copy } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { api, call } from "../../api/client";
import { Button } from "../../ui/button";
import { Dialog } from "../../ui/dialog";
import { SelectField } from "../../ui/field";
import { ErrorNote, Skeleton } from "../../ui/surface";
import type { Agent } from "./agent-draft";
import { agentKeys, useAgents } from "./queries";

export function CopyStyleDialog({
  open,
  onOpenChange,
  from,
  unsavedEdits,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  from: Agent;
  unsavedEdits: boolean;
}) {
  const qc = useQueryClient();
  const agents = useAgents(false);
  const others = (agents.data ?? []).filter((a) => a.id !== from.id);
  const [to, setTo] = useState("");
  const target = others.find((a) => a.id === to) ?? others[0];
  const copy = useMutation({
    mutationFn: (receiver: Agent) =>
      call(
        api.POST("/api/v1/agents/{id}/style/copy", {
          params: { path: { id: from.id } },
          body: { to_agent_id: receiver.id },
        }),
      ).then(() => receiver),
    onSuccess: async (receiver) => {
      toast.success(`${from.name}’s Style Memory is now ${receiver.name}’s too.`);
      await qc.invalidateQueries({ queryKey: agentKeys.all });
      onOpenChange(false);
    },
  });
  const change = (next: boolean) => {
    if (!next) copy.reset();
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={change}
      title="Copy style to another agent"
      description={`The saved Style Memory of ${from.name} replaces the other agent’s own.`}
      footer={
        <>
          <Button onClick={() => change(false)}>Cancel</Button>
          <Button
            variant="primary"
            icon={<Copy className="size-4" aria-hidden />}
            busy={copy.isPending}
            disabled={!target}
            onClick={() => target && copy.mutate(target)}
          >
            Copy style
          </Button>
        </>
      }
    >
      <div className="flex flex-col gap-3">
        {agents.isPending ? (
          <Skeleton className="h-16 w-full" />
        ) : !agents.data ? (
          <ErrorNote error={agents.error} retry={() => void agents.refetch()} />
        ) : others.length === 0 ? (
          <p className="text-sm text-muted">
            There is no other agent to copy to yet. Create one first; archived agents cannot receive
            a style.
          </p>
        ) : (
          <SelectField
            label="Copy to"
            value={target?.id ?? ""}
            onChange={(e) => setTo(e.target.value)}
            hint={
              target?.style_rules
                ? `${target.name} already has a Style Memory; it will be replaced.`
                : undefined
            }
          >
            {others.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.style_rules ? " (has a Style Memory)" : ""}
              </option>
            ))}
          </SelectField>
        )}
        {unsavedEdits && (
          <p className="border-l-2 border-warning pl-2 text-sm text-fg">
            Your unsaved edits are not copied: save them first to include them.
          </p>
        )}
        <ErrorNote error={copy.error} />
      </div>
    </Dialog>
  );
}
