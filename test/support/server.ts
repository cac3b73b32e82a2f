// A real Atelya server on a test database: the engine harness plus the HTTP server listening on a
// free port, so API tests talk real HTTP (fetch) to it.
import type { FastifyInstance } from "fastify";
import { buildServer, type ServerOptions } from "../../src/server/app.js";
import type { UndocumentedStatus } from "../../src/server/route.js";
import { serverConfig, type ServerConfigInput } from "../../src/server/config.js";
import { startHarness, type Harness } from "./harness.js";

export interface TestServer {
  harness: Harness;
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

export async function startTestServer(
  dialect: "sqlite" | "postgres",
  options: {
    harness?: Parameters<typeof startHarness>[1];
    config?: ServerConfigInput;
    streams?: ServerOptions["streams"];
    logStream?: ServerOptions["logStream"];
  } = {},
): Promise<TestServer> {
  const harness = await startHarness(dialect, options.harness);
  // Every status a test makes a route answer must be in the OpenAPI document: the suite checks
  // the document against what the server really does, not only what we thought to list.
  const undocumented: UndocumentedStatus[] = [];
  const app = await buildServer({
    onUndocumentedStatus: (s) => undocumented.push(s),
    deps: harness.runtime.deps,
    config: serverConfig({ logLevel: "silent", port: 0, ...options.config }),
    ...(options.streams ? { streams: options.streams } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    harness,
    app,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await harness.close();
      if (undocumented.length)
        throw new Error(
          `Answers with a status the OpenAPI document does not list for the operation:\n${undocumented
            .map((s) => `${s.method} ${s.url} (${s.operationId}) -> ${s.status}`)
            .join("\n")}`,
        );
    },
  };
}
