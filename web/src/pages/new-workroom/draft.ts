// The new-workroom form as data: what a person has typed so far, the create request it becomes,
// the input limits measured the way the server measures them (src/domain/inputs.ts), and the
// server's per-field 400 details mapped back onto the fields they name.
import {
  checkInputLimits,
  INPUT_KINDS,
  MAX_INPUT_BLOCKS,
  MAX_INPUT_BYTES,
  type InputKind,
} from "../../../../src/domain/inputs";
import type { Schemas } from "../../api/client";

export { INPUT_KINDS, MAX_INPUT_BLOCKS, MAX_INPUT_BYTES, type InputKind };

export type CreateRequest = Schemas["createWorkroomRequest"];

/** What each kind is for (SPEC 2), in the words the form shows. */
export const KIND_TEXT: Record<InputKind, { label: string; hint: string }> = {
  brief: { label: "Brief", hint: "The primary requirement: what the client asked for." },
  meeting_notes: { label: "Meeting notes", hint: "Mined for context and constraints." },
  slack_thread: { label: "Slack thread", hint: "Mined for context and constraints." },
  doc: { label: "Document", hint: "Background material the agents may read." },
  email: { label: "Email", hint: "Mined for context and constraints." },
  transcript: { label: "Transcript", hint: "Mined for context and constraints." },
  sample: {
    label: "Voice sample",
    hint: "A voice reference for the Composer; never reused as content.",
  },
  other: { label: "Other", hint: "Anything else the agents should see." },
};

/** The most deliverables a create request takes (src/domain/requests.ts). */
export const MAX_DELIVERABLES = 10;

export interface BlockDraft {
  key: string;
  kind: InputKind;
  label: string;
  content: string;
}

export interface Row {
  key: string;
  value: string;
}

export interface WorkroomDraft {
  title: string;
  client: string;
  goal: string;
  deliverables: Row[];
  deadline: string;
  maxCredits: string;
  redactPii: boolean;
  localModelsOnly: boolean;
  reviewPlan: boolean;
  styleOverride: string;
  agentIds: string[];
  blocks: BlockDraft[];
}

let next = 0;
export const newKey = (prefix: string) => `${prefix}-${++next}`;

export const newBlock = (kind: InputKind = "brief", label = "", content = ""): BlockDraft => ({
  key: newKey("block"),
  kind,
  label,
  content,
});

export const emptyDraft = (): WorkroomDraft => ({
  title: "",
  client: "",
  goal: "",
  deliverables: [{ key: newKey("deliverable"), value: "" }],
  deadline: "",
  maxCredits: "",
  redactPii: false,
  localModelsOnly: false,
  reviewPlan: false,
  styleOverride: "",
  agentIds: [],
  blocks: [newBlock("brief")],
});

/** A block nobody has touched (no label, no text) is not sent: it is room left for material. */
export const isBlank = (b: BlockDraft) => b.content === "" && b.label.trim() === "";

const encoder = new TextEncoder();
/** Bytes of text as the server counts them: UTF-8. */
export const utf8Bytes = (s: string) => encoder.encode(s).length;

export interface Limits {
  perBlock: Map<string, number>;
  total: number;
  /** The server's own refusal when the blocks are over a limit; null within them. */
  problem: string | null;
}

export function measure(blocks: readonly BlockDraft[]): Limits {
  const perBlock = new Map(blocks.map((b) => [b.key, utf8Bytes(b.content)]));
  const checked = checkInputLimits(blocks.filter((b) => !isBlank(b)));
  const total = [...perBlock.values()].reduce((a, b) => a + b, 0);
  return { perBlock, total, problem: checked.ok ? null : checked.error.message };
}

const optional = (s: string) => (s.trim() === "" ? undefined : s.trim());

/** The blocks the request carries, in order (blank ones left out). */
export const sentBlocks = (d: WorkroomDraft) => d.blocks.filter((b) => !isBlank(b));
const sentDeliverables = (d: WorkroomDraft) => d.deliverables.filter((r) => r.value.trim() !== "");

/** The number the credit-cap field holds, as sent (the server says what is wrong with it). */
export const capOf = (d: WorkroomDraft) =>
  d.maxCredits.trim() === "" ? undefined : Number(d.maxCredits);

export const inputsOf = (d: WorkroomDraft): CreateRequest["inputs"] =>
  sentBlocks(d).map((b) => ({
    kind: b.kind,
    content: b.content,
    ...(b.label.trim() ? { label: b.label.trim() } : {}),
  }));

export function toRequest(d: WorkroomDraft): CreateRequest {
  const cap = capOf(d);
  return {
    title: d.title,
    ...(optional(d.client) !== undefined ? { client: optional(d.client) } : {}),
    ...(optional(d.goal) !== undefined ? { goal: optional(d.goal) } : {}),
    deliverables: sentDeliverables(d).map((r) => r.value.trim()),
    ...(d.deadline ? { deadline: d.deadline } : {}),
    ...(cap !== undefined ? { max_credits: cap } : {}),
    paste_flags: { redact_pii: d.redactPii, local_models_only: d.localModelsOnly },
    ...(optional(d.styleOverride) !== undefined ? { style_override: d.styleOverride.trim() } : {}),
    review_plan: d.reviewPlan,
    agent_ids: d.agentIds,
    inputs: inputsOf(d),
  };
}

/** Where a message belongs: a field of the form, a row or block by key, or the form as a whole. */
export type FieldName =
  | "title"
  | "client"
  | "goal"
  | "deliverables"
  | "deadline"
  | "max_credits"
  | "paste_flags"
  | "style_override"
  | "agent_ids"
  | "inputs";

export interface FieldErrors {
  fields: Partial<Record<FieldName, string>>;
  /** By block or deliverable key. */
  rows: Record<string, string>;
  /** Every message, with the field's name in words, for the summary at the top. */
  all: string[];
}

const FIELD_WORDS: Record<FieldName, string> = {
  title: "Title",
  client: "Client",
  goal: "Goal",
  deliverables: "Deliverables",
  deadline: "Deadline",
  max_credits: "Credit cap",
  paste_flags: "Paste flags",
  style_override: "Style override",
  agent_ids: "Agents",
  inputs: "Material",
};

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The server's 400 details ("inputs.2.content: a paste block cannot be empty or only spaces") on the fields the
 * person filled in: indexes of the request are mapped back to the rows they came from.
 */
export function fieldErrors(d: WorkroomDraft, details: readonly string[]): FieldErrors {
  const blocks = sentBlocks(d);
  const rows = sentDeliverables(d);
  const out: FieldErrors = { fields: {}, rows: {}, all: [] };
  for (const detail of details) {
    const at = detail.indexOf(": ");
    const path = at < 0 ? [] : detail.slice(0, at).split(".");
    const message = sentence(at < 0 ? detail : detail.slice(at + 2));
    const field = path[0] as FieldName | undefined;
    if (!field || !(field in FIELD_WORDS)) {
      out.all.push(message);
      continue;
    }
    const index = path[1] !== undefined ? Number(path[1]) : NaN;
    if (field === "inputs" && blocks[index]) {
      const part = path[2] ?? "content";
      out.rows[blocks[index].key] ??= message;
      out.all.push(`Block ${d.blocks.indexOf(blocks[index]) + 1} (${part}): ${message}`);
    } else if (field === "deliverables" && rows[index]) {
      out.rows[rows[index].key] ??= message;
      out.all.push(`${FIELD_WORDS.deliverables}: ${message}`);
    } else {
      out.fields[field] ??= message;
      out.all.push(`${FIELD_WORDS[field]}: ${message}`);
    }
  }
  return out;
}
