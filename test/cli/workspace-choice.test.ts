// Which workspace a CLI command acts in: the installation's only one, whoever made it (here
// `users create --owner`, as the set-up page would); the one --workspace or ATELYA_WORKSPACE names;
// a room's own for commands about a room; and with several, none until one is named. (The CLI used
// to make and use a workspace of its own, "My agency", beside the agency's, and top it up.)
import { join } from "node:path";
import { writeFileSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { createWorkspace } from "../../src/app/workspaces.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { openRuntime } from "../../src/runtime.js";
import { readKeyFile } from "../../src/store/crypto/master-key.js";
import { BRIEF } from "../support/fixtures.js";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());
writeFileSync(join(folder.dir, "brief.md"), BRIEF);

const database = () => join(folder.dataDir, "atelya.db");
/** By workspace name, its rooms' titles. */
function roomsByWorkspace(): Record<string, string[]> {
  const db = new SqliteDatabase(database(), { readonly: true });
  try {
    const out: Record<string, string[]> = {};
    for (const w of db.prepare("select id, name from workspaces order by name").all() as {
      id: string;
      name: string;
    }[])
      out[w.name] = (
        db.prepare("select title from workrooms where workspace_id = ?").all(w.id) as {
          title: string;
        }[]
      ).map((r) => r.title);
    return out;
  } finally {
    db.close();
  }
}

it("acts in the only workspace, the one named, or a room's own; with several it asks which", async () => {
  const owner = await folder.run(
    [
      "users",
      "create",
      "--owner",
      "--email",
      "olive@agency.test",
      "--name",
      "Olive",
      "--workspace",
      "Olive Agency",
      "--password-stdin",
    ],
    {},
    "a long enough password\n",
  );
  expect(succeeded(owner)).toBe('Created owner olive@agency.test of workspace "Olive Agency".\n');

  // One workspace: every command acts in it, and the CLI makes none of its own.
  expect(succeeded(await folder.run(["credits", "topup", "500"]))).toMatch(/^Balance: [\d,]+/);
  const run = await folder.run([
    "run",
    "--title",
    "Weekly recap",
    "--deliverable",
    "Recap",
    "--input",
    "brief:./brief.md",
  ]);
  expect(run.code, run.stderr).toBe(0);
  expect(roomsByWorkspace()).toEqual({ "Olive Agency": ["Weekly recap"] });
  const balance = succeeded(await folder.run(["credits", "balance"]));
  expect(balance).toMatch(/\+ 500 top-up/);
  const roomId = /room_\w+/.exec(run.stdout)![0];

  // A second workspace (another owner's, made in the web app).
  const runtime = await openRuntime({
    databaseUrl: database(),
    masterKey: readKeyFile(join(folder.dataDir, "master.key")),
    models: new ScriptedModel(),
  });
  await createWorkspace(runtime.deps, {
    name: "Side Studio",
    plan: "solo",
    defaultModel: "scripted",
  });
  await runtime.close();

  refused(
    await folder.run(["credits", "balance"]),
    /^error: This installation has 2 workspaces \("Olive Agency", "Side Studio"\): name one with --workspace <name or id>\.$/m,
  );
  refused(
    await folder.run(["--workspace", "Nope", "credits", "balance"]),
    /^error: No workspace "Nope"\. Workspaces: "Olive Agency", "Side Studio"\.$/m,
  );
  expect(succeeded(await folder.run(["--workspace", "Olive Agency", "credits", "balance"]))).toBe(
    balance,
  );
  expect(
    succeeded(await folder.run(["credits", "balance"], { ATELYA_WORKSPACE: "Olive Agency" })),
  ).toBe(balance);
  expect(
    succeeded(await folder.run(["credits", "balance", "--workspace", "Side Studio"])),
  ).not.toBe(balance);

  // A room's commands act in its workspace, and refuse another one named.
  expect(succeeded(await folder.run(["show", roomId]))).toContain("Weekly recap  [completed]");
  refused(
    await folder.run(["show", roomId, "--workspace", "Side Studio"]),
    new RegExp(`^error: Workroom ${roomId} is not in the workspace "Side Studio"\\.$`, "m"),
  );
  expect(roomsByWorkspace()).toEqual({ "Olive Agency": ["Weekly recap"], "Side Studio": [] });
});
