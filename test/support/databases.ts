// Test databases: a fresh SQLite file, or a fresh PostgreSQL database created on the machine's
// service and dropped afterwards. Engine and store suites run once per dialect.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach } from "vitest";
import { openStore, type StoreConnection } from "../../src/store/db.js";
import { TEST_MASTER_KEY } from "./keys.js";

export const PG_ADMIN_URL =
  process.env.ATELYA_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
/** Test databases' names start with this (several checkouts can share one server). */
const PG_PREFIX = process.env.ATELYA_TEST_PG_PREFIX ?? "atelya_test_";

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(dialect: "sqlite" | "postgres"): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "atelya-test-"));
    return {
      url: join(dir, "atelya.db"),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `${PG_PREFIX}${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    url,
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export const DIALECTS = ["sqlite", "postgres"] as const;

/**
 * Opens stores on fresh test databases for the tests of one file: each store is closed and its
 * database dropped after the test that opened it. Call once at the top of the file.
 */
export function useTestStores(): (
  dialect: "sqlite" | "postgres",
  options?: { migrate?: boolean },
) => Promise<StoreConnection> {
  const opened: { db: TestDatabase; store: StoreConnection }[] = [];
  afterEach(async () => {
    for (const { db, store } of opened.splice(0)) {
      await store.close();
      await db.drop();
    }
  });
  return async (dialect, options = {}) => {
    const db = await createTestDatabase(dialect);
    const store = await openStore(db.url, { masterKey: TEST_MASTER_KEY, ...options });
    opened.push({ db, store });
    return store;
  };
}
