// A history event in words: "Task 'Pricing' finished — 12 credits". One wording for the web app's
// Activity tab and `atelya show`.
import { counted, credits, number } from "./format.js";
import { isRestingState, STATE_LABELS, type WorkroomState } from "./workroom.js";

export type EventKind = "state" | "task" | "model" | "person" | "budget" | "document" | "note";

export interface Described {
  kind: EventKind;
  text: string;
  /** A longer quote (a comment, an answer, an error) shown under the line. */
  detail?: string;
}

/** What an event is read against: the room's tasks and agents, and people's names. */
export interface EventContext {
  tasks: readonly { id: string; ordinal: number; title: string; credits: number }[];
  agents: readonly { id: string; name: string }[];
  /** Display names by actor id (a user's id, or an API key's). */
  people: ReadonlyMap<string, string>;
}

export interface DescribableEvent {
  type: string;
  actor: string;
  data: Record<string, unknown>;
}

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const clockFmt = new Intl.DateTimeFormat("en", { timeStyle: "medium" });
const clock = (ms: number) => clockFmt.format(new Date(ms));

const PURPOSE: Record<string, string> = {
  plan: "the plan",
  compose: "the deliverable",
  revise: "the revision",
  rewrite: "a style rewrite",
  style_extract: "Style Memory",
};

/** Whose call a refused reservation was for: the task's, else the step's (the Planner's, the
 *  Composer's); an event from before steps were named says neither. */
function refusedFor(task: string | null, kind: string | null): string {
  if (task) return ` for task ${task}`;
  const step = kind && kind !== "task" ? PURPOSE[kind] : undefined;
  return step ? ` for ${step}` : "";
}

/** Who an event's actor is, in words: a person by name, Atelya itself, the CLI, an API key (whose
 *  person the audit log names), or "someone" (a person no longer in the workspace). */
function actorName(actor: string, people: ReadonlyMap<string, string>): string {
  if (actor === "engine") return "Atelya";
  const person = people.get(actor);
  if (person) return person;
  if (actor === "cli") return "the CLI";
  return actor.startsWith("key_") ? "an API key" : "someone";
}

export function describeEvent(
  e: DescribableEvent,
  { tasks, agents, people }: EventContext,
): Described {
  const d = e.data;
  const who = actorName(e.actor, people);
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  const task = tasks.find((t) => t.id === d.task_id);
  const title = task ? `'${task.title}'` : num(d.ordinal) ? `#${num(d.ordinal)}` : "a task";
  const agent = agents.find((a) => a.id === d.agent_id)?.name;
  const tasksAt = (ordinals: unknown) =>
    Array.isArray(ordinals)
      ? ordinals
          .map((o) => tasks.find((t) => t.ordinal === o)?.title ?? `#${String(o)}`)
          .map((t) => `'${t}'`)
          .join(", ")
      : "";

  switch (e.type) {
    case "workroom.created": {
      const inputs = Array.isArray(d.inputs) ? d.inputs.length : 0;
      return {
        kind: "person",
        text: `${Who} created the workroom with ${counted(inputs, "input")}`,
      };
    }
    case "state.changed": {
      const from = STATE_LABELS[d.from as WorkroomState] ?? String(d.from);
      const to = STATE_LABELS[d.to as WorkroomState] ?? String(d.to);
      const by = e.actor === "engine" ? "" : ` by ${who}`;
      return { kind: "state", text: `${from} → ${to}${by}: ${str(d.reason) ?? ""}`.trim() };
    }
    case "plan.created": {
      const n = Array.isArray(d.tasks) ? d.tasks.length : 0;
      return {
        kind: "document",
        text: `Plan written: ${counted(n, "task")}`,
        ...(str(d.summary) ? { detail: str(d.summary)! } : {}),
      };
    }
    case "plan.rejected":
      return {
        kind: "note",
        text: `The plan was invalid (attempt ${num(d.attempt) ?? "?"}); the Planner is asked again`,
        ...(Array.isArray(d.errors) ? { detail: d.errors.map(String).join("; ") } : {}),
      };
    case "tools.unreachable": {
      const servers = Array.isArray(d.servers) ? (d.servers as Record<string, unknown>[]) : [];
      const names = servers.map((s) => str(s.server) ?? "?");
      return {
        kind: "note",
        text: `MCP ${names.length === 1 ? "server" : "servers"} ${names.join(", ")} could not be reached; the plan was made without ${names.length === 1 ? "its" : "their"} tools`,
        detail: servers.map((s) => str(s.reason) ?? "").join("\n"),
      };
    }
    case "tasks.discarded":
      return { kind: "task", text: `${counted(num(d.count) ?? 0, "unfinished task")} discarded` };
    case "task.started": {
      const attempt = num(d.attempt) ?? 1;
      const run = (num(d.run) ?? 0) + 1; // stored as the reruns before this one
      const extra = [attempt > 1 && `attempt ${attempt}`, run > 1 && `run ${run}`].filter(Boolean);
      const name = str(d.title) ? `'${str(d.title)}'` : title;
      return {
        kind: "task",
        text: `Task ${name} started${extra.length ? ` (${extra.join(", ")})` : ""}`,
      };
    }
    case "task.succeeded":
      return {
        kind: "task",
        text: `Task ${title} finished${task && task.credits > 0 ? ` — ${credits(task.credits)}` : ""}`,
      };
    case "task.failed":
      return {
        kind: "task",
        text: `Task ${title} failed`,
        ...(str(d.error) ? { detail: str(d.error)! } : {}),
      };
    case "task.retried":
      return {
        kind: "task",
        text: `Task ${title} will be retried after a failure`,
        ...(str(d.error) ? { detail: str(d.error)! } : {}),
      };
    case "step.interrupted":
      return {
        kind: "note",
        text: `Work on ${title} was interrupted`,
        ...(str(d.reason) ? { detail: str(d.reason)! } : {}),
      };
    case "approval.requested":
      return { kind: "person", text: `Task ${title} waits for someone's approval` };
    case "approval.granted":
      return {
        kind: "person",
        text: `${Who} approved ${title}`,
        ...(str(d.comment) ? { detail: str(d.comment)! } : {}),
      };
    case "approval.rejected":
      return {
        kind: "person",
        text: `${Who} rejected ${title}; ${tasksAt(d.rerun) || "its tasks"} run again`,
        ...(str(d.comment) ? { detail: str(d.comment)! } : {}),
      };
    case "question.asked":
      return {
        kind: "person",
        text: `Task ${title} asks a question`,
        ...(str(d.question) ? { detail: str(d.question)! } : {}),
      };
    case "question.answered":
      return {
        kind: "person",
        text: `${Who} answered ${title}`,
        ...(str(d.answer) ? { detail: str(d.answer)! } : {}),
      };
    case "wait.started":
      return {
        kind: "task",
        text: `Task ${title} waits${num(d.until) ? ` until ${clock(num(d.until)!)}` : ""}`,
      };
    case "model.call": {
      const what = task ? title : (PURPOSE[str(d.purpose) ?? ""] ?? "a step");
      const seconds = (num(d.latency_ms) ?? 0) / 1000;
      const charged = num(d.credits) ?? 0;
      const uncapped = num(d.uncapped_credits);
      const cost = d.covered_by_revision
        ? "covered by the revision"
        : uncapped !== null && uncapped > charged
          ? `${credits(charged)} (the reported tokens come to ${credits(uncapped)}; a call is charged at most what was reserved for it)`
          : credits(charged);
      const cutOffAt = num(d.cut_off_at);
      const cutOff =
        cutOffAt !== null
          ? ` · cut off at its ${number(cutOffAt)}-token output limit, not used`
          : "";
      return {
        kind: "model",
        text: `Model call for ${what}${agent ? ` by ${agent}` : ""} on ${str(d.model) ?? "a model"}: ${number(num(d.input_tokens) ?? 0)} tokens in, ${number(num(d.output_tokens) ?? 0)} out${cutOff} · ${cost} · ${seconds.toFixed(1)} s`,
      };
    }
    case "model.retry":
      return {
        kind: "model",
        text: `Call to ${str(d.model) ?? "the model"} retried (attempt ${num(d.attempt) ?? "?"}) in ${((num(d.delay_ms) ?? 0) / 1000).toFixed(1)} s`,
        ...(str(d.error) ? { detail: str(d.error)! } : {}),
      };
    case "model.rate_limited": {
      const what = task ? `task ${title}` : (PURPOSE[str(d.kind) ?? ""] ?? "a step");
      const until = num(d.until);
      return {
        kind: "model",
        text: `The provider of ${str(d.model) ?? "the model"} rate-limited the call for ${what} and asks to wait ${Math.ceil((num(d.wait_ms) ?? 0) / 1000)} s${until ? `; the call waits until ${clock(until)}` : ""}`,
        ...(str(d.error) ? { detail: str(d.error)! } : {}),
      };
    }
    case "tool.called":
      return { kind: "task", text: `Tool ${str(d.tool) ?? "?"} ran for ${title}` };
    case "draft.created": {
      const words = num(d.words);
      return {
        kind: "document",
        text: `Round ${num(d.round) ?? "?"} draft written: '${str(d.title) ?? "Untitled"}'${words ? `, ${counted(words, "word")}` : ""}`,
      };
    }
    case "revision.requested":
      return {
        kind: "person",
        text: `${Who} requested revision round ${num(d.round) ?? "?"} (${str(d.preset) ?? "custom"}) — ${credits(num(d.credits) ?? 0)}`,
      };
    case "revision.refunded":
      return {
        kind: "budget",
        text: `Round ${num(d.round) ?? "?"} refunded: ${credits(num(d.credits) ?? 0)}`,
      };
    case "deliverable.exported":
      return { kind: "document", text: `${Who} exported ${str(d.filename) ?? "the deliverable"}` };
    case "budget.cap_changed": {
      const cap = (v: unknown) => (num(v) === null ? "no cap" : credits(num(v)!));
      return {
        kind: "budget",
        text: `${Who} changed the credit cap from ${cap(d.from)} to ${cap(d.to)}`,
      };
    }
    case "budget.reservation_refused":
      return {
        kind: "budget",
        text: `The next model call${refusedFor(task ? title : null, str(d.kind))} needs up to ${credits(num(d.needed) ?? 0)}; the room paused instead of spending`,
      };
    case "budget.threshold_crossed":
      return d.scope === "workroom"
        ? {
            kind: "budget",
            text: `This room has spent ${credits(num(d.spent) ?? 0)} of its ${credits(num(d.limit) ?? 0)} cap`,
          }
        : {
            kind: "budget",
            text: `The workspace has used ${credits(num(d.used) ?? 0)} of its ${credits(num(d.limit) ?? 0)} monthly allowance`,
          };
    case "inputs.redacted": {
      const counts = Object.entries(d)
        .filter(([, v]) => typeof v === "number" && v > 0)
        .map(
          ([k, v]) =>
            `${number(v as number)} ${k === "email" ? "e-mail address" : k === "phone" ? "phone number" : `${k} number`}${v === 1 ? "" : "s"}`,
        );
      return {
        kind: "note",
        text: counts.length
          ? `Personal data masked before any model saw it: ${counts.join(", ")}`
          : "Inputs checked for personal data: nothing to mask",
      };
    }
    case "style.banned_phrases": {
      const found = Array.isArray(d.found) ? d.found.map(String) : [];
      const left = Array.isArray(d.remaining) ? d.remaining.map(String) : [];
      return {
        kind: "note",
        text: `Banned phrases found in ${title} and rewritten${left.length ? `; still there: ${left.join(", ")}` : ""}`,
        ...(found.length ? { detail: found.join(", ") } : {}),
      };
    }
    case "style.required_sections_missing":
      return {
        kind: "note",
        text: "The deliverable lacks required sections",
        ...(Array.isArray(d.missing) ? { detail: d.missing.map(String).join(", ") } : {}),
      };
    case "workroom.restored": {
      const exported = str(d.exported_at);
      const state = str(d.state);
      // Running or paused then: its unfinished work was put back on its way.
      const unfinished =
        state !== null &&
        state in STATE_LABELS &&
        (state === "paused" || !isRestingState(state as WorkroomState));
      return {
        kind: "note",
        text: `Restored from the workspace's archive${exported ? ` of ${exported.slice(0, 10)}` : ""}${
          unfinished ? "; unfinished work goes on from the last finished task" : ""
        }`,
      };
    }
    default:
      return { kind: "note", text: e.type.replace(/[._]/g, " ") };
  }
}
