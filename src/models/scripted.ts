// The scripted model: a first-class ModelGateway for tests, benchmarks and the demo. Its answers are
// deterministic and derived from the prompt's fenced blocks, so plans are valid and documents
// mention the deliverable and the inputs. Latency, token counts and failures are configurable.
import { readFences } from "../agents/fence.js";
import type { Block, Document, Section } from "../domain/document.js";
import type { ModelRequest, ModelUsage } from "./gateway.js";
import { MeteredGateway, type Backend, type Completion, type MeteredOptions } from "./metered.js";
import { isScripted } from "../domain/model-names.js";
import { sleep } from "./retry.js";

export interface ScriptedCall {
  /** 1-based index of the call on this model instance. */
  index: number;
  req: ModelRequest;
  prompt: string;
}

export interface ScriptedOptions {
  /** Milliseconds per call, or a function of the call. 0 answers without yielding to a timer. */
  latencyMs?: number | ((call: ScriptedCall) => number);
  /** Replaces the default answer: a string (text or JSON) or an object; undefined keeps the default. */
  respond?: (call: ScriptedCall) => string | object | undefined;
  /** Makes a call fail by throwing what it returns. */
  fail?: (call: ScriptedCall) => Error | undefined;
  /** Overrides token counting. */
  usage?: (call: ScriptedCall, output: string) => ModelUsage;
  /** Timeouts and retries of the metered gateway (tests shorten them). */
  gateway?: MeteredOptions;
  /** Keep every call in `log` (tests read the prompts there). Off by default: a server or a
   *  benchmark would otherwise hold every prompt it ever sent for as long as it runs. */
  keepLog?: boolean;
}

const tokensOf = (text: string): number => Math.ceil(text.length / 4);

export function promptText(req: Pick<ModelRequest, "system" | "messages">): string {
  return `${req.system}\n${req.messages.map((m) => m.content).join("\n")}`;
}

/** The scripted provider: one call, deterministic answer. */
class ScriptedBackend implements Backend {
  private calls = 0;
  readonly log: ScriptedCall[] = [];

  constructor(private readonly options: ScriptedOptions) {}

  isLocal(model: string): boolean {
    return isScripted(model);
  }

  countTokens(req: Pick<ModelRequest, "system" | "messages">): number {
    return tokensOf(promptText(req));
  }

  async complete(req: ModelRequest, signal: AbortSignal): Promise<Completion> {
    const prompt = promptText(req);
    const call: ScriptedCall = { index: ++this.calls, req, prompt };
    if (this.options.keepLog) this.log.push(call);
    const latency =
      typeof this.options.latencyMs === "function"
        ? this.options.latencyMs(call)
        : (this.options.latencyMs ?? 0);
    if (latency > 0) await sleep(latency, signal);
    const failure = this.options.fail?.(call);
    if (failure) throw failure;
    const custom = this.options.respond?.(call);
    const text =
      custom === undefined
        ? scriptedAnswer(req.purpose, prompt)
        : typeof custom === "string"
          ? custom
          : JSON.stringify(custom);
    const usage = this.options.usage?.(call, text) ?? {
      inputTokens: tokensOf(prompt),
      outputTokens: Math.min(tokensOf(text), req.maxOutputTokens),
      cachedInputTokens: 0,
    };
    return { text, usage };
  }

  async stream(
    req: ModelRequest,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Completion> {
    const done = await this.complete(req, signal);
    for (const piece of done.text.match(/[\s\S]{1,64}/g) ?? []) onDelta(piece);
    return done;
  }
}

/** The scripted model as a ModelGateway: the same metering, retries and re-asks as real providers. */
export class ScriptedModel extends MeteredGateway {
  /** Every call made, in order, with `keepLog` (tests read prompts from here); else empty. */
  readonly log: ScriptedCall[];

  constructor(options: ScriptedOptions = {}) {
    const backend = new ScriptedBackend(options);
    super(backend, options.gateway);
    this.log = backend.log;
  }
}

// ── Default answers, derived from the fenced blocks of the prompt ──────────────────────────────

interface RoomInfo {
  title: string;
  goal: string;
  deliverables: string[];
}

function firstJson<T>(prompt: string, tag: string): T | undefined {
  const body = readFences(prompt, tag)[0]?.body;
  return body === undefined ? undefined : (JSON.parse(body) as T);
}

function firstSentence(text: string, max = 140): string {
  const s =
    text
      .replace(/\s+/g, " ")
      .trim()
      .split(/(?<=[.!?])\s/)[0] ?? "";
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The scripted answer to a prompt, by purpose: also used by the fake provider servers in tests. */
export function scriptedAnswer(purpose: ModelRequest["purpose"], prompt: string): string {
  switch (purpose) {
    case "plan":
      return JSON.stringify(scriptedPlan(prompt));
    case "compose":
      return JSON.stringify(scriptedDocument(prompt));
    case "revise":
      return JSON.stringify(scriptedRevision(prompt));
    case "style_extract":
      return JSON.stringify(scriptedStyle(prompt));
    case "rewrite":
    case "task":
      return scriptedSection(prompt);
  }
}

interface AgentInfo {
  id: string;
  name: string;
  bot_type: string;
}

function scriptedPlan(prompt: string) {
  const room = firstJson<RoomInfo>(prompt, "workroom") ?? {
    title: "Deliverable",
    goal: "",
    deliverables: [],
  };
  const agents = firstJson<AgentInfo[]>(prompt, "agents") ?? [];
  const composer = agents.find((a) => a.bot_type === "composer")?.id ?? "Composer";
  const workers = agents.filter((a) => a.bot_type === "custom").map((a) => a.id);
  const pool = workers.length ? workers : [composer];
  const who = (i: number) => pool[i % pool.length]!;
  const what = `${room.deliverables.join(", ") || "deliverable"}`;
  const isProposal = /proposal|pitch|quote|estimate/i.test(`${what} ${room.goal}`);
  const steps: [string, string, number[]][] = isProposal
    ? [
        ["Scope", `Define the scope of the ${what}: goals, what is in and out.`, []],
        ["Pricing", "Price the scoped work as a table of line items.", [1]],
        ["Timeline", "Lay out phases and milestones for the scoped work.", [1]],
        ["Risks", "List the main risks with mitigations.", [2, 3]],
        ["Summary", "Write the executive summary.", [4]],
      ]
    : [
        ["Key points", `Pull out the key points of the material for the ${what}.`, []],
        ["Main body", `Draft the main body of the ${what}.`, [1]],
        ["Next steps", "List the agreed next steps, owners and dates.", [1]],
      ];
  // After a replan, the work kept from the earlier plan is not planned again: the steps left are
  // renumbered, and what they depended on that is done is context, not a dependency.
  const done = new Set(readFences(prompt, "output").map((o) => o.attrs["title"]));
  const left = steps.filter(([title]) => !done.has(title));
  const ordinalOf = (step: number) => left.indexOf(steps[step - 1]!) + 1;
  const tasks = left.map(([title, description, deps], i) => ({
    ordinal: i + 1,
    title,
    description,
    type: "agent_work",
    agent: who(i),
    depends_on: deps.map(ordinalOf).filter((o) => o > 0),
    estimated_seconds: 60,
  }));
  tasks.push({
    ordinal: tasks.length + 1,
    title: `Compose the ${what}`,
    description: `Write the finished ${what} from the task outputs.`,
    type: "composition",
    agent: composer,
    depends_on: tasks.map((t) => t.ordinal),
    estimated_seconds: 120,
  });
  return { summary: `Plan for ${room.title}: ${tasks.length} tasks.`, tasks };
}

const sentences = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .split(/(?<=[.!?])\s+|\s+-\s+/)
    .map((x) => x.trim().replace(/^-\s+/, ""))
    .filter(Boolean);

/** Extra material a section of this kind would carry, read off the inputs. */
function sectionExtras(
  title: string,
  inputs: { attrs: Record<string, string>; body: string }[],
): string[] {
  const all = inputs.map((i) => i.body).join("\n");
  if (/pric|budget|cost|fee/i.test(title)) {
    const amounts = [...all.matchAll(/[€$£]\s?\d[\d,.]*\s?k?/g)].map((m) =>
      m[0].trim().replace(/[.,]+$/, ""),
    );
    const rows = amounts.length
      ? amounts.map(
          (a, i) =>
            `| ${i === 0 ? "Budget indicated by the client" : `Amount ${i + 1} in the material`} | ${a} |`,
        )
      : ["| Discovery and scope | to be confirmed |"];
    return ["", "| Item | Amount |", "| --- | --- |", ...rows];
  }
  if (/timeline|schedule|milestone|phase/i.test(title)) {
    const dated = sentences(all).filter((x) =>
      /\b(\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*|(January|February|March|April|May|June|July|August|September|October|November|December))\b/.test(
        x,
      ),
    );
    return [
      "",
      ...(dated.length ? dated : ["Kick-off", "Pilot", "Rollout"])
        .slice(0, 5)
        .map((x, i) => `${i + 1}. ${x}`),
    ];
  }
  if (/risk/i.test(title)) {
    const flagged = sentences(all).filter((x) =>
      /\b(must|open|wants|need|needs|depends|before)\b/i.test(x),
    );
    return [
      "",
      ...(flagged.length ? flagged : ["Scope changes after sign-off"])
        .slice(0, 5)
        .map((x) => `- Risk: ${x}`),
    ];
  }
  return [];
}

function scriptedSection(prompt: string): string {
  const room = firstJson<RoomInfo>(prompt, "workroom");
  const task = firstJson<{ title: string; description: string }>(prompt, "task");
  const inputs = readFences(prompt, "input").filter((i) => i.attrs.kind !== "sample");
  const brief = inputs.find((i) => i.attrs.kind === "brief") ?? inputs[0];
  const title = task?.title ?? "Section";
  const lines = [
    `## ${title}`,
    "",
    `For ${room?.title ?? "this deliverable"} (${room?.deliverables.join(", ") || "deliverable"}): ${task?.description ?? ""}`.trim(),
  ];
  if (brief)
    lines.push(
      "",
      `From the ${brief.attrs.label ?? brief.attrs.kind}: "${firstSentence(brief.body)}"`,
    );
  lines.push(...sectionExtras(title, inputs));
  const feedback = readFences(prompt, "feedback")[0];
  if (feedback) lines.push("", `Revised to address: ${firstSentence(feedback.body)}`);
  return lines.join("\n");
}

/** The blocks of an agent's Markdown: paragraphs, bullet and numbered lists, pipe tables. */
function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n").filter((l) => l.trim() && !l.startsWith("## "));
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const bullet = /^- (.*)/.exec(line);
    const numbered = /^\d+\. (.*)/.exec(line);
    if (bullet || numbered) {
      const ordered = Boolean(numbered);
      const items = [];
      for (; i < lines.length; i++) {
        const m = (ordered ? /^\d+\. (.*)/ : /^- (.*)/).exec(lines[i]!);
        if (!m) break;
        items.push({ inlines: [{ text: m[1]! }] });
      }
      i--;
      blocks.push({ type: "list", ordered, items });
    } else if (line.startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith("|"); i++)
        if (!/^\|\s*-/.test(lines[i]!))
          rows.push(
            lines[i]!.split("|")
              .slice(1, -1)
              .map((c) => c.trim()),
          );
      i--;
      blocks.push({ type: "table", header: rows[0] ?? ["Item"], rows: rows.slice(1) });
    } else blocks.push({ type: "paragraph", inlines: [{ text: line }] });
  }
  return blocks;
}

function scriptedDocument(prompt: string): Document {
  const room = firstJson<RoomInfo>(prompt, "workroom") ?? {
    title: "Deliverable",
    goal: "",
    deliverables: [],
  };
  const outputs = readFences(prompt, "output");
  const sections = outputs.map((o) => ({
    title: o.attrs.title ?? `Part ${o.attrs.task}`,
    blocks: blocksOf(o.body),
  }));
  sections.push({
    title: "At a glance",
    blocks: [
      {
        type: "table",
        header: ["Part", "Covered"],
        rows: outputs.map((o) => [o.attrs.title ?? "", "Yes"]),
      },
    ],
  });
  return {
    title: room.title,
    subtitle: room.deliverables.join(" · ") || undefined,
    sections: sections.map((s) =>
      s.blocks.length ? s : { ...s, blocks: [{ type: "paragraph", inlines: [{ text: s.title }] }] },
    ),
  };
}

function reviseSection(section: Section, instruction: string): Section {
  const tighten = /^tighten/i.test(instruction);
  const note = firstSentence(instruction.replace(/^[^.]*\.\s*/, "") || instruction, 120);
  const blocks = section.blocks.map((b): Block => {
    if (b.type !== "paragraph") return b;
    const text = b.inlines.map((i) => i.text).join("");
    return {
      type: "paragraph",
      inlines: [{ text: tighten ? firstSentence(text, 90) : `${text} ${note}` }],
    };
  });
  if (!blocks.some((b) => b.type === "paragraph"))
    blocks.push({ type: "paragraph", inlines: [{ text: note }] });
  return { ...section, blocks };
}

function scriptedRevision(prompt: string): Document | Section {
  const revision = readFences(prompt, "revision")[0];
  const instruction = revision?.body ?? "";
  const draft = firstJson<Document>(prompt, "draft");
  switch (revision?.attrs.target) {
    case "section":
      return reviseSection(
        firstJson<Section>(prompt, "section") ?? { title: "Section", blocks: [] },
        instruction,
      );
    case "new_section": {
      const title = /Write the new section "([^"]+)"/.exec(prompt)?.[1] ?? "New section";
      return {
        title,
        blocks: [{ type: "paragraph", inlines: [{ text: firstSentence(instruction, 200) }] }],
      };
    }
    default:
      return draft
        ? { ...draft, sections: draft.sections.map((sec) => reviseSection(sec, instruction)) }
        : { title: "Document", sections: [] };
  }
}

/** A style profile read off the samples with simple, deterministic measures. */
function scriptedStyle(prompt: string) {
  const samples = readFences(prompt, "input").map((i) => i.body);
  const text = samples.join("\n");
  const sentences = text.split(/(?<=[.!?])\s+/).filter((x) => x.trim());
  const words = text.split(/\s+/).filter(Boolean);
  const avg = sentences.length ? words.length / sentences.length : 0;
  const contractions = (text.match(/\b\w+'(s|re|ll|ve|d|t)\b/gi) ?? []).length;
  const headings = [...text.matchAll(/^#{1,3}\s+(.+)$/gm)].map((m) => m[1]!.trim());
  return {
    tone_descriptors: [
      avg < 16 ? "plain" : "thorough",
      contractions > 2 ? "warm" : "measured",
      "confident",
    ],
    banned_phrases: ["synergy", "world-class", "cutting-edge"].filter(
      (p) => !text.toLowerCase().includes(p),
    ),
    required_sections: [...new Set(headings)].slice(0, 6),
    voice_examples: samples
      .map((s) => firstSentence(s, 160))
      .filter(Boolean)
      .slice(0, 3),
    structural_pattern: headings.length
      ? "short headed sections, each opening with the point"
      : "short paragraphs, the point first",
    reading_level:
      avg < 14
        ? "plain (grade 7–8)"
        : avg < 20
          ? "general business (grade 9–11)"
          : "specialist (grade 12+)",
    formality: contractions > 2 ? 2 : avg > 20 ? 4 : 3,
  };
}
