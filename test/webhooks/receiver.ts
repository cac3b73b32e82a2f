// A local webhook receiver (node:http on port 0) that records every request with its raw body and
// answers by a script: a status per request in order (the last one repeats), or "hang" to never
// answer (for timeouts).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Resolves once `n` requests have arrived. */
  waitFor(n: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(script: (number | "hang")[] = [200]): Promise<Receiver> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const waiters: { n: number; resolve: (r: Received[]) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      const answer = script[Math.min(received.length - 1, script.length - 1)]!;
      if (answer === "hang") hanging.push(res);
      else
        res
          .writeHead(answer, { "content-type": "text/plain" })
          .end(`answer ${answer} `.repeat(100));
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve(received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    waitFor: (n) =>
      received.length >= n
        ? Promise.resolve(received)
        : new Promise((resolve) => waiters.push({ n, resolve })),
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
