// The Bus over PostgreSQL LISTEN/NOTIFY: every process on the database hears steps being enqueued,
// rooms being aborted and history growing. Local listeners are called at once; echoes of our own
// notifications are skipped. Messages published in the same tick travel in one notification, and
// the sender does not wait for the WAL flush: a notification needs no durability (the step rows
// and the history are the truth; a lost wake-up only costs one poll interval).
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Bus, BusMessage } from "../engine/bus.js";

const CHANNEL = "atelya_events";
/** PostgreSQL's payload limit is 8000 bytes; larger batches are split. */
const MAX_PAYLOAD = 7_000;

export async function createPgBus(
  url: string,
  onError: (e: unknown) => void = () => {},
): Promise<Bus> {
  const origin = randomUUID();
  const listeners = new Set<(m: BusMessage) => void>();
  const deliver = (m: BusMessage) => {
    for (const l of listeners) l(m);
  };
  const listener = new pg.Client({ connectionString: url });
  const sender = new pg.Client({ connectionString: url });
  await Promise.all([listener.connect(), sender.connect()]);
  listener.on("error", onError);
  sender.on("error", onError);
  await sender.query("SET synchronous_commit = off");
  listener.on("notification", (n) => {
    if (!n.payload) return;
    const { o, m } = JSON.parse(n.payload) as { o: string; m: BusMessage[] };
    if (o !== origin) m.forEach(deliver);
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  let closed = false;
  let batch: BusMessage[] = [];
  // One query at a time on the sender: pg clients do not pipeline.
  let sending: Promise<unknown> = Promise.resolve();
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
    for (const payload of payloads)
      sending = sending
        .then(() => sender.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]))
        .catch(onError);
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
      closed = true;
      listeners.clear();
      if (batch.length) flush();
      await sending;
      await Promise.allSettled([listener.end(), sender.end()]);
    },
  };
}
