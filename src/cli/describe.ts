// One readable line per history event, for `atelya show` and logs.
import type { HistoryEvent } from "../domain/types.js";

export function describeEvent(e: HistoryEvent): string {
  const d = e.data as Record<string, unknown>;
  switch (e.type) {
    case "state.changed":
      return `${d.from} → ${d.to}: ${d.reason}`;
    case "plan.created":
      return `plan with ${(d.tasks as unknown[]).length} tasks: ${d.summary}`;
    case "plan.rejected":
      return `plan rejected: ${(d.errors as string[]).join("; ")}`;
    case "task.started":
      return `task ${d.ordinal} ${d.title} started${Number(d.attempt) > 1 ? ` (attempt ${d.attempt})` : ""}`;
    case "task.succeeded":
      return `task succeeded (${d.chars} chars)`;
    case "task.failed":
      return `task failed: ${d.error}`;
    case "task.retried":
      return `task will be retried: ${d.error}`;
    case "model.call":
      return `${d.purpose} call to ${d.model}: ${d.input_tokens} in / ${d.output_tokens} out tokens, ${d.credits} credits, ${d.latency_ms} ms`;
    case "model.retry":
      return `retrying ${d.model} (attempt ${d.attempt}) in ${d.delay_ms} ms: ${d.error}`;
    case "draft.created":
      return `draft round ${d.round}: ${(d.sections as string[]).length} sections, ${d.words} words`;
    default:
      return JSON.stringify(d);
  }
}
