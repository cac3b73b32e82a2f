// Fake provider servers for tests: local HTTP servers that speak the OpenAI Chat Completions and
// Anthropic Messages wire formats (streaming included), report token usage, record what they
// receive, and inject faults on demand: 429 with Retry-After, 500, 503, a hang past the timeout, a
// reset connection, a stream (or a plain answer) cut mid-way, garbage JSON, a refused request; and
// answers that stop at the request's output limit.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** `429` asks to wait 1 s; `429-date` asks the same as an HTTP date (2 s ahead of the server clock);
 *  `429-long` asks to wait 300 s, longer than the gateway waits; `400` refuses the request as a
 *  provider refuses an output limit above the model's own. */
export type Fault =
  | "429"
  | "429-date"
  | "429-long"
  | "400"
  | "401"
  | "500"
  | "503"
  | "hang"
  | "reset"
  | "cut"
  | "garbage";

export interface Reply {
  text: string;
  inputTokens: number;
  outputTokens: number;
  cachedTokens?: number;
  /** The answer stopped at the request's output limit: OpenAI `finish_reason: "length"`,
   *  Anthropic `stop_reason: "max_tokens"`. */
  cutAtLimit?: boolean;
}

export interface ReceivedRequest {
  path: string;
  body: {
    model: string;
    stream?: boolean;
    /** The output limit asked for (OpenAI-compatible and Anthropic: `max_tokens`). */
    max_tokens?: number;
    /** OpenAI's own name for it on newer models. */
    max_completion_tokens?: number;
    system?: unknown;
    messages: { role: string; content: unknown }[];
  };
  /** Everything the model was shown, as one string. */
  text: string;
  /** The request headers (the API key arrives in `authorization` or `x-api-key`). */
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeProvider {
  url: string;
  requests: ReceivedRequest[];
  /** Faults for the next requests, in order (then normal replies). */
  faults: Fault[];
  /** Replies for the next successful requests, in order (then `reply`). */
  replies: Reply[];
  /** Default reply: a function of the request (e.g. the scripted answer). */
  reply: (req: ReceivedRequest) => Reply;
  /** Every fault injected so far, in order. */
  faultsSent: Fault[];
  /** Picks a fault for the n-th request (after the queued `faults`), for random fault injection. */
  chooseFault?: (n: number) => Fault | undefined;
  close(): Promise<void>;
}

const contentText = (c: unknown): string =>
  typeof c === "string"
    ? c
    : Array.isArray(c)
      ? c.map((p: { text?: string }) => p.text ?? "").join("")
      : "";

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** An error body in the provider's own format. */
const errorBody = (kind: "openai" | "anthropic", type: string, message: string) =>
  JSON.stringify(
    kind === "anthropic"
      ? { type: "error", error: { type, message } }
      : { error: { message, type } },
  );

function fault(res: ServerResponse, f: Fault, kind: "openai" | "anthropic"): boolean {
  switch (f) {
    case "429":
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "1" })
        .end(errorBody(kind, "rate_limit_error", "Rate limited, slow down"));
      return true;
    case "429-long":
      res
        .writeHead(429, { "content-type": "application/json", "retry-after": "300" })
        .end(errorBody(kind, "rate_limit_error", "Rate limited"));
      return true;
    case "429-date":
      res
        .writeHead(429, {
          "content-type": "application/json",
          "retry-after": new Date(Date.now() + 2_000).toUTCString(),
        })
        .end(errorBody(kind, "rate_limit_error", "Rate limited until the date given"));
      return true;
    case "400":
      res
        .writeHead(400, { "content-type": "application/json" })
        .end(
          errorBody(
            kind,
            "invalid_request_error",
            "max_tokens is too large: this model supports at most 300 output tokens",
          ),
        );
      return true;
    case "401":
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(errorBody(kind, "authentication_error", "Invalid API key"));
      return true;
    case "500":
    case "503":
      res
        .writeHead(Number(f), { "content-type": "application/json" })
        .end(errorBody(kind, "overloaded_error", "Upstream overloaded"));
      return true;
    case "hang":
      return true; // never answers; the client's timeout must fire
    case "reset":
      res.socket?.destroy();
      return true;
    case "garbage":
      res.writeHead(200, { "content-type": "application/json" }).end("{not json");
      return true;
    case "cut":
      return false; // handled by the streaming writer
  }
}

const JSON_HEADERS = { "content-type": "application/json" };

/** A non-streaming answer cut mid-way: the promised length, half the body, then a dropped connection. */
function cutBody(res: ServerResponse, json: string): void {
  res.writeHead(200, { ...JSON_HEADERS, "content-length": String(Buffer.byteLength(json)) });
  res.write(json.slice(0, Math.floor(json.length / 2)), () =>
    setTimeout(() => res.socket?.destroy(), 20),
  );
}

/** Drops the connection once what was written has reached the client, so it sees half a stream. */
function cutAfterFlush(res: ServerResponse): void {
  res.write(":\n\n", () => setTimeout(() => res.socket?.destroy(), 20));
}

function openai(res: ServerResponse, req: ReceivedRequest, r: Reply, cut: boolean): void {
  const usage = {
    prompt_tokens: r.inputTokens,
    completion_tokens: r.outputTokens,
    total_tokens: r.inputTokens + r.outputTokens,
    prompt_tokens_details: { cached_tokens: r.cachedTokens ?? 0 },
  };
  const finish = r.cutAtLimit ? "length" : "stop";
  const base = {
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 1_700_000_000,
    model: req.body.model,
  };
  if (!req.body.stream) {
    const json = JSON.stringify({
      ...base,
      choices: [
        { index: 0, message: { role: "assistant", content: r.text }, finish_reason: finish },
      ],
      usage,
    });
    return cut ? cutBody(res, json) : void res.writeHead(200, JSON_HEADERS).end(json);
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (delta: object, finish: string | null, extra = {}) =>
    res.write(
      `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
    );
  const pieces = r.text.match(/[\s\S]{1,20}/g) ?? [""];
  const sent = cut ? pieces.slice(0, Math.floor(pieces.length / 2)) : pieces;
  sent.forEach((p, i) => chunk(i === 0 ? { role: "assistant", content: p } : { content: p }, null));
  if (cut) return cutAfterFlush(res);
  chunk({}, finish);
  res.write(
    `data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [], usage })}\n\n`,
  );
  res.end("data: [DONE]\n\n");
}

function anthropic(res: ServerResponse, req: ReceivedRequest, r: Reply, cut: boolean): void {
  const usage = {
    input_tokens: r.inputTokens - (r.cachedTokens ?? 0),
    output_tokens: r.outputTokens,
    cache_read_input_tokens: r.cachedTokens ?? 0,
    cache_creation_input_tokens: 0,
  };
  const message = {
    id: "msg_fake",
    type: "message",
    role: "assistant",
    model: req.body.model,
    stop_reason: r.cutAtLimit ? "max_tokens" : "end_turn",
    stop_sequence: null,
  };
  if (!req.body.stream) {
    const json = JSON.stringify({ ...message, content: [{ type: "text", text: r.text }], usage });
    return cut ? cutBody(res, json) : void res.writeHead(200, JSON_HEADERS).end(json);
  }
  res.writeHead(200, { "content-type": "text/event-stream" });
  const ev = (type: string, data: object) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  ev("message_start", {
    message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } },
  });
  ev("content_block_start", { index: 0, content_block: { type: "text", text: "" } });
  const pieces = r.text.match(/[\s\S]{1,20}/g) ?? [""];
  const sent = cut ? pieces.slice(0, Math.floor(pieces.length / 2)) : pieces;
  for (const p of sent)
    ev("content_block_delta", { index: 0, delta: { type: "text_delta", text: p } });
  if (cut) return cutAfterFlush(res);
  ev("content_block_stop", { index: 0 });
  ev("message_delta", {
    delta: { stop_reason: message.stop_reason, stop_sequence: null },
    usage: { output_tokens: r.outputTokens },
  });
  ev("message_stop", {});
  res.end();
}

export async function startFakeProvider(
  kind: "openai" | "anthropic",
  reply: (req: ReceivedRequest) => Reply,
): Promise<FakeProvider> {
  const fake: FakeProvider = {
    url: "",
    requests: [],
    faults: [],
    faultsSent: [],
    replies: [],
    reply,
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const raw = await body(req);
    let parsed: ReceivedRequest["body"];
    try {
      parsed = JSON.parse(raw);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const text = [
      contentText(parsed.system),
      ...parsed.messages.map((m) => contentText(m.content)),
    ].join("\n");
    const received: ReceivedRequest = {
      path: req.url ?? "",
      body: parsed,
      text,
      headers: req.headers,
    };
    fake.requests.push(received);
    const f = fake.faults.shift() ?? fake.chooseFault?.(fake.requests.length);
    if (f) fake.faultsSent.push(f);
    if (f && fault(res, f, kind)) return;
    // A cut stream does not use up a queued reply: the retry should get the same one.
    const r = (f === "cut" ? fake.replies[0] : fake.replies.shift()) ?? fake.reply(received);
    (kind === "openai" ? openai : anthropic)(res, received, r, f === "cut");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}
