// Encryption at rest (SPEC 10, issue 7): after a whole room on SQLite, the database file (and its
// WAL) holds neither the pasted input nor a provider key set through model settings, while the app
// reads everything back; on PostgreSQL a raw SELECT returns ciphertext; a value copied into another
// workspace's row is refused.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { sql } from "kysely";
import pg from "pg";
import SqliteDatabase from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { createWorkspace } from "../../src/app/workspaces.js";
import { getModelSettings, updateModelSettings } from "../../src/app/model-settings.js";
import { openRuntime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { poolExec } from "../../src/engine/deps.js";
import { listInputs } from "../../src/store/workrooms.js";
import { SEALED_PREFIX, SealedValueError } from "../../src/store/crypto/cipher.js";
import { DIALECTS, createTestDatabase } from "../support/databases.js";
import { openStore } from "../../src/store/db.js";
import { randomMasterKey } from "../../src/store/crypto/master-key.js";
import { MasterKeyMismatchError } from "../../src/store/crypto/key-check.js";
import { ownerOf, proposalRoom } from "../support/fixtures.js";
import { startHarness, type Harness } from "../support/harness.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

const SECRET_SENTENCE = "The marmalade heron signs every Tallinn contract at dawn, quietly.";
const PROVIDER_KEY = "sk-ant-api03-ZyXwVuTsRqPoNmLkJiHgFeDcBa0987654321-abcd";

const roomWithSecret = () =>
  proposalRoom({
    style_override: "Write like this sample: the heron waits.",
    inputs: [
      { kind: "brief", label: "Client brief", content: `${SECRET_SENTENCE} Aurora Coffee brief.` },
      { kind: "meeting_notes", label: "Notes", content: `Kick-off. ${SECRET_SENTENCE}` },
    ],
  });

/** Runs SQL on the database directly, past the store and its read-side plugin. */
async function rawRows(
  dialect: "sqlite" | "postgres",
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (dialect === "sqlite") {
    const db = new SqliteDatabase(url);
    try {
      const stmt = db.prepare(text);
      return stmt.reader
        ? (stmt.all(...params) as Record<string, unknown>[])
        : (stmt.run(...params), []);
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const sqlText = text.replace(/\?/g, (_, i: number) => `$${text.slice(0, i).split("?").length}`);
    return (await c.query(sqlText, params)).rows as Record<string, unknown>[];
  } finally {
    await c.end();
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("the SQLite file after a run", () => {
  it("contains no pasted input text and no provider key, and the app reads the room back", async () => {
    h = await startHarness("sqlite");
    const actor = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, actor, { anthropic: { api_key: PROVIDER_KEY } });
    const room = await createWorkroom(h.runtime.deps, actor, roomWithSecret());
    await startWorkroom(h.runtime.deps, actor, room.id);
    const done = await h.waitFor(room.id, ["completed", "failed"]);
    expect(done.state, done.failureReason ?? "").toBe("completed");
    const draftBefore = (await getWorkroom(h.runtime.deps, actor, room.id)).drafts[0]!;
    expect(JSON.stringify(draftBefore.document)).toContain("marmalade heron");

    await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(h.runtime.deps.store.db);
    await h.runtime.close();
    const files = [h.db.url, `${h.db.url}-wal`].filter((f) => existsSync(f));
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.length).toBeGreaterThan(0);
      for (const secret of [
        "marmalade heron",
        SECRET_SENTENCE,
        PROVIDER_KEY,
        PROVIDER_KEY.slice(-20),
      ])
        expect(bytes.includes(Buffer.from(secret, "utf8")), `${secret} in ${file}`).toBe(false);
      // The acceptance check, with the real tool when the machine has it.
      if (existsSync("/usr/bin/strings")) {
        const printable = execFileSync("strings", ["-n", "6", file], {
          maxBuffer: 1 << 28,
        }).toString();
        expect(printable).not.toContain("marmalade");
        expect(printable).not.toContain(PROVIDER_KEY.slice(-20));
        expect(printable).toContain(SEALED_PREFIX.slice(1)); // the envelopes are there instead
      }
    }

    // Reopened with the same master key, every view reads back in plain text.
    const again = await openRuntime({
      databaseUrl: h.db.url,
      masterKey: TEST_MASTER_KEY,
      models: new ScriptedModel(),
    });
    try {
      const detail = await getWorkroom(again.deps, actor, room.id);
      expect(detail.drafts[0]!.document).toEqual(draftBefore.document);
      expect(detail.tasks.every((t) => !t.title.startsWith(SEALED_PREFIX))).toBe(true);
      expect(detail.tasks.find((t) => t.type === "agent_work")!.output).toBeTruthy();
      const inputs = await listInputs(poolExec(again.deps), h.workspace.id, room.id);
      expect(inputs.map((i) => [i.label, i.content])).toEqual([
        ["Client brief", `${SECRET_SENTENCE} Aurora Coffee brief.`],
        ["Notes", `Kick-off. ${SECRET_SENTENCE}`],
      ]);
      const history = await workroomHistory(again.deps, actor, room.id);
      expect(history.at(-1)!.data.to).toBe("completed");
      const settings = await getModelSettings(again.deps, actor);
      expect(settings.anthropic.api_key).toBe("sk-…abcd");
    } finally {
      await again.close();
      await h.db.drop();
      h = undefined;
    }
  });
});

describe.each(DIALECTS)("sealed columns on %s", (dialect) => {
  it("hold ciphertext for a raw SELECT: inputs, task outputs, drafts, history, plan, secrets", async () => {
    h = await startHarness(dialect);
    const actor = ownerOf(h.workspace);
    await updateModelSettings(h.runtime.deps, actor, { openai: { api_key: PROVIDER_KEY } });
    const room = await createWorkroom(h.runtime.deps, actor, roomWithSecret());
    await startWorkroom(h.runtime.deps, actor, room.id);
    expect((await h.waitFor(room.id, ["completed", "failed"])).state).toBe("completed");
    const sealed = (v: unknown) =>
      typeof v === "string" && v.startsWith(`${SEALED_PREFIX}${h!.workspace.id}:`);
    const columns: [string, string][] = [
      ["inputs", "content"],
      ["inputs", "label"],
      ["tasks", "output"],
      ["tasks", "title"],
      ["tasks", "description"],
      ["plans", "summary"],
      ["drafts", "document"],
      ["history", "data"],
      ["workrooms", "style_override"],
    ];
    for (const [table, column] of columns) {
      const rows = await rawRows(
        dialect,
        h.db.url,
        `SELECT ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL`,
      );
      expect(rows.length, `${table}.${column}`).toBeGreaterThan(0);
      expect(
        rows.filter((r) => !sealed(r.v)),
        `${table}.${column}`,
      ).toEqual([]);
    }
    const [ws] = await rawRows(dialect, h.db.url, "SELECT secrets FROM workspaces WHERE id = ?", [
      h.workspace.id,
    ]);
    expect(sealed(ws!.secrets)).toBe(true);
    const [titles] = await rawRows(dialect, h.db.url, "SELECT title, client FROM workrooms");
    expect(titles).toEqual({ title: "Aurora Coffee — Q4 Proposal", client: "Aurora Coffee" });
  });

  it("refuses an input copied from another workspace's row", async () => {
    h = await startHarness(dialect);
    const other = await createWorkspace(h.runtime.deps, {
      name: "Other Agency",
      plan: "agency",
      defaultModel: "scripted",
    });
    const mine = await createWorkroom(h.runtime.deps, ownerOf(h.workspace), roomWithSecret());
    const theirs = await createWorkroom(h.runtime.deps, ownerOf(other), proposalRoom());
    const [stolen] = await rawRows(
      dialect,
      h.db.url,
      "SELECT content FROM inputs WHERE workroom_id = ?",
      [mine.id],
    );
    await rawRows(dialect, h.db.url, "UPDATE inputs SET content = ? WHERE workroom_id = ?", [
      stolen!.content,
      theirs.id,
    ]);
    await expect(listInputs(poolExec(h.runtime.deps), other.id, theirs.id)).rejects.toThrow(
      SealedValueError,
    );
  });
});

describe.each(DIALECTS)("the master key check on %s", (dialect) => {
  it("refuses to open the database with another key than the one it was first opened with", async () => {
    const db = await createTestDatabase(dialect);
    try {
      const first = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
      await first.close();
      await expect(openStore(db.url, { masterKey: randomMasterKey() })).rejects.toThrow(
        MasterKeyMismatchError,
      );
      const again = await openStore(db.url, { masterKey: TEST_MASTER_KEY });
      await again.close();
    } finally {
      await db.drop();
    }
  });
});
