// The one implementation of the ModelGateway contract: every underlying call is reserved
// (`beforeCall`), timed out, retried when transient, metered (`onCall`), and structured output is
// validated and re-asked with the validation errors. Providers plug in as small Backends.
import { toJSONSchema, type z } from "zod";
import { CallAbortedError, InvalidOutputError, ProviderError } from "./errors.js";
import type {
  ChatMessage,
  ModelGateway,
  ModelRequest,
  ModelUsage,
  ObjectResult,
  TextResult,
} from "./gateway.js";
import { DEFAULT_RETRY, backoffMs, classify, sleep, type RetryPolicy } from "./retry.js";

export interface Completion {
  text: string;
  usage: ModelUsage;
}

/** What a provider must do: one call, no retries, honouring the signal. */
export interface Backend {
  complete(req: ModelRequest, signal: AbortSignal): Promise<Completion>;
  /** Streams deltas; falls back to `complete` when absent. */
  stream?(
    req: ModelRequest,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Completion>;
  countTokens(req: Pick<ModelRequest, "model" | "system" | "messages">): number;
  isLocal(model: string): boolean;
  /** True when the backend enforces `jsonSchema` itself (a grammar): the prompt then skips the schema text. */
  readonly enforcesJsonSchema?: boolean;
}

export interface MeteredOptions {
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Re-asks of output that fails its schema (SPEC: at most 2). */
  reasks?: number;
}

/** The JSON an answer contains: the whole text, or the first fenced or braced block. */
export function jsonIn(text: string): unknown {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)?.[1];
  for (const candidate of [
    trimmed,
    fenced,
    trimmed.slice(trimmed.indexOf("{"), trimmed.lastIndexOf("}") + 1),
  ]) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/** JSON schemas by zod schema: converting a recursive schema costs milliseconds on every call. */
const jsonSchemas = new WeakMap<object, Record<string, unknown>>();
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let json = jsonSchemas.get(schema);
  if (!json) {
    json = toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
    jsonSchemas.set(schema, json);
  }
  return json;
}

export class MeteredGateway implements ModelGateway {
  private readonly timeoutMs: number;
  private readonly retry: RetryPolicy;
  private readonly reasks: number;

  constructor(
    protected readonly backend: Backend,
    options: MeteredOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.reasks = options.reasks ?? 2;
  }

  countTokens(req: Pick<ModelRequest, "model" | "system" | "messages">): number {
    return this.backend.countTokens(req);
  }

  isLocal(model: string): boolean {
    return this.backend.isLocal(model);
  }

  async generateText(req: ModelRequest): Promise<TextResult> {
    const { text } = await this.call(req, 1, (signal) => this.backend.complete(req, signal));
    return { text, model: req.model };
  }

  async streamText(req: ModelRequest, onDelta: (delta: string) => void): Promise<TextResult> {
    const stream = this.backend.stream?.bind(this.backend);
    const { text } = await this.call(req, 1, (signal) =>
      stream ? stream(req, onDelta, signal) : this.backend.complete(req, signal),
    );
    if (!stream) onDelta(text);
    return { text, model: req.model };
  }

  async generateObject<T>(
    req: ModelRequest,
    schema: z.ZodType<T>,
    schemaName: string,
  ): Promise<ObjectResult<T>> {
    let messages: ChatMessage[] = req.messages;
    let issues: string[] = [];
    const jsonSchema = jsonSchemaOf(schema);
    const system = this.backend.enforcesJsonSchema
      ? `${req.system}\n\nAnswer with one JSON value only, no prose.`
      : `${req.system}\n\nAnswer with one JSON value only, no prose, matching this JSON schema:\n${JSON.stringify(jsonSchema)}`;
    for (let attempt = 1; attempt <= this.reasks + 1; attempt++) {
      const asked = { ...req, system, messages, jsonSchema };
      const { text } = await this.call(asked, attempt, (signal) =>
        this.backend.complete(asked, signal),
      );
      const parsed = jsonIn(text);
      if (parsed === undefined) issues = ["the answer is not valid JSON"];
      else {
        const result = schema.safeParse(parsed);
        if (result.success) return { object: result.data, model: req.model };
        issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      }
      messages = [
        ...messages,
        { role: "assistant", content: text },
        {
          role: "user",
          content: `Your ${schemaName} does not match the schema:\n${issues.join("\n")}\nAnswer again with valid JSON only.`,
        },
      ];
    }
    throw new InvalidOutputError(
      `The model's ${schemaName} did not match the schema after ${this.reasks + 1} tries: ${issues.slice(0, 3).join("; ")}`,
      issues,
    );
  }

  /** One logical call: reserve, try with a timeout, retry transient failures, meter what was used. */
  private async call(
    req: ModelRequest,
    attempt: number,
    once: (signal: AbortSignal) => Promise<Completion>,
  ): Promise<Completion> {
    const sleepFor = this.retry.sleep ?? sleep;
    for (let retry = 0; ; retry++) {
      if (req.signal?.aborted) throw new CallAbortedError();
      await req.beforeCall?.({
        promptTokens: this.countTokens(req),
        maxOutputTokens: req.maxOutputTokens,
        model: req.model,
      });
      const timeout = AbortSignal.timeout(req.timeoutMs ?? this.timeoutMs);
      const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
      const started = performance.now();
      try {
        const done = await once(signal);
        req.onCall?.({
          model: req.model,
          usage: done.usage,
          latencyMs: Math.round(performance.now() - started),
          attempt,
          outcome: "ok",
        });
        return done;
      } catch (e) {
        const err = classify(e, req.signal, timeout.aborted, req.timeoutMs ?? this.timeoutMs);
        if (err instanceof CallAbortedError) throw err;
        if (!err.retryable || retry >= this.retry.maxRetries)
          throw new ProviderError(
            retry > 0 ? `${err.message} (gave up after ${retry + 1} tries)` : err.message,
            false,
            err.status,
            undefined,
            { cause: err },
          );
        const delayMs = backoffMs(this.retry, retry + 1, err.retryAfterMs);
        req.onRetry?.({ model: req.model, attempt: retry + 1, delayMs, error: err.message });
        await sleepFor(delayMs, req.signal);
      }
    }
  }
}
