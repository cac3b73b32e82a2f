// Opens the store on SQLite (embedded default, WAL) or PostgreSQL (`postgres://…`), and runs
// short transactions. The only module that knows which driver is underneath.
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { migrateToLatest } from "./migrations.js";
import { createCipher, type Cipher } from "./crypto/cipher.js";
import type { MasterKey } from "./crypto/master-key.js";
import { OpenSealedPlugin } from "./crypto/open-plugin.js";
import { checkMasterKey } from "./crypto/key-check.js";

export type Dialect = "sqlite" | "postgres";
export type Db = Kysely<Database>;

export interface StoreConnection {
  db: Db;
  dialect: Dialect;
  url: string;
  /** Seals content and secrets on write; reads through `db` open them (OpenSealedPlugin). */
  cipher: Cipher;
  /**
   * Runs `fn` in one short transaction (SQLite: BEGIN IMMEDIATE, so writers never deadlock).
   * `replayable`: losing this commit in a *database server* crash is harmless because the work is
   * redone (claims, step starts), so PostgreSQL need not wait for the WAL flush.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: { replayable?: boolean }): Promise<T>;
  close(): Promise<void>;
}

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

// int8 (counts, epoch ms) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface StoreOptions {
  /** Required: a store without one would have to write plaintext, which it never does. */
  masterKey: MasterKey;
  migrate?: boolean;
}

export async function openStore(url: string, options: StoreOptions): Promise<StoreConnection> {
  const cipher = createCipher(options.masterKey);
  const plugins = [new OpenSealedPlugin(cipher)];
  const conn = isPostgresUrl(url)
    ? openPostgres(url, cipher, plugins)
    : openSqlite(url, cipher, plugins);
  try {
    if (options.migrate ?? true) {
      await migrateToLatest(conn.db as Kysely<unknown>, conn.dialect);
      await checkMasterKey(conn.db, cipher, options.masterKey.source);
    }
  } catch (e) {
    await conn.close();
    throw e;
  }
  return conn;
}

type Plugins = OpenSealedPlugin[];

function openSqlite(url: string, cipher: Cipher, plugins: Plugins): StoreConnection {
  const file = url.replace(/^sqlite:(\/\/)?/, "");
  const raw = new SqliteDatabase(file);
  raw.pragma("journal_mode = WAL");
  // NORMAL in WAL mode: a commit survives a process crash (SIGKILL); only an OS crash can lose the
  // last transactions, never corrupt the file.
  raw.pragma("synchronous = NORMAL");
  raw.pragma("busy_timeout = 10000");
  raw.pragma("foreign_keys = ON");
  // Kysely prepares every query anew; caching the prepared statements by SQL text saves most of
  // the per-query cost on the engine's hot path (the same few dozen statements run per step).
  const statements = new Map<string, SqliteDatabase.Statement>();
  const cached = {
    close: () => raw.close(),
    prepare(sqlText: string) {
      let stmt = statements.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        if (statements.size < 2_000) statements.set(sqlText, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }), plugins });
  return {
    db,
    dialect: "sqlite",
    url,
    cipher,
    transaction: (fn) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (e) {
          if (raw.inTransaction) await sql`rollback`.execute(conn);
          throw e;
        }
      }),
    close: () => db.destroy(),
  };
}

function openPostgres(url: string, cipher: Cipher, plugins: Plugins): StoreConnection {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection the server closes (restart, failover, DROP DATABASE) is dropped from the
  // pool; the next query opens a new one. Without a listener the event would crash the process.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins });
  return {
    db,
    dialect: "postgres",
    url,
    cipher,
    transaction: (fn, options) =>
      db.transaction().execute(async (tx) => {
        if (options?.replayable) await sql`SET LOCAL synchronous_commit = off`.execute(tx);
        return fn(tx);
      }),
    close: () => db.destroy(),
  };
}
