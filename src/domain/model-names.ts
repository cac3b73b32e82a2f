// The rules of model names and provider base URLs, checked where people save them (model settings,
// agents, the environment) so a bad one is refused there instead of failing every room at start.
import { z } from "zod";

/** Prefixes served by an OpenAI-compatible server (Ollama, LM Studio, vLLM, llama.cpp server). */
export const COMPATIBLE_PREFIXES = [
  "ollama",
  "lmstudio",
  "vllm",
  "llamacpp",
  "openai-compatible",
] as const;

/** The scripted stand-in (`scripted`, `scripted:<anything>`): no provider, no keys. Decided by the
 *  name alone, so the router, the keys lookup and the web app need no backend loaded. */
export const isScripted = (model: string): boolean =>
  model === "scripted" || model.startsWith("scripted:");

/** Every provider a `provider:model` name may start with. */
export const MODEL_PROVIDERS = ["anthropic", "openai", ...COMPATIBLE_PREFIXES, "local"] as const;

/** How a model is named, for a refusal. */
export const NAME_HINT =
  `a model is named provider:model (e.g. anthropic:claude-sonnet-4-5, ollama:qwen2.5:7b), ` +
  `where provider is one of ${MODEL_PROVIDERS.join(", ")}; or scripted`;

/** True for `provider:model` with a known provider and a model id, and for the scripted model. */
export function isModelName(name: string): boolean {
  if (isScripted(name)) return true;
  const at = name.indexOf(":");
  return (
    at > 0 &&
    at < name.length - 1 &&
    (MODEL_PROVIDERS as readonly string[]).includes(name.slice(0, at))
  );
}

export const ModelNameSchema = z
  .string()
  .trim()
  .min(1, NAME_HINT)
  .max(200)
  .refine(isModelName, NAME_HINT);

/** True when the URL names this machine: `localhost`, 127.0.0.0/8 or `[::1]`, read from the parsed
 *  host (a prefix test would take `localhost.example.com` or `127.0.0.1.nip.io`). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host === "localhost" || host === "[::1]") return true;
  // The URL parser writes any IPv4 spelling (127.1, 0x7f.0.0.1) as four decimal parts.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Whether a URL carries a user name or password (`user:password@host`). Every URL a workspace
 *  saves (provider base URLs, webhooks, MCP servers) refuses them: the URL is shown to people who
 *  may not see the credential, and errors quote it. */
export const hasUserinfo = (url: string): boolean => {
  const u = URL.parse(url); // null for a URL a schema's own check refuses
  return Boolean(u?.username || u?.password);
};

/** Whether two URLs send what they are given to the same place (scheme, host and port). A stored
 *  secret (a provider key, an MCP header, the environment's key) follows a URL only there: anyone
 *  who may change a URL must not be able to route a secret they cannot see to a host of their
 *  choosing. A URL that does not parse is compared as written. */
export const sameOrigin = (a: string, b: string): boolean => originOf(a) === originOf(b);

const originOf = (url: string): string => URL.parse(url)?.origin ?? url;

/** A provider's base URL: http(s), with no user name or password in it (the SDKs refuse those, and
 *  their error would echo the password into the room's history). */
export const BaseUrlSchema = z
  .url({ protocol: /^https?$/, error: "a base URL is an http(s) URL" })
  .refine((url) => !hasUserinfo(url), {
    error:
      "a base URL may not contain a user name or password (user:password@host); put the credential in the provider's API key instead",
  });

/** `http://user:secret@host/…` → `http://…@host/…`, wherever a URL appears in the text: provider
 *  error messages may quote the URL they were given. */
export const withoutUserinfo = (text: string): string =>
  text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, "$1…@");
