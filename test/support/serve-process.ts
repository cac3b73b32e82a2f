// `atelya serve` as a real child process (through tsx, so no build is needed for the server; the
// web app is whatever dist/web or ATELYA_WEB_ROOT holds) on a data folder of the test's own.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));

export interface ServeProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` */
  url: string;
  exited: Promise<number>;
  /** What the server logged as answered with a status its OpenAPI document does not list. */
  undocumented: string[];
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number>;
}

/** The server's log line for a status its OpenAPI document does not list (src/server/app.ts). */
const UNDOCUMENTED = "answered a status its OpenAPI document does not list";

export async function startServe(o: {
  dataDir: string;
  latencyMs?: number;
  env?: Record<string, string>;
}): Promise<ServeProcess> {
  const args = ["serve", "--port", "0", "--scripted-latency", String(o.latencyMs ?? 0)];
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import(${JSON.stringify(MAIN)}).then((m) => m.main(${JSON.stringify(["node", "atelya", ...args])}))`,
    ],
    {
      env: { ...process.env, ATELYA_DATA_DIR: o.dataDir, ATELYA_LOG_LEVEL: "warn", ...o.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const exited = new Promise<number>((resolve) =>
    child.once("exit", (code) => resolve(code ?? -1)),
  );
  const undocumented: string[] = [];
  let pending = "";
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    let serving = false;
    child.stdout!.on("data", (d: Buffer) => {
      // Once it serves, what the server logs (warnings and errors: ATELYA_LOG_LEVEL) goes to the
      // test's stderr, so a failure in CI shows the server's side of it; a status the OpenAPI
      // document does not list is kept for the test to fail on.
      if (serving) {
        const lines = (pending + d.toString()).split("\n");
        pending = lines.pop()!;
        undocumented.push(...lines.filter((l) => l.includes(UNDOCUMENTED)));
        return void process.stderr.write(d);
      }
      out += d.toString();
      const m = /serving on (http:\/\/[^\s]+) /.exec(out);
      if (m) {
        serving = true;
        resolve(m[1]!);
      }
    });
    child.stderr!.on("data", (d: Buffer) => process.stderr.write(d));
    void exited.then((code) => reject(new Error(`serve exited early (${code}): ${out}`)));
  });
  return {
    child,
    url,
    exited,
    undocumented,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
