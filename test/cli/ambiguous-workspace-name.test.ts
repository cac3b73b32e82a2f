// Two workspaces of one name: `--workspace <name>` used to act in the first of them, so
// `atelya --workspace Studio workspace delete --confirm Studio` deleted the one the user did not
// mean. A shared name is now refused with both ids, and the id picks the one meant.
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace } from "../../src/app/workspaces.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { openRuntime } from "../../src/runtime.js";
import { readKeyFile } from "../../src/store/crypto/master-key.js";
import type { Workspace } from "../../src/domain/types.js";
import { cliFolder, refused } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

const database = () => join(folder.dataDir, "atelya.db");
const workspaceIds = (): string[] => {
  const db = new SqliteDatabase(database(), { readonly: true });
  try {
    return (db.prepare("select id from workspaces order by id").all() as { id: string }[]).map(
      (r) => r.id,
    );
  } finally {
    db.close();
  }
};
let first: Workspace;
let second: Workspace;
let ambiguous: RegExp;
beforeAll(async () => {
  expect((await folder.run(["migrate"])).code).toBe(0);
  const runtime = await openRuntime({
    databaseUrl: database(),
    masterKey: readKeyFile(join(folder.dataDir, "master.key")),
    models: new ScriptedModel(),
  });
  const make = (topup: number) =>
    createWorkspace(runtime.deps, {
      name: "Studio",
      plan: "solo",
      defaultModel: "scripted",
      topup,
    });
  first = await make(100);
  second = await make(700);
  await runtime.close();
  const either = `(${first.id}|${second.id})`;
  ambiguous = new RegExp(
    `^error: 2 workspaces are named "Studio" \\("Studio" \\(${either}\\), "Studio" \\(${either}\\)\\): name one by its id with --workspace <id>\\.$`,
    "m",
  );
});

describe("a workspace name two workspaces share", () => {
  it("is refused with both ids, from --workspace, ATELYA_WORKSPACE and users create", async () => {
    refused(await folder.run(["--workspace", "Studio", "credits", "balance"]), ambiguous);
    refused(await folder.run(["credits", "balance"], { ATELYA_WORKSPACE: "Studio" }), ambiguous);
    refused(
      await folder.run(["credits", "balance"]),
      new RegExp(`has 2 workspaces \\("Studio" \\(ws_\\w+\\), "Studio" \\(ws_\\w+\\)\\)`),
    );
    refused(
      await folder.run(
        [
          "users",
          "create",
          "--workspace",
          "Studio",
          "--email",
          "dana@agency.test",
          "--name",
          "Dana",
          "--password-stdin",
        ],
        {},
        "a long enough password\n",
      ),
      ambiguous,
    );
  });

  it("deletes nothing when it is all that names the workspace to delete", async () => {
    refused(
      await folder.run(["--workspace", "Studio", "workspace", "delete", "--confirm", "Studio"]),
      ambiguous,
    );
    refused(await folder.run(["workspace", "delete", "--confirm", "Studio"]), ambiguous);
    expect(workspaceIds()).toEqual([first.id, second.id].sort());
  });

  it("leaves the id to name the one meant", async () => {
    const balance = await folder.run(["--workspace", second.id, "credits", "balance"]);
    expect(balance.code, balance.stderr).toBe(0);
    expect(balance.stdout).toMatch(/\+ 700 top-up/);
    const deleted = await folder.run([
      "--workspace",
      second.id,
      "workspace",
      "delete",
      "--confirm",
      "Studio",
    ]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(workspaceIds()).toEqual([first.id]);
  });
});
