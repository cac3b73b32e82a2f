// /health on PostgreSQL while the database cannot be reached: 503 `unavailable` saying so, on a
// replica without a worker too (nothing there ever marks writes as refused), and 200 once the
// database answers again. It answered 500 `internal`, as if the server had a bug.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PG_ADMIN_URL } from "../support/databases.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer("postgres", { harness: { worker: false } });
});
afterAll(async () => server?.close());

/** Lets the test database take connections, or ends every one it has and takes no more. */
async function reachable(yes: boolean): Promise<void> {
  const name = new URL(server.harness.db.url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${yes}`);
    if (!yes)
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
  } finally {
    await admin.end();
  }
}

describe("health on PostgreSQL", () => {
  it("answers 503 while the database cannot be reached, and 200 once it answers", async () => {
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    await reachable(false);
    try {
      const res = await fetch(`${server.url}/api/v1/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unavailable");
      expect(body.error.message).toMatch(/^The database cannot be reached \(/);
    } finally {
      await reachable(true);
    }
    const res = await fetch(`${server.url}/api/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", store: "postgres" });
  });
});
