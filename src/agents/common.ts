// Prompt parts every agent shares: the workroom brief, the fenced inputs, the style block.
import type { EffectiveStyle } from "../domain/style.js";
import type { Input } from "../domain/types.js";
import { fence, fenceJson } from "./fence.js";
import type { RoomSnapshot, TaskOutput } from "./snapshot.js";

export function workroomBlock(s: RoomSnapshot): string {
  const { title, client, goal, deliverables, deadline } = s.room;
  return fenceJson("workroom", { title, client, goal, deliverables, deadline });
}

export function inputBlocks(inputs: readonly Input[]): string {
  if (inputs.length === 0) return "(no material was pasted)";
  return inputs
    .map((i) =>
      fence("input", i.content, {
        kind: i.kind,
        label: i.label ?? undefined,
        use:
          i.kind === "brief"
            ? "primary requirement"
            : i.kind === "sample"
              ? "voice reference only: imitate its tone, never reuse its content"
              : "context and constraints",
      }),
    )
    .join("\n\n");
}

export function outputBlocks(outputs: readonly TaskOutput[]): string {
  return outputs
    .map((o) =>
      fence("output", o.output, {
        task: o.ordinal,
        title: o.title,
        agent: o.agentName ?? undefined,
      }),
    )
    .join("\n\n");
}

/** The seven Style Memory fields, verbatim, and the one-shot override that takes precedence. */
export function styleBlock(style: EffectiveStyle): string {
  const parts = [fenceJson("style", style.rules)];
  if (style.override)
    parts.push(
      fence("style_override", style.override),
      "The style override above takes precedence over the style rules.",
    );
  if (style.rules.banned_phrases.length)
    parts.push(
      `Never use these phrases: ${style.rules.banned_phrases.map((p) => `"${p}"`).join(", ")}.`,
    );
  return parts.join("\n");
}
