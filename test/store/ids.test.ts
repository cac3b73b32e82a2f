// Ids sort by the time they were made (so the rows the engine inserts together share the ends of
// their indexes), stay unique within a millisecond, and name their kind.
import { describe, expect, it } from "vitest";
import { newId } from "../../src/store/ids.js";

describe("newId", () => {
  it("sorts ids by the millisecond they were made, whatever their random part", () => {
    const start = Date.parse("2026-12-07T10:00:00Z");
    const made = [0, 1, 2, 31, 32, 1_000, 86_400_000, 40 * 365 * 86_400_000].flatMap((ms) =>
      Array.from({ length: 20 }, () => ({ ms, id: newId("step", start + ms) })),
    );
    const sorted = [...made].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(sorted.map((x) => x.ms)).toEqual(made.map((x) => x.ms));
  });

  it("makes distinct ids within one millisecond", () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 50_000 }, () => newId("call", now)));
    expect(ids.size).toBe(50_000);
  });

  it("names the kind and keeps one length, from 1970 to the year 3000", () => {
    for (const at of [0, Date.parse("2026-12-07T00:00:00Z"), Date.parse("3000-01-01T00:00:00Z")]) {
      expect(newId("workroom", at)).toMatch(/^room_[0-9a-hjkmnp-tv-z]{23}$/);
      expect(newId("task", at)).toMatch(/^task_[0-9a-hjkmnp-tv-z]{23}$/);
    }
  });
});
