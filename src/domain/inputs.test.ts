import { describe, expect, it } from "vitest";
import {
  InputBlockSchema,
  MAX_INPUT_BYTES,
  checkInputLimits,
  inferGoal,
  type InputBlock,
} from "./inputs.js";

const block = (content: string): InputBlock => ({ kind: "doc", content });

describe("paste limits", () => {
  it("accepts ten blocks within 100 KB", () => {
    expect(checkInputLimits(Array.from({ length: 10 }, () => block("x".repeat(10_000)))).ok).toBe(
      true,
    );
  });

  it("refuses an eleventh block, naming the limit", () => {
    const r = checkInputLimits(Array.from({ length: 11 }, () => block("x")));
    expect(!r.ok && r.error).toMatchObject({
      code: "input_limit",
      message: expect.stringContaining("at most 10 paste blocks"),
    });
  });

  it("counts bytes, not characters, against 100 KB", () => {
    const r = checkInputLimits([block("é".repeat(MAX_INPUT_BYTES / 2 + 1))]);
    expect(!r.ok && r.error.message).toContain("100 KB");
  });

  it("refuses a block of nothing but spaces and line breaks, as it refuses an empty one", () => {
    for (const content of ["", "   ", "\n\t \n"]) {
      const r = InputBlockSchema.safeParse({ kind: "brief", content });
      expect(r.success ? "" : r.error.issues[0]?.message).toBe(
        "a paste block cannot be empty or only spaces",
      );
    }
    expect(InputBlockSchema.safeParse({ kind: "brief", content: " x " }).success).toBe(true);
  });

  it("infers a starting goal from the input kinds", () => {
    expect(inferGoal(["brief"])).toBe("Produce a deliverable from this brief");
    expect(inferGoal(["meeting_notes"])).toContain("meeting notes");
  });
});
