// A worker in its own process, for crash tests: `node --import tsx worker-process.ts <db> <id> <latencyMs> <leaseMs> <log>`.
// It logs every step it starts and finishes as JSON lines (worker, step, attempt, time) to <log>.
import { appendFileSync } from "node:fs";
import { openRuntime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { TEST_MASTER_KEY } from "./keys.js";

const [url, id, latency, lease, logFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];
const line = (level: string, obj: object, msg?: string) =>
  appendFileSync(logFile, `${JSON.stringify({ level, msg, ...obj })}\n`);
const runtime = await openRuntime({
  databaseUrl: url,
  masterKey: TEST_MASTER_KEY,
  models: new ScriptedModel({ latencyMs: Number(latency) }),
  config: { leaseMs: Number(lease), idlePollMs: 100, concurrency: 8 },
  log: {
    info: (o, m) => line("info", o, m),
    warn: (o, m) => line("warn", o, m),
    error: (o, m) => line("error", o, m),
  },
});
runtime.startWorker({ id });
process.send?.("ready");
process.on("SIGTERM", () => void runtime.close().then(() => process.exit(0)));
