// Backoff with full jitter and Retry-After parsing.
import { describe, expect, it } from "vitest";
import { CallAbortedError, ModelUnavailableError, ProviderError } from "./errors.js";
import { APICallError } from "@ai-sdk/provider";
import { backoffMs, classify, retryAfterMs } from "./retry.js";

const policy = (random: number) => ({
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  random: () => random,
});

describe("backoff", () => {
  it("doubles its ceiling per retry and draws the delay at random below it (full jitter)", () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(policy(0.999), a))).toEqual([499, 999, 1998, 3996]);
    expect([1, 2, 3, 4].map((a) => backoffMs(policy(0), a))).toEqual([0, 0, 0, 0]);
    expect(backoffMs(policy(0.999), 20)).toBe(29_970); // capped at maxDelayMs
  });

  it("waits at least what Retry-After asks, even beyond the backoff cap", () => {
    expect(backoffMs(policy(0.5), 1, 7_000)).toBe(7_000);
    expect(backoffMs(policy(0.5), 1, 45_000)).toBe(45_000);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    expect(retryAfterMs({ "retry-after": "3" }, now)).toBe(3_000);
    expect(retryAfterMs({ "retry-after": "Tue, 24 Nov 2026 12:00:10 GMT" }, now)).toBe(10_000);
    expect(retryAfterMs({ "retry-after": "Tue, 24 Nov 2026 11:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterMs({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});

describe("which failures are transient", () => {
  const classifyNow = (e: unknown) => classify(e, undefined, false, 1_000);

  it("retries connection failures", () => {
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    expect(classifyNow(new TypeError("fetch failed", { cause: reset })).retryable).toBe(true);
    expect(classifyNow(new TypeError("terminated")).retryable).toBe(true);
  });

  it("does not retry a bug of ours that merely mentions a stream", () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'stream')");
    const err = classifyNow(bug);
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.retryable).toBe(false);
  });

  it("keeps the class of model errors that are not provider failures", () => {
    const missing = new ModelUnavailableError("no key");
    expect(classifyNow(missing)).toBe(missing);
    expect(classify(new Error("x"), AbortSignal.abort(), false, 1_000)).toBeInstanceOf(
      CallAbortedError,
    );
  });
});

describe("a provider error quoting a URL with credentials", () => {
  it("keeps the URL's host but not its user name or password", () => {
    const e = new TypeError(
      "Request cannot be constructed from a URL that includes credentials: http://qauser:BASEPASS777@127.0.0.1:4201/v1/chat/completions",
    );
    const err = classify(e, undefined, false, 1_000);
    expect(err.message).not.toMatch(/qauser|BASEPASS777/);
    expect(err.message).toContain("http://…@127.0.0.1:4201/v1/chat/completions");
    const api = new APICallError({
      message: "Bad gateway at https://u:p4ss@proxy.example.com/v1",
      url: "https://u:p4ss@proxy.example.com/v1",
      requestBodyValues: {},
      statusCode: 502,
    });
    expect(classify(api, undefined, false, 1_000).message).toBe(
      "HTTP 502: Bad gateway at https://…@proxy.example.com/v1",
    );
  });
});
