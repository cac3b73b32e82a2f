// The Bus over PostgreSQL LISTEN/NOTIFY: every process on the database hears steps being enqueued,
// rooms being aborted and history growing. Local listeners are called at once; echoes of our own
// notifications are skipped. Messages published in the same tick travel in one notification, and
// the sender does not wait for the WAL flush: a notification needs no durability (the step rows
// and the history are the truth; a lost wake-up only costs one poll interval).
// A dropped connection (server restart, failover, an idle timeout) is reopened with backoff; once
// listening again, local listeners hear `bus_reconnected` (what arrived meanwhile is unknown, so
// live streams catch up from the history) and `steps_ready` (workers look for work they missed).
// The listening connection is idle by nature, so both connections are kept from looking idle: TCP
// keepalive (NATs and proxies that drop quiet sockets) and, when the server has an
// `idle_session_timeout`, a `SELECT 1` well within it (it would end the session every few seconds).
import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import pg from "pg";
import type { Bus, BusMessage } from "../engine/bus.js";
import type { Db } from "./db.js";

const CHANNEL = "atelya_events";
/** PostgreSQL's payload limit is 8000 bytes; larger batches are split. */
const MAX_PAYLOAD = 7_000;
const RECONNECT_MS = { first: 250, max: 5_000 };
/** The listening connection's name, so operators (and tests) can find it in pg_stat_activity. */
export const BUS_APPLICATION_NAME = "atelya-bus";
/**
 * How many Atelya processes (servers, workers, CLI commands that run the engine) are connected to
 * `db`'s database: each one holds a bus connection while it runs, even an idle server.
 */
export async function busProcesses(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where application_name = ${BUS_APPLICATION_NAME} and datname = current_database()
  `.execute(db);
  return rows[0]?.n ?? 0;
}

/** TCP keepalive probes start after this much silence: within what NATs and proxies allow. */
const KEEPALIVE_MS = 30_000;

/**
 * Keeps `c` from being ended by the server's `idle_session_timeout` (PostgreSQL 14+; 0 or absent:
 * off): a `SELECT 1` every third of it, until the connection ends.
 */
async function keepBusy(c: pg.Client): Promise<void> {
  // pg_settings gives the value in milliseconds whatever unit it was set in.
  const { rows } = await c.query<{ setting: string }>(
    "SELECT setting FROM pg_settings WHERE name = 'idle_session_timeout'",
  );
  const timeoutMs = Number(rows[0]?.setting ?? 0);
  if (!(timeoutMs > 0)) return;
  const ping = setInterval(
    () =>
      // A failed ping is a lost connection: its own 'error' and 'end' handlers deal with that.
      c.query("SELECT 1").catch(() => {}),
    Math.max(Math.floor(timeoutMs / 3), 10),
  );
  ping.unref();
  c.once("end", () => clearInterval(ping));
}

export async function createPgBus(
  url: string,
  onError: (e: unknown) => void = () => {},
): Promise<Bus> {
  const origin = randomUUID();
  const listeners = new Set<(m: BusMessage) => void>();
  const deliver = (m: BusMessage) => {
    for (const l of listeners) l(m);
  };
  let closed = false;

  const onNotification = (n: pg.Notification) => {
    if (!n.payload) return;
    const { o, m } = JSON.parse(n.payload) as { o: string; m: BusMessage[] };
    if (o !== origin) m.forEach(deliver);
  };

  async function openListener(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      application_name: BUS_APPLICATION_NAME,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_MS,
    });
    c.on("error", (e) => {
      onError(e);
      lost(c);
    });
    c.on("end", () => lost(c));
    await c.connect();
    c.on("notification", onNotification);
    await c.query(`LISTEN ${CHANNEL}`);
    await keepBusy(c);
    return c;
  }

  async function openSender(): Promise<pg.Client> {
    const c = new pg.Client({
      connectionString: url,
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_MS,
    });
    c.on("error", onError);
    await c.connect();
    await c.query("SET synchronous_commit = off");
    await keepBusy(c);
    return c;
  }

  let listener = await openListener();
  let sender: Promise<pg.Client> = openSender();
  await sender;
  let reconnecting = false;

  /** The listening connection is gone: open a new one, backing off while the database is away. */
  function lost(dead: pg.Client): void {
    if (closed || dead !== listener || reconnecting) return;
    reconnecting = true;
    const attempt = (delay: number) =>
      setTimeout(async () => {
        if (closed) return;
        try {
          listener = await openListener();
          reconnecting = false;
          deliver({ type: "bus_reconnected" });
          deliver({ type: "steps_ready" });
        } catch (e) {
          onError(e);
          attempt(Math.min(delay * 2, RECONNECT_MS.max));
        }
      }, delay).unref();
    attempt(RECONNECT_MS.first);
  }

  let batch: BusMessage[] = [];
  // One query at a time on the sender: pg clients do not pipeline.
  let sending: Promise<unknown> = Promise.resolve();
  const notify = async (payload: string) => {
    try {
      await (await sender).query("SELECT pg_notify($1, $2)", [CHANNEL, payload]);
    } catch (e) {
      onError(e);
      // The next notification goes out on a fresh connection.
      const old = sender;
      sender = openSender();
      sender.catch(onError);
      void old.then((c) => c.end()).catch(() => {});
    }
  };
  const flush = () => {
    const messages = batch;
    batch = [];
    const payloads: string[] = [];
    let chunk: BusMessage[] = [];
    for (const m of messages) {
      if (chunk.length && JSON.stringify({ o: origin, m: [...chunk, m] }).length > MAX_PAYLOAD) {
        payloads.push(JSON.stringify({ o: origin, m: chunk }));
        chunk = [];
      }
      chunk.push(m);
    }
    if (chunk.length) payloads.push(JSON.stringify({ o: origin, m: chunk }));
    for (const payload of payloads) sending = sending.then(() => notify(payload));
  };
  return {
    publish(message) {
      deliver(message);
      if (closed) return;
      if (batch.length === 0) queueMicrotask(flush);
      batch.push(message);
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      if (batch.length) flush();
      closed = true;
      listeners.clear();
      await sending;
      await Promise.allSettled([listener.end(), sender.then((c) => c.end())]);
    },
  };
}
