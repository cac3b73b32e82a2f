// Named local models that can be downloaded when the machine is online (`atelya models pull`, or on
// first use), and the resumable download itself: a `.part` file continued with an HTTP Range request.
import { existsSync, ftruncateSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";

export interface Preset {
  file: string;
  url: string;
  /** What it is good for, shown by `atelya models`. */
  note: string;
}

export const PRESETS: Record<string, Preset> = {
  "qwen2.5-3b-instruct": {
    file: "qwen2.5-3b-instruct-q4_k_m.gguf",
    url: "https://huggingface.co/Qwen/Qwen2.5-3B-Instruct-GGUF/resolve/main/qwen2.5-3b-instruct-q4_k_m.gguf",
    note: "2 GB; a capable Planner and writer on a laptop CPU",
  },
  "qwen2.5-1.5b-instruct": {
    file: "qwen2.5-1.5b-instruct-q4_k_m.gguf",
    url: "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf",
    note: "1 GB; fast, for planning and short sections",
  },
};

export interface PullProgress {
  received: number;
  total: number | undefined;
}

export interface PullOptions {
  signal?: AbortSignal;
  presets?: Record<string, Preset>;
  fetch?: typeof fetch;
  /** How long to wait for the server to answer before calling the machine offline. */
  connectTimeoutMs?: number;
}

/**
 * Downloads a preset into `dir`, resuming a partial `.part` file with an HTTP Range request, and
 * renames it into place when complete. Returns the file's path. The last argument may also be an
 * AbortSignal (the older form).
 */
export async function pullPreset(
  name: string,
  dir: string,
  onProgress: (p: PullProgress) => void,
  options: PullOptions | AbortSignal = {},
): Promise<string> {
  const o: PullOptions = options instanceof AbortSignal ? { signal: options } : options;
  const presets = o.presets ?? PRESETS;
  const preset = presets[name];
  if (!preset) throw new Error(`No preset "${name}"; presets: ${Object.keys(presets).join(", ")}`);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, preset.file);
  if (existsSync(target)) return target;
  const part = `${target}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  // Open before asking: nothing is awaited between the answer and the first read of its body (on
  // Node 24, a body cut while the file was being opened lost what had already arrived).
  const file = await open(part, "a");
  let startOver = false;
  let received = 0;
  let total: number | undefined;
  try {
    // Offline, the request fails or stalls; only the wait for the answer is bounded, not the body.
    const connect = new AbortController();
    const timer = setTimeout(
      () => connect.abort(new Error("no answer from the download server")),
      o.connectTimeoutMs ?? 15_000,
    );
    let res: Response;
    try {
      res = await (o.fetch ?? fetch)(preset.url, {
        headers: have ? { range: `bytes=${have}-` } : {},
        signal: o.signal ? AbortSignal.any([o.signal, connect.signal]) : connect.signal,
      });
    } catch (e) {
      throw new Error(
        `Could not download the preset ${name} (offline? ${e instanceof Error ? e.message : String(e)})`,
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
    }
    if (res.status === 416 && have > 0) {
      // The server has nothing past our `.part`: it no longer matches the file; start over next time.
      startOver = true;
      throw new Error(`Download of ${name} could not resume; run it again to start over`);
    }
    if (!res.ok || !res.body)
      throw new Error(`Download of ${name} failed: HTTP ${res.status}; check the network`);
    const resumed = res.status === 206;
    // The whole file again: what the `.part` held goes (appends then start at 0).
    if (!resumed) ftruncateSync(file.fd, 0);
    const length = Number(res.headers.get("content-length") ?? NaN);
    total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
    received = resumed ? have : 0;
    // Each chunk is on disk before the next is read, so a cut connection leaves a `.part` that the
    // next attempt resumes from exactly where it stopped.
    try {
      for await (const chunk of Readable.fromWeb(res.body as never) as AsyncIterable<Buffer>) {
        await file.write(chunk);
        received += chunk.length;
        onProgress({ received, total });
      }
    } catch (e) {
      throw new Error(
        `Download of ${name} was cut at ${received} bytes (${e instanceof Error ? e.message : String(e)}); it resumes from there next time`,
        { cause: e },
      );
    }
  } finally {
    await file.close();
    if (startOver) rmSync(part, { force: true });
  }
  if (total !== undefined && statSync(part).size !== total)
    throw new Error(`Download of ${name} stopped early; run it again to resume`);
  renameSync(part, target);
  return target;
}

/** A progress callback that draws one updating line (`█████░░░ 42% 812 / 1930 MB`), at most
 *  every `everyMs`, on a terminal stream such as process.stderr. */
export function progressBar(
  out: { write(s: string): unknown },
  everyMs = 250,
): (p: PullProgress) => void {
  let last = 0;
  return ({ received, total }) => {
    const done = total !== undefined && received >= total;
    if (!done && Date.now() - last < everyMs) return;
    last = Date.now();
    const mb = (n: number) => (n / 2 ** 20).toFixed(0);
    const bar = total
      ? `${"█".repeat(Math.round((received / total) * 30)).padEnd(30, "░")} ${Math.round((received / total) * 100)}% `
      : "";
    out.write(`\r${bar}${mb(received)}${total ? ` / ${mb(total)}` : ""} MB${done ? "\n" : ""}`);
  };
}
