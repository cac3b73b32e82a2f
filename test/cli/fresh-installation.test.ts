// A fresh installation, looked around from the command line: reading commands make no workspace
// (they used to make "My agency" with a fresh allowance, which then sat beside the owner's own and
// made every command ask which one it meant); they say there is none yet and how to make one.
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { cliFolder, refused, succeeded } from "../support/cli.js";

const folder = cliFolder();
afterAll(() => folder.remove());

const workspaceNames = (): string[] => {
  const db = new SqliteDatabase(join(folder.dataDir, "atelya.db"), { readonly: true });
  try {
    return (
      db.prepare("select name from workspaces order by name").all() as { name: string }[]
    ).map((w) => w.name);
  } finally {
    db.close();
  }
};

it("reads nothing into being: each reading command says there is no workspace yet", async () => {
  for (const args of [
    ["credits", "balance"],
    ["credits", "ledger"],
    ["agents", "list"],
    ["profile", "show"],
    ["inbox"],
    ["tools"],
    ["presets", "list"],
    ["insights"],
    ["mcp", "list"],
    ["models", "default"],
  ])
    refused(
      await folder.run(args),
      /^error: No workspace yet: `atelya run` makes one on first use, or create the owner with `atelya users create --owner …`/,
    );
  expect(workspaceNames()).toEqual([]);

  // The owner's workspace is then the only one, and every command acts in it.
  succeeded(
    await folder.run(
      [
        "users",
        "create",
        "--owner",
        "--email",
        "o@agency.test",
        "--name",
        "O",
        "--workspace",
        "Agency",
        "--password-stdin",
      ],
      {},
      "a long enough password\n",
    ),
  );
  expect(succeeded(await folder.run(["credits", "balance"]))).toMatch(/^[\d,]+ credits/);
  expect(workspaceNames()).toEqual(["Agency"]);
}, 60_000);
