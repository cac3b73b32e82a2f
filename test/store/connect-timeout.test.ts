// A PostgreSQL server whose network silently drops packets: a query that needs a new connection
// fails after the connect timeout, saying so with SQLSTATE 08001 (so /health answers 503 and the
// workers back off), instead of waiting forever with the request or the health check that sent it.
import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectTimeoutError, openStore } from "../../src/store/db.js";
import { isStoreUnwritable } from "../../src/store/unwritable.js";
import { TEST_MASTER_KEY } from "../support/keys.js";

// Takes connections and never answers, as a database behind a dropped route looks to a client.
const sockets = new Set<Socket>();
let silent: Server;
let url: string;
beforeAll(async () => {
  silent = createServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  const address = silent.address();
  const port = typeof address === "object" && address ? address.port : 0;
  url = `postgres://postgres@127.0.0.1:${port}/atelya`;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe("a PostgreSQL server that never answers", () => {
  it("fails queries with a connect timeout the engine and /health read as an unreachable store", async () => {
    const store = await openStore(url, {
      masterKey: TEST_MASTER_KEY,
      migrate: false,
      connectTimeoutMs: 200,
    });
    try {
      const read = store.db.selectFrom("workspaces").select("id").execute();
      const error = await read.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectTimeoutError);
      expect(error).toMatchObject({
        code: "08001",
        message: expect.stringMatching(/^no connection to PostgreSQL within 0.2 s/),
      });
      expect(isStoreUnwritable(error)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
