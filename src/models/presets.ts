// Named local models that `atelya models pull` can download (when the machine is online), and the
// resumable download itself.
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

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

/**
 * Downloads a preset into `dir`, resuming a partial `.part` file with an HTTP Range request, and
 * renames it into place when complete. Returns the file's path.
 */
export async function pullPreset(
  name: string,
  dir: string,
  onProgress: (p: PullProgress) => void,
  signal?: AbortSignal,
): Promise<string> {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`No preset "${name}"; presets: ${Object.keys(PRESETS).join(", ")}.`);
  mkdirSync(dir, { recursive: true });
  const target = join(dir, preset.file);
  if (existsSync(target)) return target;
  const part = `${target}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const res = await fetch(preset.url, {
    headers: have ? { range: `bytes=${have}-` } : {},
    ...(signal ? { signal } : {}),
  });
  if (!res.ok || !res.body)
    throw new Error(
      `Download of ${name} failed: HTTP ${res.status}. Check the network, or use a local file or an OpenAI-compatible server.`,
    );
  const resumed = res.status === 206;
  const length = Number(res.headers.get("content-length") ?? NaN);
  const total = Number.isFinite(length) ? length + (resumed ? have : 0) : undefined;
  let received = resumed ? have : 0;
  const body = Readable.fromWeb(res.body as never);
  body.on("data", (chunk: Buffer) => {
    received += chunk.length;
    onProgress({ received, total });
  });
  await pipeline(body, createWriteStream(part, { flags: resumed ? "a" : "w" }));
  renameSync(part, target);
  return target;
}
