// The revision form drawn from a preset's argument schema (JSON Schema, as the API gives it): each
// property becomes one field by its type — a section picker for arguments that name a section,
// a select for enums, a number input, short text or a text area — so a preset an admin adds
// gets a form without the web app knowing it.
import type { Schemas } from "../../../api/client";

export type Preset = Schemas["RevisionPreset"];

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  title?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export type PresetField =
  | { kind: "section"; name: string; label: string; required: boolean; hint?: string }
  | {
      kind: "enum";
      name: string;
      label: string;
      required: boolean;
      options: string[];
      hint?: string;
    }
  | {
      kind: "number";
      name: string;
      label: string;
      required: boolean;
      min?: number;
      max?: number;
      hint?: string;
    }
  | {
      kind: "text" | "longtext";
      name: string;
      label: string;
      required: boolean;
      maxLength?: number;
      hint?: string;
    };

/** Arguments that take "a section number (1-based) or title" are chosen from the draft. */
const SECTION_ARG = /(^|_)section$/;

const LABELS: Record<string, string> = {
  instruction: "Instruction",
  target_section: "Section",
  after_section: "Place it after",
  section_title: "New section's title",
  feedback: "The client's feedback",
};

const HINTS: Record<string, string> = {
  instruction: "Say what should change, in a sentence or two.",
  feedback: "Paste the client's words as they wrote them.",
};

export function humanize(name: string): string {
  const words = name.replace(/_/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The fields of a preset's form, in the schema's order. */
export function presetFields(preset: Preset): PresetField[] {
  const schema = preset.args_schema as {
    properties?: Record<string, PropertySchema>;
    required?: string[];
  };
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, p]): PresetField => {
    const label = p.title ?? LABELS[name] ?? humanize(name);
    const base = { name, label, required: required.has(name) };
    const type = Array.isArray(p.type) ? p.type.find((t) => t !== "null") : p.type;
    if (SECTION_ARG.test(name)) return { kind: "section", ...base };
    const hint = HINTS[name] ?? p.description;
    if (p.enum) return { kind: "enum", ...base, options: p.enum.map(String), hint };
    if (type === "number" || type === "integer")
      return { kind: "number", ...base, min: p.minimum, max: p.maximum, hint };
    const long = p.maxLength === undefined || p.maxLength > 300;
    return { kind: long ? "longtext" : "text", ...base, maxLength: p.maxLength, hint };
  });
}

/** What is missing before the request can go: field name → message. */
export function missingArgs(
  fields: PresetField[],
  values: Record<string, string>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields)
    if (f.required && !(values[f.name] ?? "").trim())
      errors[f.name] = f.kind === "section" ? "Choose a section." : `${f.label} is required.`;
  return errors;
}

/** The preset_args to send: trimmed, empty optional ones left out. */
export function argsToSend(
  fields: PresetField[],
  values: Record<string, string>,
): Record<string, string> {
  const args: Record<string, string> = {};
  for (const f of fields) {
    const v = (values[f.name] ?? "").trim();
    if (v) args[f.name] = v;
  }
  return args;
}
