// The download progress line a person watches while a preset comes in.
import { describe, expect, it } from "vitest";
import { progressBar } from "./presets.js";

describe("the download progress bar", () => {
  it("shows the share done, the megabytes, and ends its line when complete", () => {
    const out: string[] = [];
    const draw = progressBar({ write: (s: string) => out.push(s) }, 0);
    draw({ received: 512 * 2 ** 20, total: 1024 * 2 ** 20 });
    draw({ received: 1024 * 2 ** 20, total: 1024 * 2 ** 20 });
    expect(out[0]).toBe(`\r${"█".repeat(15)}${"░".repeat(15)} 50% 512 / 1024 MB`);
    expect(out[1]).toBe(`\r${"█".repeat(30)} 100% 1024 / 1024 MB\n`);
  });

  it("draws at most every so often, but always the last update", () => {
    const out: string[] = [];
    const draw = progressBar({ write: (s: string) => out.push(s) }, 60_000);
    for (let mb = 1; mb <= 10; mb++) draw({ received: mb * 2 ** 20, total: 10 * 2 ** 20 });
    expect(out).toHaveLength(2); // the first and the complete one
    expect(out[1]).toMatch(/100% 10 \/ 10 MB\n$/);
  });

  it("shows only megabytes when the server does not say the size", () => {
    const out: string[] = [];
    progressBar(
      { write: (s: string) => out.push(s) },
      0,
    )({ received: 3 * 2 ** 20, total: undefined });
    expect(out).toEqual(["\r3 MB"]);
  });
});
