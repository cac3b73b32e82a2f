// The one implementation of the ModelGateway contract: every underlying call is reserved
// (`beforeCall`), timed out, retried when transient, metered (`onCall`), and structured output is
// validated and re-asked with the validation errors. Providers plug in as small Backends.
import { toJSONSchema, type z } from "zod";
import type { ProviderCredentials } from "./config.js";
import {
  CallAbortedError,
  InvalidOutputError,
  OutputCutOffError,
  ProviderError,
  RateLimitedError,
} from "./errors.js";
import type {
  CallPurpose,
  CallRecord,
  ChatMessage,
  ModelGateway,
  ModelRequest,
  ModelUsage,
  ObjectResult,
  OnDelta,
  TextResult,
} from "./gateway.js";
import {
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_RETRY,
  backoffMs,
  classify,
  sleep,
  type RetryPolicy,
} from "./retry.js";

export interface Completion {
  text: string;
  usage: ModelUsage;
  /** The answer stopped at the request's output limit (OpenAI `finish_reason: "length"`,
   *  Anthropic `stop_reason: "max_tokens"`): it is incomplete. */
  cutOff?: boolean;
}

/** One logical call's tries so far: the calls metered (each counts as an attempt) and the output
 *  limit, doubled once after an answer was cut off at it. */
interface Turn {
  attempt: number;
  maxOutputTokens: number;
  enlarged: boolean;
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
  isLocal(model: string, credentials?: ProviderCredentials): boolean;
  /** Gets the model ready before anything is reserved (resolves the name, checks the key, loads a
   *  local file) so a model that cannot be used fails fast with ModelUnavailableError. */
  prepare?(req: ModelRequest): Promise<void>;
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

/** JSON schemas by zod schema, with their text: converting a recursive schema costs milliseconds
 *  on every call, and writing out the document's schema tens of microseconds. */
const jsonSchemas = new WeakMap<object, { json: Record<string, unknown>; text: string }>();
function jsonSchemaOf(schema: z.ZodType): { json: Record<string, unknown>; text: string } {
  let s = jsonSchemas.get(schema);
  if (!s) {
    const json = toJSONSchema(schema, { io: "input" }) as Record<string, unknown>;
    s = { json, text: JSON.stringify(json) };
    jsonSchemas.set(schema, s);
  }
  return s;
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

  isLocal(model: string, credentials?: ProviderCredentials): boolean {
    return this.backend.isLocal(model, credentials);
  }

  async generateText(req: ModelRequest): Promise<TextResult> {
    const turn = turnOf(req);
    const done = await this.uncut(req, turn, (asked, signal) =>
      this.backend.complete(asked, signal),
    );
    this.meter(req, turn.attempt, done, "ok");
    return { text: done.text, model: req.model };
  }

  async streamText(req: ModelRequest, onDelta: OnDelta): Promise<TextResult> {
    const stream = this.backend.stream?.bind(this.backend);
    const turn = turnOf(req);
    let tries = 0;
    const done = await this.uncut(req, turn, (asked, signal) => {
      // A retried stream starts the answer again: its first delta tells the caller to drop the rest.
      let restart = tries++ > 0;
      const emit = (delta: string) => {
        onDelta(delta, { restart });
        restart = false;
      };
      return stream ? stream(asked, emit, signal) : this.backend.complete(asked, signal);
    });
    if (!stream) onDelta(done.text, { restart: false });
    this.meter(req, turn.attempt, done, "ok");
    return { text: done.text, model: req.model };
  }

  async generateObject<T>(
    req: ModelRequest,
    schema: z.ZodType<T>,
    schemaName: string,
  ): Promise<ObjectResult<T>> {
    let messages: ChatMessage[] = req.messages;
    let issues: string[] = [];
    const { json: jsonSchema, text: schemaText } = jsonSchemaOf(schema);
    const system = this.backend.enforcesJsonSchema
      ? `${req.system}\n\nAnswer with one JSON value only, no prose.`
      : `${req.system}\n\nAnswer with one JSON value only, no prose, matching this JSON schema:\n${schemaText}`;
    const turn = turnOf(req);
    for (let ask = 1; ask <= this.reasks + 1; ask++) {
      const asked = { ...req, system, messages, jsonSchema };
      const done = await this.uncut(asked, turn, (a, signal) => this.backend.complete(a, signal));
      const parsed = jsonIn(done.text);
      if (parsed === undefined) issues = ["the answer is not valid JSON"];
      else {
        const result = schema.safeParse(parsed);
        if (result.success) {
          this.meter(req, turn.attempt, done, "ok");
          return { object: result.data, model: req.model };
        }
        issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      }
      this.meter(req, turn.attempt, done, "invalid_output");
      messages = [
        ...messages,
        { role: "assistant", content: done.text },
        {
          role: "user",
          content: `Your ${schemaName} does not match the schema:\n${issues.join("\n")}\nAnswer again with valid JSON only.`,
        },
      ];
    }
    throw new InvalidOutputError(
      `The model's ${schemaName} did not match the schema after ${this.reasks + 1} tries: ${issues.slice(0, 3).join("; ")}. ` +
        "Try a larger model for this agent, or simplify its instructions.",
      issues,
    );
  }

  /**
   * One answer that was not cut off at its output limit. A cut-off answer is never used (a section
   * ending mid-word must not reach a deliverable, half a JSON value is no plan), but it was spent:
   * it is metered, then asked again once with twice the limit, reserved like any call. Cut off
   * again, or the provider refusing the larger limit, fails the call saying so.
   */
  private async uncut(
    req: ModelRequest,
    turn: Turn,
    once: (asked: ModelRequest, signal: AbortSignal) => Promise<Completion>,
  ): Promise<Completion & { latencyMs: number }> {
    for (;;) {
      const asked = { ...req, maxOutputTokens: turn.maxOutputTokens };
      let done: Completion & { latencyMs: number };
      try {
        ({ done } = await this.call(asked, (signal) => once(asked, signal)));
      } catch (e) {
        // Asking for more than the model can write is refused (HTTP 400): the limit it has is the
        // one that cut the answer off.
        if (turn.enlarged && e instanceof ProviderError && e.status === 400)
          throw new OutputCutOffError(
            `${cutOffMessage(req, turn.maxOutputTokens / 2)} The provider refused a larger limit of ${turn.maxOutputTokens} tokens (${e.message}). ${CUT_OFF_ADVICE}`,
            turn.maxOutputTokens / 2,
          );
        throw e;
      }
      turn.attempt++;
      if (!done.cutOff) return done;
      this.meter(req, turn.attempt, done, "cut_off");
      if (turn.enlarged)
        throw new OutputCutOffError(
          `${cutOffMessage(req, turn.maxOutputTokens)} It was already asked again with twice the limit. ${CUT_OFF_ADVICE}`,
          turn.maxOutputTokens,
        );
      turn.maxOutputTokens *= 2;
      turn.enlarged = true;
    }
  }

  private meter(
    req: ModelRequest,
    attempt: number,
    done: Completion & { latencyMs?: number },
    outcome: CallRecord["outcome"],
  ): void {
    req.onCall?.({
      model: req.model,
      usage: done.usage,
      latencyMs: done.latencyMs ?? 0,
      attempt,
      outcome,
    });
  }

  /** One logical call: reserve, try with a timeout, retry transient failures. The caller meters
   *  the answer once it knows whether it was usable. */
  private async call(
    req: ModelRequest,
    once: (signal: AbortSignal) => Promise<Completion>,
  ): Promise<{ done: Completion & { latencyMs: number } }> {
    const sleepFor = this.retry.sleep ?? sleep;
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    for (let retry = 0; ; retry++) {
      if (req.signal?.aborted) throw new CallAbortedError();
      await this.backend.prepare?.(req);
      await req.beforeCall?.({
        promptTokens: this.countTokens(req),
        maxOutputTokens: req.maxOutputTokens,
        model: req.model,
      });
      const attempt = attemptSignal(req.signal, timeoutMs);
      const started = performance.now();
      try {
        const done = await once(attempt.signal);
        // Some SDK streams end quietly on abort: a partial answer is not an answer.
        attempt.signal.throwIfAborted();
        return { done: { ...done, latencyMs: Math.round(performance.now() - started) } };
      } catch (e) {
        const err = classify(e, req.signal, attempt.timedOut(), timeoutMs);
        if (!(err instanceof ProviderError)) throw err; // aborted, unavailable: never retried
        const waitMs =
          err.retryable && retry < this.retry.maxRetries
            ? backoffMs(this.retry, retry + 1, err.retryAfterMs)
            : undefined;
        const maxWait = this.retry.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
        // Longer than a worker should hold a lease: the caller decides when to try again (the
        // engine pauses the room), so the message only says what the provider asked.
        if (waitMs !== undefined && waitMs > maxWait)
          throw new RateLimitedError(
            `${err.message} (the provider asks to wait ${Math.ceil(waitMs / 1000)} s)`,
            req.model,
            err.status,
            waitMs,
            { cause: err },
          );
        if (waitMs === undefined)
          throw new ProviderError(
            retry > 0 ? `${err.message} (gave up after ${retry + 1} tries)` : err.message,
            false,
            err.status,
            err.retryAfterMs,
            { cause: err },
          );
        req.onRetry?.({
          model: req.model,
          attempt: retry + 1,
          delayMs: waitMs,
          error: err.message,
        });
        await sleepFor(waitMs, req.signal);
      } finally {
        attempt.dispose();
      }
    }
  }
}

const turnOf = (req: ModelRequest): Turn => ({
  attempt: 0,
  maxOutputTokens: req.maxOutputTokens,
  enlarged: false,
});

/** What a call of each purpose writes, for messages. */
const WRITES: Record<CallPurpose, string> = {
  plan: "plan",
  task: "task",
  compose: "document",
  revise: "revision",
  rewrite: "rewrite",
  style_extract: "style profile",
};

const cutOffMessage = (req: ModelRequest, limit: number) =>
  `The model's answer was cut off at ${limit.toLocaleString("en-US")} tokens, its output limit for this ${WRITES[req.purpose]} (${req.model}); an answer cut off mid-way is not used.`;

const CUT_OFF_ADVICE =
  "Ask for less in one go (split the task, or narrow what it asks for), or use a model that answers more briefly.";

/**
 * The signal of one try: aborted by the caller's signal or by the timeout, whichever comes first.
 * `dispose` clears the timer and the listener as soon as the try ends (`AbortSignal.timeout` with
 * `AbortSignal.any` would keep a timer and a dependent signal alive for the whole timeout after
 * every call: two minutes each, by the thousand on a busy worker).
 */
function attemptSignal(
  outer: AbortSignal | undefined,
  timeoutMs: number,
): { signal: AbortSignal; timedOut(): boolean; dispose(): void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException("The operation timed out.", "TimeoutError"));
  }, timeoutMs);
  timer.unref();
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}
