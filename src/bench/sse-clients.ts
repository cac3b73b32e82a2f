// Child process of the API benchmark: holds N Server-Sent Events connections to one room's stream
// and tells the parent when every one of them has received a given event id. Living in its own
// process, the clients' parsing does not share the server's event loop (or its CPU time).
import http from "node:http";

interface Start {
  url: string;
  key: string;
  count: number;
  lastEventId: string;
}

type ToParent =
  | { type: "ready" }
  | { type: "all_received"; id: string; at: number }
  | { type: "error"; message: string };

const send = (m: ToParent) => process.send?.(m);
const now = () => performance.timeOrigin + performance.now();

function start(s: Start): void {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const received = new Map<string, number>();
  let open = 0;
  for (let i = 0; i < s.count; i++) {
    const req = http.get(
      s.url,
      {
        agent,
        headers: {
          accept: "text/event-stream",
          authorization: `Bearer ${s.key}`,
          "last-event-id": s.lastEventId,
        },
      },
      (res) => {
        if (res.statusCode !== 200) {
          send({ type: "error", message: `stream answered ${res.statusCode}` });
          return;
        }
        if (++open === s.count) send({ type: "ready" });
        res.setEncoding("utf8");
        let text = "";
        res.on("data", (chunk: string) => {
          text += chunk;
          // Only message ids matter here: a full parse is the client's business, not the server's.
          for (let end; (end = text.indexOf("\n\n")) >= 0;) {
            const message = text.slice(0, end);
            text = text.slice(end + 2);
            const id = /^id: (.*)$/m.exec(message)?.[1];
            if (id === undefined) continue;
            const n = (received.get(id) ?? 0) + 1;
            received.set(id, n);
            if (n === s.count) {
              received.delete(id);
              send({ type: "all_received", id, at: now() });
            }
          }
        });
      },
    );
    req.on("error", (e) => send({ type: "error", message: e.message }));
  }
}

process.on("message", (m: { type: "start" } & Start) => {
  if (m.type === "start") start(m);
});
process.on("disconnect", () => process.exit(0));
