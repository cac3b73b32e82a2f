import { describe, expect, it } from "vitest";
import { ScriptedModel } from "./scripted.js";
import { SECTION_REQUEST as request } from "../../test/support/fixtures.js";

describe("the scripted model's call log", () => {
  it("keeps every prompt only when asked to, so a long-running server holds none of them", async () => {
    const respond = () => "The scope is the loyalty app's relaunch.";
    const plain = new ScriptedModel({ respond });
    const kept = new ScriptedModel({ respond, keepLog: true });
    for (let i = 0; i < 3; i++) {
      await plain.generateText(request);
      await kept.generateText(request);
    }
    expect(plain.log).toEqual([]);
    expect(kept.log.map((c) => c.index)).toEqual([1, 2, 3]);
    expect(kept.log[0]!.prompt).toContain("Write the scope.");
  });
});
