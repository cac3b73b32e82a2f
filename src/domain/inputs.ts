// Paste blocks (SPEC 2): kinds, the 10-block / 100 KB limits, and the goal inferred when none is given.
import { z } from "zod";
import { err, ok, type Result } from "./errors.js";

export const INPUT_KINDS = [
  "brief",
  "meeting_notes",
  "slack_thread",
  "doc",
  "email",
  "transcript",
  "sample",
  "other",
] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export const MAX_INPUT_BLOCKS = 10;
/** 100 KB of text in total per workroom, counted in UTF-8 bytes. */
export const MAX_INPUT_BYTES = 100_000;

export const InputBlockSchema = z.object({
  kind: z.enum(INPUT_KINDS),
  label: z.string().max(200).optional(),
  // Spaces and line breaks alone are no material: a model would be asked to work from nothing.
  content: z.string().regex(/\S/, "a paste block cannot be empty or only spaces"),
});
export type InputBlock = z.infer<typeof InputBlockSchema>;

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

/** Refuses over-limit input with an error naming the limit; nothing is truncated. */
export function checkInputLimits(blocks: readonly InputBlock[]): Result<{ totalBytes: number }> {
  if (blocks.length > MAX_INPUT_BLOCKS)
    return err(
      "input_limit",
      `A workroom takes at most ${MAX_INPUT_BLOCKS} paste blocks; this one has ${blocks.length}. Merge or remove ${blocks.length - MAX_INPUT_BLOCKS}.`,
    );
  const totalBytes = blocks.reduce((sum, b) => sum + utf8Bytes(b.content), 0);
  if (totalBytes > MAX_INPUT_BYTES)
    return err(
      "input_limit",
      `A workroom takes at most 100 KB (${MAX_INPUT_BYTES.toLocaleString("en-US")} bytes) of pasted text; these blocks hold ${totalBytes.toLocaleString("en-US")} bytes. Shorten them.`,
    );
  return ok({ totalBytes });
}

/** Kinds mined for context and constraints, as opposed to the brief and voice samples. */
export const CONTEXT_KINDS: ReadonlySet<InputKind> = new Set([
  "meeting_notes",
  "email",
  "slack_thread",
  "transcript",
  "doc",
  "other",
]);

/** A starting goal when the user left it empty, from the kinds of input pasted. */
export function inferGoal(kinds: readonly InputKind[]): string {
  const has = (k: InputKind) => kinds.includes(k);
  if (has("brief") && kinds.some((k) => CONTEXT_KINDS.has(k)))
    return "Produce a deliverable from this brief, using the attached notes for context and constraints";
  if (has("brief")) return "Produce a deliverable from this brief";
  if (has("meeting_notes") || has("transcript"))
    return "Turn these meeting notes into a client-ready document";
  if (has("email") || has("slack_thread"))
    return "Turn this conversation into a client-ready document";
  return "Produce a client-ready document from the material provided";
}
