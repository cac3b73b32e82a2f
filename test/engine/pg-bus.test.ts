// The PostgreSQL bus survives a dropped connection: after the database kills its listening
// connection it reconnects, tells local listeners (so live streams catch up from the history and
// workers look for missed work), and carries messages between processes again. On a server that
// ends idle sessions (`idle_session_timeout`) its connections are never idle long enough.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { BUS_APPLICATION_NAME, createPgBus } from "../../src/store/pg-bus.js";
import type { Bus, BusMessage } from "../../src/engine/bus.js";
import { createTestDatabase, type TestDatabase } from "../support/databases.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase("postgres");
});
afterAll(async () => db?.drop());

/** Runs one statement on its own connection. */
async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

const busPids = async (url: string) =>
  (
    await query(
      url,
      "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database() ORDER BY pid",
      [BUS_APPLICATION_NAME],
    )
  ).rows.map((r: { pid: number }) => r.pid);

/** Opens a connection and leaves it idle until the server ends it (the database's own clock). */
async function idleUntilEnded(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  const ended = new Promise<void>((resolve) => c.once("end", resolve));
  // The server says why it ends the session (57P05); expected here.
  c.on("error", () => {});
  await c.connect();
  await ended;
}

const next = (bus: Bus, type: BusMessage["type"]) =>
  new Promise<BusMessage>((resolve) => {
    const off = bus.subscribe((m) => {
      if (m.type === type) {
        off();
        resolve(m);
      }
    });
  });

describe("the PostgreSQL bus", () => {
  it("reconnects after its connection is killed and delivers across processes again", async () => {
    const a = await createPgBus(db.url);
    const b = await createPgBus(db.url);
    try {
      const first = next(b, "room_changed");
      a.publish({ type: "room_changed", workroomId: "room_1", workspaceId: "ws_1", seq: 1 });
      expect(await first).toMatchObject({ seq: 1 });

      const back = next(b, "bus_reconnected");
      const wake = next(b, "steps_ready");
      const admin = new pg.Client({ connectionString: db.url });
      await admin.connect();
      const killed = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
        [BUS_APPLICATION_NAME],
      );
      await admin.end();
      expect(killed.rowCount).toBe(2);
      await back;
      await wake;

      const again = next(b, "room_changed");
      a.publish({ type: "room_changed", workroomId: "room_1", workspaceId: "ws_1", seq: 2 });
      expect(await again).toMatchObject({ seq: 2 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("keeps its connections open on a server that ends idle sessions", async () => {
    const idle = await createTestDatabase("postgres");
    const name = new URL(idle.url).pathname.slice(1);
    // New sessions of this database only; the buses open after it.
    await query(idle.url, `ALTER DATABASE ${name} SET idle_session_timeout = '2s'`);
    const a = await createPgBus(idle.url);
    const b = await createPgBus(idle.url);
    try {
      let reconnects = 0;
      for (const bus of [a, b])
        bus.subscribe((m) => {
          if (m.type === "bus_reconnected") reconnects++;
        });
      const listeners = await busPids(idle.url);
      expect(listeners).toHaveLength(2);
      // Meanwhile an idle session of the same database is ended three times over (6 s or more).
      for (let i = 0; i < 3; i++) await idleUntilEnded(idle.url);
      expect(reconnects).toBe(0);
      expect(await busPids(idle.url)).toEqual(listeners);
      // The sending connection is alive too: the first message after the wait arrives.
      const heard = next(b, "room_changed");
      a.publish({ type: "room_changed", workroomId: "room_1", workspaceId: "ws_1", seq: 3 });
      expect(await heard).toMatchObject({ seq: 3 });
    } finally {
      await a.close();
      await b.close();
      await idle.drop();
    }
  });
});
