// API benchmark (issue 7). How it measures:
// - A real server (buildServer, listening on 127.0.0.1, port 0) on a fresh SQLite file with the
//   scripted model; the owner (first-run setup) gets an API key, and one room is run to completed
//   so GET /api/v1/workrooms/:id returns a realistic detail (plan tasks, drafts, inputs), opened
//   from their sealed columns on every read.
// - Latency: autocannon in this process, 64 connections, `Authorization: Bearer <key>`, a 2 s
//   warm-up run, then 10 s measured; p50 and p99 latency and the mean requests/s, non-2xx counted.
// - SSE fan-out: a child process (sse-clients.ts) opens 1,000 streams of that room with
//   Last-Event-ID at its last event (no backlog). For each event, the time runs from just before the
//   append (one withTx that records a history event, as the engine does) until the child has seen
//   the event on all 1,000 connections; 2 warm-up events, then the median and max of 10. Clocks:
//   performance.timeOrigin + now() on both sides (one machine).
// The issue names no numeric target for these; the figures go into the closing note.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { setupOwner } from "../app/accounts.js";
import { createApiKey } from "../app/api-keys.js";
import type { Actor } from "../app/context.js";
import { createWorkspace } from "../app/workspaces.js";
import { createWorkroom, startWorkroom } from "../app/workrooms.js";
import { record } from "../engine/history.js";
import { withTx } from "../engine/tx.js";
import { ScriptedModel } from "../models/scripted.js";
import { openRuntime, type Runtime } from "../runtime.js";
import { buildServer } from "../server/app.js";
import { serverConfig } from "../server/config.js";
import { randomMasterKey } from "../store/crypto/master-key.js";
import type { Workroom } from "../domain/types.js";

export interface ApiFigures {
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  non2xx: number;
  subscribers: number;
  fanoutMedianMs: number;
  fanoutMaxMs: number;
}

const CONNECTIONS = 64;
const SUBSCRIBERS = 1_000;
const now = () => performance.timeOrigin + performance.now();

function completed(rt: Runtime, id: string): Promise<void> {
  return new Promise((resolve) => {
    const off = rt.deps.bus.subscribe((m) => {
      if (m.type === "room_state" && m.workroomId === id && m.state === "completed") {
        off();
        resolve();
      }
    });
  });
}

async function setup(rt: Runtime): Promise<{ room: Workroom; key: string }> {
  // A workspace with credits first; the owner's setup adopts it (as after CLI use).
  await createWorkspace(rt.deps, {
    name: "Bench",
    plan: "agency",
    defaultModel: "scripted",
    topup: 1_000_000,
  });
  const { user, workspace } = await setupOwner(rt.deps, {
    email: "bench@atelya.test",
    name: "Bench Owner",
    password: "bench password 1234",
    workspaceName: "Bench",
  });
  const actor: Actor = { id: user.id, userId: user.id, workspaceId: workspace.id, role: "owner" };
  const { key } = await createApiKey(rt.deps, actor, { name: "bench" });
  const room = await createWorkroom(rt.deps, actor, {
    title: "Bench proposal",
    deliverables: ["Proposal"],
    inputs: [
      { kind: "brief", content: "Aurora Coffee wants a Q4 proposal for a loyalty-app relaunch." },
      { kind: "meeting_notes", content: "Offline mode is a must. SSO with the client's tenant." },
    ],
  });
  const done = completed(rt, room.id);
  await startWorkroom(rt.deps, actor, room.id);
  await done;
  return { room, key };
}

async function latency(url: string, key: string) {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: CONNECTIONS,
      duration,
      headers: { authorization: `Bearer ${key}` },
    });
  await run(2);
  return run(10);
}

type FromChild =
  | { type: "ready" }
  | { type: "all_received"; id: string; at: number }
  | { type: "error"; message: string };

function nextMessage(child: ChildProcess, type: FromChild["type"]): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const on = (m: FromChild) => {
      if (m.type === "error") reject(new Error(m.message));
      else if (m.type === type) resolve(m);
      else return;
      child.off("message", on);
    };
    child.on("message", on);
  });
}

async function fanout(rt: Runtime, url: string, key: string, room: Workroom) {
  const lastSeq = (
    await rt.deps.store.db
      .selectFrom("workrooms")
      .select("event_seq")
      .where("id", "=", room.id)
      .executeTakeFirstOrThrow()
  ).event_seq;
  const child = fork(fileURLToPath(new URL("./sse-clients.js", import.meta.url)));
  try {
    const ready = nextMessage(child, "ready");
    child.send({
      type: "start",
      url: `${url}/api/v1/workrooms/${room.id}/stream`,
      key,
      count: SUBSCRIBERS,
      lastEventId: String(lastSeq),
    });
    await ready;
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      const received = nextMessage(child, "all_received");
      const t0 = now();
      await withTx(rt.deps, async (tx) =>
        record(tx, room, [{ type: "bench.ping", actor: "bench", data: { n: i } }]),
      );
      const m = (await received) as { at: number };
      if (i >= 2) times.push(m.at - t0);
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[Math.floor(times.length / 2)]!, maxMs: times.at(-1)! };
  } finally {
    child.kill();
  }
}

export async function benchApi(): Promise<ApiFigures> {
  const dir = mkdtempSync(join(tmpdir(), "atelya-bench-api-"));
  const rt = await openRuntime({
    databaseUrl: join(dir, "bench.db"),
    masterKey: randomMasterKey(),
    models: new ScriptedModel(),
  });
  rt.startWorker();
  const app = await buildServer({
    deps: rt.deps,
    config: serverConfig({ logLevel: "silent", port: 0 }),
  });
  try {
    const { room, key } = await setup(rt);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const r = await latency(`${base}/api/v1/workrooms/${room.id}`, key);
    const f = await fanout(rt, base, key, room);
    return {
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      requestsPerSecond: r.requests.average,
      non2xx: r.non2xx + r.errors,
      subscribers: SUBSCRIBERS,
      fanoutMedianMs: f.medianMs,
      fanoutMaxMs: f.maxMs,
    };
  } finally {
    await app.close();
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
