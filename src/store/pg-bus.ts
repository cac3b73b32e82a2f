// The Bus over PostgreSQL LISTEN/NOTIFY: every process on the database hears steps being enqueued,
// rooms being aborted and history growing. Local listeners are called at once; echoes of our own
// notifications are skipped.
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { Bus, BusMessage } from "../engine/bus.js";

const CHANNEL = "atelya_events";

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
  listener.on("notification", (n) => {
    if (!n.payload) return;
    const { o, m } = JSON.parse(n.payload) as { o: string; m: BusMessage };
    if (o !== origin) deliver(m);
  });
  await listener.query(`LISTEN ${CHANNEL}`);
  let closed = false;
  // One query at a time on the sender: pg clients do not pipeline.
  let sending: Promise<unknown> = Promise.resolve();
  return {
    publish(message) {
      deliver(message);
      if (closed) return;
      const payload = JSON.stringify({ o: origin, m: message });
      sending = sending
        .then(() => sender.query("SELECT pg_notify($1, $2)", [CHANNEL, payload]))
        .catch(onError);
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    async close() {
      closed = true;
      listeners.clear();
      await sending;
      await Promise.allSettled([listener.end(), sender.end()]);
    },
  };
}
