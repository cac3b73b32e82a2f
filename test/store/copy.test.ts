// Copying a whole installation into another, empty database, both ways between SQLite and
// PostgreSQL: the copy reads as the original did (rooms, history, credits, accounts and API keys),
// a room that was in flight finishes on it, new rows get ids after the copied ones, and a copy
// that cannot be made (a target that is not empty, a worker still running, the same database)
// changes nothing.
import { describe, expect, it } from "vitest";
import { signIn } from "../../src/app/accounts.js";
import { authenticateApiKey, createApiKey } from "../../src/app/api-keys.js";
import { balance, ledger } from "../../src/app/credits.js";
import {
  createWorkroom,
  getWorkroom,
  startWorkroom,
  workroomHistory,
} from "../../src/app/workrooms.js";
import { copyStore } from "../../src/store/copy.js";
import { isSealed } from "../../src/store/crypto/cipher.js";
import type { StoreConnection } from "../../src/store/db.js";
import { PASSWORD, setupAgency } from "../support/accounts.js";
import { proposalRoom } from "../support/fixtures.js";
import { roomState, useInstallations } from "../support/installations.js";

const { database, runtimeOn, storeOn } = useInstallations();

async function count(store: StoreConnection, table: "workrooms" | "history" | "ledger") {
  const r = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe.each([
  ["sqlite", "postgres"],
  ["postgres", "sqlite"],
] as const)("a copy from %s to %s", (fromDialect, toDialect) => {
  it("reads as the original, and a room that was in flight finishes on it", async () => {
    const fromDb = await database(fromDialect);
    // The room in flight waits on its model long enough to be caught mid-run.
    const source = await runtimeOn(fromDb, 300);
    const { owner } = await setupAgency(source.deps);
    const key = await createApiKey(source.deps, owner, { name: "Zapier" });
    const worker = source.startWorker();
    const done = await createWorkroom(source.deps, owner, proposalRoom());
    const finished = roomState(source, done.id, ["completed"]);
    await startWorkroom(source.deps, owner, done.id);
    await finished;
    const inFlight = await createWorkroom(source.deps, owner, proposalRoom({ title: "Second" }));
    const executing = roomState(source, inFlight.id, ["executing"]);
    await startWorkroom(source.deps, owner, inFlight.id);
    await executing;
    // Stopped as a server stops: the steps it was working are released for another worker.
    await worker.stop();
    const before = {
      done: await getWorkroom(source.deps, owner, done.id),
      history: await workroomHistory(source.deps, owner, done.id),
      inFlight: await workroomHistory(source.deps, owner, inFlight.id),
      balance: await balance(source.deps, owner),
      ledger: await ledger(source.deps, owner),
    };

    const toDb = await database(toDialect);
    const target = await storeOn(toDb);
    const report = await copyStore(source.deps.store, target);
    const rows = (table: string) => report.tables.find((t) => t.table === table)?.rows;
    expect(rows("workrooms")).toBe(2);
    expect(rows("users")).toBe(1);
    expect(rows("history")).toBe(await count(source.deps.store, "history"));
    // Every table is filled after the tables it refers to.
    const order = report.tables.map((t) => t.table);
    expect(order.indexOf("workspaces")).toBeLessThan(order.indexOf("workrooms"));
    expect(order.indexOf("plans")).toBeLessThan(order.indexOf("tasks"));
    // Copied as stored: content sealed at rest stays sealed.
    const inputs = await target.db
      .withoutPlugins()
      .selectFrom("inputs")
      .select("content")
      .execute();
    expect(inputs.length).toBeGreaterThan(0);
    expect(inputs.filter((r) => !isSealed(r.content))).toEqual([]);

    const copy = await runtimeOn(toDb, 0);
    expect(await getWorkroom(copy.deps, owner, done.id)).toEqual(before.done);
    expect(await workroomHistory(copy.deps, owner, done.id)).toEqual(before.history);
    expect(await balance(copy.deps, owner)).toEqual(before.balance);
    expect(await ledger(copy.deps, owner)).toEqual(before.ledger);
    // The owner signs in with the same password, and the API key still authenticates.
    const signedIn = await signIn(copy.deps, {
      email: "owner@agency.test",
      password: PASSWORD,
      ip: "127.0.0.1",
    });
    expect(signedIn.workspaces.map((w) => w.id)).toEqual([owner.workspaceId]);
    expect((await authenticateApiKey(copy.deps, key.key))?.user.id).toBe(owner.userId);

    // The room in flight goes on where it was, on the copy's own worker.
    const completed = roomState(copy, inFlight.id, ["completed"]);
    copy.startWorker();
    await completed;
    const history = await workroomHistory(copy.deps, owner, inFlight.id);
    expect(history.slice(0, before.inFlight.length)).toEqual(before.inFlight);
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    // New ledger rows were numbered after the copied ones (PostgreSQL's sequences were moved on).
    const after = await ledger(copy.deps, owner);
    expect(after.length).toBeGreaterThan(before.ledger.length);
    expect(new Set(after.map((e) => e.id)).size).toBe(after.length);
  });
});

describe("a copy that cannot be made", () => {
  it("leaves a target that is not empty as it was", async () => {
    const fromDb = await database("sqlite");
    const source = await runtimeOn(fromDb);
    const { owner } = await setupAgency(source.deps);
    await createWorkroom(source.deps, owner, proposalRoom());
    const target = await storeOn(await database("postgres"));
    await copyStore(source.deps.store, target);
    await createWorkroom(source.deps, owner, proposalRoom({ title: "Later" }));
    await expect(copyStore(source.deps.store, target)).rejects.toThrow(
      /^The target is not empty: .*workrooms.* hold rows\. Copy into a new, empty database\.$/,
    );
    expect(await count(target, "workrooms")).toBe(1);
  });

  it("refuses while a worker holds a step on the source", async () => {
    const source = await runtimeOn(await database("sqlite"), 2_000);
    const { owner } = await setupAgency(source.deps);
    source.startWorker();
    const room = await createWorkroom(source.deps, owner, proposalRoom());
    const planning = roomState(source, room.id, ["planning"]);
    await startWorkroom(source.deps, owner, room.id);
    await planning;
    const target = await storeOn(await database("sqlite"));
    await expect(copyStore(source.deps.store, target)).rejects.toThrow(
      /^A worker is running on the source: it holds 1 step\(s\) until .+ Stop every Atelya process on it/,
    );
    expect(await count(target, "workrooms")).toBe(0);
  });

  it("refuses to copy a database into itself", async () => {
    const store = await storeOn(await database("sqlite"));
    await expect(copyStore(store, store)).rejects.toThrow(
      "The source and the target are the same database.",
    );
  });
});
