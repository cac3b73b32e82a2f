// A second server replica on a test world's database: its own runtime (store, bus, no worker) and
// its own HTTP server, as `atelya serve` would run on another machine behind a load balancer.
import { buildServer, type ServerOptions } from "../../src/server/app.js";
import { serverConfig } from "../../src/server/config.js";
import { openRuntime, type Runtime } from "../../src/runtime.js";
import { ScriptedModel } from "../../src/models/scripted.js";
import { TEST_MASTER_KEY } from "./keys.js";
import type { ApiWorld } from "./api.js";

export async function startReplica(
  world: ApiWorld,
  streams?: ServerOptions["streams"],
): Promise<{ url: string; deps: Runtime["deps"]; close(): Promise<void> }> {
  const runtime = await openRuntime({
    databaseUrl: world.server.harness.db.url,
    masterKey: TEST_MASTER_KEY,
    models: new ScriptedModel(),
  });
  const app = await buildServer({
    deps: runtime.deps,
    config: serverConfig({ logLevel: "silent", port: 0 }),
    ...(streams ? { streams } : {}),
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    deps: runtime.deps,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
