// An agent as the builder edits it: a draft made from the saved agent (or the defaults of a new
// one), turned back into the create body or into a patch of only the fields that changed, and the
// server's validation details sorted onto the fields they name.
import { ApiError, type Schemas } from "../../api/client";

export type Agent = Schemas["Agent"];
export type AgentInput = Schemas["AgentInput"];
export type AgentPatch = Schemas["AgentPatch"];
export type StyleRules = Schemas["StyleRules"];
export type ContextGrants = Agent["context_grants"];
export type InputKind = NonNullable<Schemas["createWorkroomRequest"]["inputs"]>[number]["kind"];

export interface AgentDraft {
  name: string;
  icon: string;
  color: string;
  role_description: string;
  system_prompt: string;
  /** Empty: the workspace default model. */
  model: string;
  temperature: number;
  tool_grants: string[];
  context_grants: ContextGrants;
}

export type DraftField = keyof AgentDraft;

/** What a new agent starts with (the same values the server would default to). */
export const NEW_AGENT: AgentDraft = {
  name: "",
  icon: "sparkles",
  color: "#6366f1",
  role_description: "",
  system_prompt: "",
  model: "",
  temperature: 0.5,
  tool_grants: [],
  context_grants: { input_kinds: "all", task_outputs: "dependencies" },
};

export const draftOf = (a: Agent): AgentDraft => ({
  name: a.name,
  icon: a.icon,
  color: a.color,
  role_description: a.role_description,
  system_prompt: a.system_prompt,
  model: a.model ?? "",
  temperature: a.temperature,
  tool_grants: a.tool_grants,
  context_grants: a.context_grants,
});

/** The builder's draft: the agent's fields and its Style Memory, edited on one version of the
 *  agent (they share its ETag). */
export type BuilderDraft = AgentDraft & { style_rules: StyleRules | null };

export const builderDraftOf = (a: Agent | null): BuilderDraft =>
  a ? { ...draftOf(a), style_rules: a.style_rules } : { ...NEW_AGENT, style_rules: null };

const wire = (d: AgentDraft) => ({ ...d, model: d.model.trim() === "" ? null : d.model.trim() });

export const toInput = (d: AgentDraft): AgentInput => wire(d);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields whose value differs from the saved agent's. */
export function changedFields(base: AgentDraft, d: AgentDraft): DraftField[] {
  return (Object.keys(d) as DraftField[]).filter((k) => !same(base[k], d[k]));
}

/** A PATCH body with only the changed fields (an absent field stays as it is on the server). */
export function patchOf(base: AgentDraft, d: AgentDraft): AgentPatch {
  const next = wire(d);
  const patch: Record<string, unknown> = {};
  for (const k of changedFields(base, d)) patch[k] = next[k];
  return patch as AgentPatch;
}

/**
 * The server's validation details ("name: an agent needs a name", "tone_descriptors.2: …") keyed
 * by their top-level field, so each message can stand under the control it is about.
 */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || e.code !== "invalid_input") return {};
  const details = Array.isArray(e.details) ? (e.details as unknown[]) : [];
  const out: Record<string, string> = {};
  for (const d of details) {
    if (typeof d !== "string") continue;
    const m = /^([a-z_]+)(?:\.[\w.]+)?: (.+)$/.exec(d);
    if (m && !out[m[1]!]) out[m[1]!] = sentence(m[2]!);
  }
  return out;
}

const sentence = (s: string) =>
  s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? "" : ".");

/** How the input kinds read (typed against the API, so a new kind must be named here). */
export const INPUT_KIND_LABEL: Record<InputKind, string> = {
  brief: "Briefs",
  meeting_notes: "Meeting notes",
  slack_thread: "Slack threads",
  doc: "Documents",
  email: "E-mails",
  transcript: "Transcripts",
  sample: "Samples",
  other: "Other material",
};
export const INPUT_KINDS = Object.keys(INPUT_KIND_LABEL) as InputKind[];

export const TASK_OUTPUTS_LABEL: Record<ContextGrants["task_outputs"], string> = {
  dependencies: "Only the tasks it depends on",
  all: "Every earlier task in the plan",
  none: "None: it works from the inputs alone",
};
