// Opens the store on SQLite (embedded default, WAL) or PostgreSQL (`postgres://…`), and runs
// short transactions. The only module that knows which driver is underneath.
import SqliteDatabase from "better-sqlite3";
import { accessSync, constants, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type PostgresPool,
  type PostgresPoolClient,
  sql,
  type CompiledQuery,
  type QueryResult,
} from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";
import { migrateToLatest } from "./migrations.js";
import { createCipher, type Cipher } from "./crypto/cipher.js";
import type { MasterKey } from "./crypto/master-key.js";
import { OpenSealedPlugin, openRows } from "./crypto/open-plugin.js";
import type { Exec } from "./exec.js";
import {
  checkMasterKey,
  MasterKeyMismatchError,
  MasterKeyMissingError,
} from "./crypto/key-check.js";
import {
  startWalCheckpointer,
  WRITER_BACKSTOP_FRAMES,
  type CheckpointTrouble,
} from "./wal-checkpointer.js";
import { statementName } from "./prepared.js";
import { RoomMemory } from "./room-memory.js";
import { prepareRowStatement, type RowStatement } from "./sqlite-statements.js";

export type Dialect = "sqlite" | "postgres";
export type Db = Kysely<Database>;

export interface WriteHealth {
  refused: { since: Date; cause: string } | null;
}

export interface StoreConnection {
  db: Db;
  dialect: Dialect;
  url: string;
  /** Seals content and secrets on write; reads through `db` open them (OpenSealedPlugin). */
  cipher: Cipher;
  /** What the engine's units leave of rooms for the next ones (room-memory.ts). */
  memory: RoomMemory;
  /**
   * Runs `fn` in one short transaction (SQLite: BEGIN IMMEDIATE, so writers never deadlock).
   * `replayable`: losing this commit in a *database server* crash is harmless because the work is
   * redone (claims, step starts), so PostgreSQL need not wait for the WAL flush.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>, options?: { replayable?: boolean }): Promise<T>;
  /**
   * Group commit: runs `fn`, which runs independent units through `unit`. SQLite: one transaction,
   * each unit under its own savepoint, so a unit that fails is rolled back alone and the others
   * commit together (one commit instead of one per unit). PostgreSQL: every unit is a transaction
   * of its own (a round trip per savepoint would cost what it saves, and one transaction holding
   * several rooms' locks could deadlock with another worker). If the shared transaction itself
   * fails (BEGIN or COMMIT), `batch` rejects with nothing kept, and `fn` may be run again with
   * `{ separate: true }`.
   */
  batch<T>(fn: (unit: UnitRunner) => Promise<T>, options?: { separate?: boolean }): Promise<T>;
  /**
   * Runs `fn` on one consistent snapshot, read only, while the engine goes on writing: for long
   * reads whose parts must agree with each other (a workspace's export). SQLite: a read
   * transaction on a connection of its own (WAL: it sees the last commit before its first read,
   * and writers are not held up); an in-memory database has no second connection, so there it
   * holds the one connection. PostgreSQL: a REPEATABLE READ, READ ONLY transaction.
   * `short`: a few quick reads that must agree (a room and its tasks). SQLite reads on the store's
   * own connection instead of opening one, holding the engine's writes back for that long.
   */
  readSnapshot<T>(fn: (db: Db) => Promise<T>, options?: { short?: boolean }): Promise<T>;
  /** The repository handle of `tx`, a transaction or unit this store opened (never the pool). */
  execIn(tx: Db): Exec;
  /** Whether a batch's units may run at once (each is its own transaction: PostgreSQL). */
  unitsRunConcurrently: boolean;
  /** SQLite: statements run and transactions committed since the store opened (the benchmark
   *  prints them per task: counts, unlike times, do not move with the machine's load). */
  counters?: Readonly<{ statements: number; commits: number }>;
  /** Whether this process has seen the database refuse writes (a full disk) since it last took
   *  one: set and cleared by the engine's workers, read by `/health`. */
  writes: WriteHealth;
  close(): Promise<void>;
}

/** A unit's result: its value, or the error it was rolled back for. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export type UnitRunner = <T>(
  fn: (tx: Db) => Promise<T>,
  options?: {
    replayable?: boolean;
    /**
     * SQLite: the unit runs without a savepoint of its own, in the batch's transaction as it is.
     * If it fails, the whole transaction is rolled back (the units before it too), and the batch
     * runs no unit after it. For a unit alone in its batch, or for a caller that runs the batch
     * again when any unit fails (PostgreSQL: every unit is a transaction of its own anyway).
     */
    bare?: boolean;
  },
) => Promise<Settled<T>>;

/** The shared transaction of a batch was lost mid-way (SQLite rolled it back on an I/O error). */
export class BatchLostError extends Error {
  override name = "BatchLostError";
}

/**
 * The connection to PostgreSQL was lost (a restart, a failover, a terminated session, an idle
 * timeout) while a query or transaction was under way on it; a new connection is opened for the
 * next one. Its code is SQLSTATE 08006 (connection_failure), so the engine reads it as a store
 * that cannot be written for now (unwritable.ts) and retries after a wait.
 */
export class ConnectionLostError extends Error {
  override name = "ConnectionLostError";
  readonly code = "08006";
  constructor(why: Error, failed: unknown) {
    super(`the connection to PostgreSQL was lost (${withCode(why)})`, { cause: failed });
  }
}

/**
 * No connection to PostgreSQL within `connectTimeoutMs`: the server did not answer a new one (its
 * network drops packets, it is overloaded), or every pooled connection stayed busy that long.
 * SQLSTATE 08001 (unable to establish a connection), so it reads as a store that cannot be
 * reached for now, as ConnectionLostError does; /health answers 503 with it.
 */
export class ConnectTimeoutError extends Error {
  override name = "ConnectTimeoutError";
  readonly code = "08001";
  constructor(
    readonly timeoutMs: number,
    cause: unknown,
  ) {
    super(
      `no connection to PostgreSQL within ${timeoutMs / 1000} s (the server did not answer, or all pooled connections stayed busy): check that the database and its network are up`,
      { cause },
    );
  }
}

/** pg-pool's own words when `connectionTimeoutMillis` runs out (it gives them no code). */
const POOL_TIMEOUTS = new Set([
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
]);

const hasCode = (e: unknown): boolean =>
  e instanceof Error && typeof (e as { code?: unknown }).code === "string";

const withCode = (e: Error): string => {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${e.message}` : e.message;
};

/** The page size of a new SQLite database (see openSqlite). */
export const PAGE_BYTES = 2048;

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//.test(url);

/** The SQLite database file a URL that is not PostgreSQL's names (a path, or `sqlite:` and one). */
export const sqliteFile = (url: string): string => url.replace(/^sqlite:(\/\/)?/, "");

// int8 (counts, epoch ms) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export interface StoreOptions {
  /** Required: a store without one would have to write plaintext, which it never does. */
  masterKey: MasterKey;
  migrate?: boolean;
  /**
   * SQLite: "beside" (default) checkpoints the WAL from a thread of its own (wal-checkpointer.ts);
   * "off" never checkpoints until the store closes, so the WAL holds every page every commit
   * wrote. Only for the benchmark, which reads the WAL to count what a step writes.
   */
  walCheckpoints?: "beside" | "off";
  /** SQLite: told when background checkpoints start failing and when they work again. */
  onCheckpointTrouble?: CheckpointTrouble;
  /**
   * PostgreSQL: how long a query waits for a connection (a new one, or a pooled one coming free)
   * before it fails with ConnectTimeoutError. Default CONNECT_TIMEOUT_MS.
   */
  connectTimeoutMs?: number;
}

/** A database whose network silently drops packets fails queries after this, instead of never. */
export const CONNECT_TIMEOUT_MS = 10_000;

export async function openStore(url: string, options: StoreOptions): Promise<StoreConnection> {
  const cipher = createCipher(options.masterKey);
  const plugins = [new OpenSealedPlugin(cipher)];
  const conn = isPostgresUrl(url)
    ? openPostgres(url, cipher, plugins, options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS)
    : openSqlite(url, cipher, plugins, {
        walCheckpoints: options.walCheckpoints ?? "beside",
        onCheckpointTrouble: options.onCheckpointTrouble ?? (() => {}),
      });
  try {
    if (options.migrate ?? true) {
      await migrateToLatest(conn.db as Kysely<unknown>, conn.dialect);
      await checkMasterKey(conn.db, cipher, options.masterKey.source);
    }
  } catch (e) {
    await conn.close();
    const key = options.masterKey;
    if (e instanceof MasterKeyMismatchError && key.created) {
      rmSync(key.source, { force: true });
      throw new MasterKeyMissingError(key.source);
    }
    throw e;
  }
  return conn;
}

type Plugins = OpenSealedPlugin[];

/** The database file, opened for writing, or an error that names it and says why it cannot be. */
function openSqliteFile(file: string): SqliteDatabase.Database {
  let raw: SqliteDatabase.Database | undefined;
  try {
    raw = new SqliteDatabase(file);
    // A commit writes every page it changed to the WAL, and a step changes a page or two of each
    // of some twenty B-trees. With 2 KB pages a room's commits write ~40% fewer bytes than with
    // the default 4 KB (202 frames of 2 KB against 175 of 4 KB: more rows split and overflow),
    // and a commit takes ~18% less time. Only a new, empty database takes it; older files keep
    // theirs. Turning WAL on writes to the file: a read-only one fails here.
    raw.pragma(`page_size = ${PAGE_BYTES}`);
    raw.pragma("journal_mode = WAL");
    return raw;
  } catch (e) {
    raw?.close();
    const folder = dirname(resolve(file));
    let why = e instanceof Error ? e.message : String(e);
    try {
      accessSync(folder, constants.W_OK);
    } catch (f) {
      const code = (f as NodeJS.ErrnoException).code;
      why =
        code === "EROFS"
          ? `${folder} is on a read-only file system`
          : code === "ENOENT"
            ? `the folder ${folder} does not exist`
            : code === "EACCES" || code === "EPERM"
              ? `this process may not write in ${folder}`
              : why;
    }
    throw new Error(`Cannot open the database ${file} for writing: ${why}.`);
  }
}

function openSqlite(
  url: string,
  cipher: Cipher,
  plugins: Plugins,
  {
    walCheckpoints,
    onCheckpointTrouble,
  }: { walCheckpoints: "beside" | "off"; onCheckpointTrouble: CheckpointTrouble },
): StoreConnection {
  const memory = new RoomMemory();
  const file = sqliteFile(url);
  const raw = openSqliteFile(file);
  // NORMAL in WAL mode: a commit survives a process crash (SIGKILL); only an OS crash can lose the
  // last transactions, never corrupt the file.
  raw.pragma("synchronous = NORMAL");
  raw.pragma("busy_timeout = 10000");
  raw.pragma("foreign_keys = ON");
  // The engine commits several rooms' steps in one transaction, each under a savepoint; SQLite keeps
  // the pages a savepoint may roll back in a sub-journal, a temporary file unless told otherwise
  // (measured: ~150 µs of CPU per step in file writes). In memory it holds a few pages per unit.
  raw.pragma("temp_store = MEMORY");
  // Checkpoints run beside the writer instead of inside one of its commits (wal-checkpointer.ts).
  const checkpointer =
    walCheckpoints === "off" || file === "" || file === ":memory:" || file.startsWith("file:")
      ? undefined
      : startWalCheckpointer(file, onCheckpointTrouble);
  if (checkpointer) raw.pragma(`wal_autocheckpoint = ${WRITER_BACKSTOP_FRAMES}`);
  if (walCheckpoints === "off") raw.pragma("wal_autocheckpoint = 0");
  // Kysely prepares every query anew; caching the prepared statements by SQL text saves most of
  // the per-query cost on the engine's hot path (the same few dozen statements run per step).
  const statements = new Map<string, RowStatement>();
  const counters = { statements: 0, commits: 0 };
  const cached = {
    close: () => raw.close(),
    // Called once per statement run, by Kysely's driver and by the driver path below alike.
    prepare(sqlText: string) {
      counters.statements++;
      let stmt = statements.get(sqlText);
      if (!stmt) {
        stmt = prepareRowStatement(raw, sqlText);
        if (statements.size < 2_000) statements.set(sqlText, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cached }), plugins });
  // Inside a transaction the connection is ours alone (Kysely hands the one connection to one
  // transaction at a time), so precompiled queries may run on the driver directly: what Kysely's
  // SQLite driver does, without its executor, connection hand-off and plugin pass.
  const onDriver = (query: CompiledQuery): QueryResult<unknown> => {
    const stmt = cached.prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (stmt.reader) {
      const rows = stmt.all(parameters);
      openRows(cipher, rows);
      return { rows };
    }
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  };
  // Transaction control goes to the driver too, once Kysely has handed this transaction the
  // connection: a prepared BEGIN, COMMIT or SAVEPOINT instead of a query through the executor.
  const control = (sqlText: string): void => {
    if (sqlText === "commit") counters.commits++;
    cached.prepare(sqlText).run();
  };
  // `ended.rolledBack`: a bare unit failed and rolled the transaction back itself.
  const transaction = <T>(
    fn: (tx: Db) => Promise<T>,
    ended: { rolledBack: boolean } = { rolledBack: false },
  ): Promise<T> =>
    db.connection().execute(async (conn) => {
      control("begin immediate");
      try {
        const result = await fn(conn);
        if (!ended.rolledBack) control("commit");
        return result;
      } catch (e) {
        if (raw.inTransaction) control("rollback");
        throw e;
      }
    });
  const lost = (cause: unknown) =>
    new BatchLostError("the shared transaction was rolled back", { cause });
  // One transaction for the batch, a savepoint per unit; a bare unit runs without one.
  const sharedBatch = <T>(fn: (unit: UnitRunner) => Promise<T>): Promise<T> => {
    const ended = { rolledBack: false };
    return transaction(async (conn) => {
      let n = 0;
      return fn(async (unit, options) => {
        if (ended.rolledBack)
          throw new Error("a bare unit failed and rolled the batch back: it can run no more units");
        if (options?.bare) {
          try {
            return { ok: true, value: await unit(conn) };
          } catch (error) {
            // SQLite rolled it back itself (an I/O error, a full disk): the batch is lost, and
            // the turn runs again unit by unit, as for a unit under a savepoint.
            if (!raw.inTransaction) throw lost(error);
            // Nothing of the unit may stay, and it had no savepoint: the whole batch goes.
            control("rollback");
            ended.rolledBack = true;
            return { ok: false, error };
          }
        }
        const name = `"unit_${n++}"`;
        control(`savepoint ${name}`);
        try {
          const value = await unit(conn);
          control(`release ${name}`);
          return { ok: true, value };
        } catch (error) {
          // An I/O error or a full disk rolls the whole transaction back: nothing to keep.
          if (!raw.inTransaction) throw lost(error);
          control(`rollback to ${name}`);
          control(`release ${name}`);
          return { ok: false, error };
        }
      });
    }, ended);
  };
  const inMemory = file === "" || file === ":memory:" || file.includes("mode=memory");
  const readSnapshot = async <T>(
    fn: (tx: Db) => Promise<T>,
    options?: { short?: boolean },
  ): Promise<T> => {
    const reader =
      inMemory || options?.short ? undefined : new SqliteDatabase(file, { readonly: true });
    const rdb = reader
      ? new Kysely<Database>({ dialect: new SqliteDialect({ database: reader }), plugins })
      : db;
    try {
      return await rdb.connection().execute(async (conn) => {
        // The store's own connection writes too: `query_only` makes it read only meanwhile.
        if (!reader) await sql`pragma query_only = on`.execute(conn);
        await sql`begin`.execute(conn);
        try {
          return await fn(conn);
        } finally {
          await sql`commit`.execute(conn);
          if (!reader) await sql`pragma query_only = off`.execute(conn);
        }
      });
    } finally {
      if (reader) await rdb.destroy();
    }
  };
  return {
    db,
    dialect: "sqlite",
    url,
    cipher,
    memory,
    readSnapshot,
    transaction: (fn) => transaction(fn),
    execIn: (tx) => ({
      db: tx,
      dialect: "sqlite",
      seal: cipher.seal,
      memory,
      raw: onDriver,
      control,
    }),
    unitsRunConcurrently: false,
    counters,
    writes: { refused: null },
    batch: (fn, options) =>
      options?.separate ? fn((unit) => settle(transaction(unit))) : sharedBatch(fn),
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/**
 * Runs `fn` under a savepoint inside the transaction `ex` belongs to (either dialect): if it
 * throws, what it wrote is rolled back and the error is rethrown; the transaction goes on.
 */
export async function underSavepoint<T>(ex: Exec, fn: () => Promise<T>): Promise<T> {
  const control = ex.control ?? ((text: string) => sql.raw(text).execute(ex.db));
  await control("savepoint part");
  let value: T;
  try {
    value = await fn();
  } catch (e) {
    // If the transaction itself is gone (an I/O error rolled it back), this throws: the caller's
    // unit then fails as a whole.
    await control("rollback to part");
    await control("release part");
    throw e;
  }
  await control("release part");
  return value;
}

async function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await p };
  } catch (error) {
    return { ok: false, error };
  }
}

function openPostgres(
  url: string,
  cipher: Cipher,
  plugins: Plugins,
  connectTimeoutMs: number,
): StoreConnection {
  const memory = new RoomMemory();
  // keepAlive: a connection whose server vanished without a word (a failover, a NAT that forgot
  // it) is found dead by TCP instead of waiting forever. connectionTimeoutMillis: so is a new one
  // the server never answers, and a wait for a pooled one that never comes free.
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    keepAlive: true,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  // An idle connection the server closes (restart, failover, DROP DATABASE) is dropped from the
  // pool; the next query opens a new one. Without a listener the event would crash the process.
  pool.on("error", () => {});
  const lost = new WeakMap<pg.Client, Error>();
  // pg-pool listens for a client's 'error' only while the client is idle. One handed out (to a
  // transaction, between two statements) hears the server's FATAL with no listener, and an
  // unhandled 'error' event ends the process. So every client listens for its whole life: the
  // work under way on it fails (its queries reject), and pg-pool drops it when it is released.
  pool.on("connect", (client) =>
    client.on("error", (e: Error) => {
      if (!lost.has(client)) lost.set(client, e);
    }),
  );
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: namedStatementsPool(pool, lost, connectTimeoutMs) }),
    plugins,
  });
  const transaction = <T>(
    fn: (tx: Db) => Promise<T>,
    options?: { replayable?: boolean },
  ): Promise<T> =>
    db.transaction().execute(async (tx) => {
      if (options?.replayable) await sql`SET LOCAL synchronous_commit = off`.execute(tx);
      return fn(tx);
    });
  return {
    db,
    dialect: "postgres",
    url,
    cipher,
    memory,
    transaction,
    readSnapshot: (fn) =>
      db.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(fn),
    execIn: (tx) => ({ db: tx, dialect: "postgres", seal: cipher.seal, memory }),
    unitsRunConcurrently: true,
    writes: { refused: null },
    batch: (fn) => fn((unit, options) => settle(transaction(unit, options))),
    close: () => db.destroy(),
  };
}

/**
 * The pool as Kysely sees it: each client sends the texts of precompiled queries as named
 * statements (parsed and planned once per connection, then only bound and executed), and every
 * other query as before.
 */
function namedStatementsPool(
  pool: pg.Pool,
  lost: WeakMap<pg.Client, Error>,
  connectTimeoutMs: number,
): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  // A query on a client whose connection is gone fails with pg's own words and no code
  // ("Connection terminated unexpectedly", "… is not queryable"): it is told as a lost connection.
  const explain = (client: pg.PoolClient) => (e: unknown) => {
    const why = lost.get(client);
    throw why && !hasCode(e) ? new ConnectionLostError(why, e) : e;
  };
  const wrap = (client: pg.PoolClient): PostgresPoolClient => ({
    query: ((query: unknown, parameters?: readonly unknown[]) => {
      if (typeof query !== "string") return client.query(query as pg.Submittable);
      const name = statementName(query);
      const values = parameters as unknown[] | undefined;
      return (
        name ? client.query({ name, text: query, values }) : client.query(query, values)
      ).catch(explain(client));
    }) as unknown as PostgresPoolClient["query"],
    release: (destroy?: boolean) => client.release(destroy),
  });
  return {
    async connect() {
      const client = await pool.connect().catch((e: unknown) => {
        throw e instanceof Error && POOL_TIMEOUTS.has(e.message)
          ? new ConnectTimeoutError(connectTimeoutMs, e)
          : e;
      });
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = wrap(client)));
      return wrapped;
    },
    end: () => pool.end(),
  };
}
