// A unit of engine work inside one short transaction: the repository handle, the time, and the bus
// messages to publish once the transaction has committed (never before: listeners would read
// state that may still roll back).
import type { BusMessage } from "./bus.js";
import type { Exec } from "../store/exec.js";
import { inTransaction, type EngineDeps } from "./deps.js";

export interface Tx {
  ex: Exec;
  now: Date;
  outbox: BusMessage[];
}

export async function withTx<T>(deps: EngineDeps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const outbox: BusMessage[] = [];
  const result = await inTransaction(deps, (ex) => fn({ ex, now: deps.clock.now(), outbox }));
  for (const m of outbox) deps.bus.publish(m);
  return result;
}
