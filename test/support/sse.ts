// A Server-Sent Events client for tests: opens a stream over real HTTP (fetch), parses messages as
// the EventSource spec does (id, event, data; comments skipped) and hands them out in order.
export interface SseMessage {
  id: string | undefined;
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** The body of a refused request (JSON error), when status is not 200. */
  errorBody: unknown;
  /** The next message; rejects if the stream ends first. */
  next(): Promise<SseMessage>;
  /** Messages until `until` holds for one (included). */
  until(until: (m: SseMessage) => boolean): Promise<SseMessage[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export async function openSse(
  url: string,
  headers: Record<string, string> = {},
): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  const queue: SseMessage[] = [];
  const waiters: { resolve: (m: SseMessage) => void; reject: (e: Error) => void }[] = [];
  let done = false;
  let errorBody: unknown = null;
  if (res.status !== 200) errorBody = await res.json();

  const push = (m: SseMessage) => {
    const w = waiters.shift();
    if (w) w.resolve(m);
    else queue.push(m);
  };
  const ended = (async () => {
    if (res.status !== 200 || !res.body) return;
    const decoder = new TextDecoder();
    let text = "";
    let current: { id?: string; event?: string; data?: string[] } = {};
    try {
      for await (const chunk of res.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = text.indexOf("\n")) >= 0) {
          const line = text.slice(0, nl);
          text = text.slice(nl + 1);
          if (line === "") {
            if (current.data)
              push({
                id: current.id,
                event: current.event ?? "message",
                data: current.data.join("\n"),
              });
            current = {};
          } else if (!line.startsWith(":")) {
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
            if (field === "id") current.id = value;
            else if (field === "event") current.event = value;
            else if (field === "data") (current.data ??= []).push(value);
          }
        }
      }
    } catch {
      // aborted by close()
    } finally {
      done = true;
      for (const w of waiters.splice(0)) w.reject(new Error("the stream ended"));
    }
  })();

  const next = () =>
    new Promise<SseMessage>((resolve, reject) => {
      const m = queue.shift();
      if (m) resolve(m);
      else if (done) reject(new Error("the stream ended"));
      else waiters.push({ resolve, reject });
    });
  return {
    status: res.status,
    headers: res.headers,
    errorBody,
    next,
    async until(check) {
      const got: SseMessage[] = [];
      for (;;) {
        const m = await next();
        got.push(m);
        if (check(m)) return got;
      }
    },
    ended,
    close: () => abort.abort(),
  };
}
