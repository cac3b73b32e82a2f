// A step reads its workspace (the balance, the plan, the default model) every time. The workspace's
// settings are sealed JSON that can hold megabytes (the letterhead's logo, up to 1.5 MB): a step
// must not read or open them, or every step would decrypt the logo again (the opened-values cache
// holds 1 M characters; the logo alone is more).
import { afterEach, describe, expect, it } from "vitest";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { getSettings, setExportProfile } from "../../src/app/settings.js";
import { createWorkspaceTools } from "../../src/app/workspace-tools.js";
import { DIALECTS } from "../support/databases.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { noisePng } from "../support/images.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A real PNG of about 1 MB (noise does not compress): the profile decodes a logo it saves. */
const bigLogo = () => noisePng(580, 580).toString("base64");

/** Counts the opens of values over 1 M characters (the logo's settings) by the store's cipher. */
function countBigOpens(h: Harness): { readonly n: number } {
  const cipher = h.runtime.deps.store.cipher;
  const open = cipher.open.bind(cipher);
  const count = { n: 0 };
  cipher.open = (value, workspaceId) => {
    if (value.length > 1_000_000) count.n++;
    return open(value, workspaceId);
  };
  return count;
}

describe.each(DIALECTS)("the workspace a step reads (%s)", (dialect) => {
  it("leaves out its settings: a 1 MB letterhead logo is not opened by any step", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    await setExportProfile(h.runtime.deps, actor, {
      company_name: "Northwind Studio",
      logo: { mime: "image/png", base64: bigLogo() },
    });
    // Every value the store opens passes through its cipher: count the big ones.
    const big = countBigOpens(h);
    const room = await createWorkroom(h.runtime.deps, actor, proposalRoom());
    await startWorkroom(h.runtime.deps, actor, room.id);
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    expect(big.n).toBe(0);
    // The logo is there for the export that needs it.
    expect(
      (await getSettings(h.runtime.deps, actor)).export_profile?.logo?.base64.length,
    ).toBeGreaterThan(1_000_000);
    expect(big.n).toBe(1);
  });

  it("is opened by a server's tools only when the settings changed, not at every plan", async () => {
    h = await startHarness(dialect);
    const tools = createWorkspaceTools(h.runtime.deps);
    h.runtime.deps.tools = tools;
    const actor = ownerOf(h.workspace);
    const profile = {
      company_name: "Northwind Studio",
      logo: { mime: "image/png", base64: bigLogo() },
    };
    await setExportProfile(h.runtime.deps, actor, profile);
    const big = countBigOpens(h);
    const runRoom = async () => {
      const room = await createWorkroom(h!.runtime.deps, actor, proposalRoom());
      await startWorkroom(h!.runtime.deps, actor, room.id);
      expect((await h!.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    };
    const opensDuring = async (fn: () => Promise<void>) => {
      const before = big.n;
      await fn();
      return big.n - before;
    };
    try {
      // The first plan's tool list reads them; the second room finds them unchanged.
      expect(await opensDuring(runRoom)).toBe(1);
      expect(await opensDuring(runRoom)).toBe(0);
      // Changed settings (here only the letterhead) are read again, once.
      await setExportProfile(h.runtime.deps, actor, { ...profile, company_name: "Northwind" });
      expect(await opensDuring(runRoom)).toBe(1);
      expect(await opensDuring(runRoom)).toBe(0);
    } finally {
      await tools.close();
    }
  });
});
