// The PostgreSQL bus survives a dropped connection: after the database kills its listening
// connection it reconnects, tells local listeners (so live streams resume from the history and
// workers look for missed work), and carries messages between processes again.
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
});
