// How a task's status and kind read and look, the same in the list, the graph and the cards.
import { Badge, type Tone } from "../../ui/badge";
import type { Task } from "./queries";

type Status = Task["status"];

export const STATUS_LABEL: Record<Status, string> = {
  pending: "Pending",
  running: "Running",
  waiting: "Waiting",
  succeeded: "Done",
  failed: "Failed",
  discarded: "Discarded",
  skipped: "Skipped",
};

export const STATUS_TONE: Record<Status, Tone> = {
  pending: "neutral",
  running: "info",
  waiting: "warning",
  succeeded: "success",
  failed: "danger",
  discarded: "neutral",
  skipped: "neutral",
};

export const KIND_LABEL: Record<Task["type"], string> = {
  agent_work: "Agent work",
  tool_call: "Tool call",
  approval: "Approval",
  user_input: "Question",
  wait: "Wait",
  composition: "Composition",
};

/** Fill and stroke of a graph node per status (semantic tokens, so both themes work). */
export const NODE_CLASS: Record<Status, { box: string; dot: string }> = {
  pending: { box: "fill-surface stroke-border", dot: "fill-muted" },
  running: { box: "fill-info/10 stroke-info", dot: "fill-info motion-safe:animate-pulse" },
  waiting: { box: "fill-warning/10 stroke-warning", dot: "fill-warning" },
  succeeded: { box: "fill-success/10 stroke-success", dot: "fill-success" },
  failed: { box: "fill-danger/10 stroke-danger", dot: "fill-danger" },
  discarded: { box: "fill-surface-2 stroke-border", dot: "fill-muted" },
  skipped: { box: "fill-surface-2 stroke-border", dot: "fill-muted" },
};

export function TaskStatusBadge({ status }: { status: Status }) {
  return (
    <Badge tone={STATUS_TONE[status]}>
      {status === "running" && (
        <span className="size-1.5 rounded-full bg-current motion-safe:animate-pulse" aria-hidden />
      )}
      {STATUS_LABEL[status]}
    </Badge>
  );
}

/** "1 min 12 s" from start to finish (or to now while it runs); null before it started. */
export function elapsed(task: Task, now: number): string | null {
  if (!task.started_at) return null;
  const end = task.finished_at ? Date.parse(task.finished_at) : now;
  const s = Math.max(0, Math.round((end - Date.parse(task.started_at)) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
