// The embedded local model: node-llama-cpp in-process on the CPU, no server. Structured answers are
// constrained by a grammar built from the JSON schema; token counts come from the model's tokenizer.
// `local:<file.gguf>` names a file; `local:<preset>` a file of the model directory (see presets.ts).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Llama, LlamaModel } from "node-llama-cpp";
import { CallAbortedError, ModelUnavailableError } from "./errors.js";
import type { ModelRequest } from "./gateway.js";
import type { Backend, Completion } from "./metered.js";
import { PRESETS } from "./presets.js";

export interface LocalModelOptions {
  /** Where preset files live (`atelya models pull` downloads into it). */
  modelDir: string;
  /** CPU threads per call. */
  threads?: number;
  contextSize?: number;
}

const charsEstimate = (req: Pick<ModelRequest, "system" | "messages">) =>
  Math.ceil((req.system.length + req.messages.reduce((n, m) => n + m.content.length, 0)) / 3.5);

export function missingModelMessage(name: string, dir: string): string {
  return (
    `The local model "${name}" is not on this machine. Three ways to get one: ` +
    `(1) point to a GGUF file you have: local:/path/to/model.gguf; ` +
    `(2) when online, download a preset into ${dir}: atelya models pull ${Object.keys(PRESETS)[0]} (presets: ${Object.keys(PRESETS).join(", ")}); ` +
    `(3) use a local OpenAI-compatible server instead, e.g. ollama:qwen2.5:7b with ATELYA_OPENAI_COMPATIBLE_BASE_URL.`
  );
}

export class LocalBackend implements Backend {
  readonly enforcesJsonSchema = true;
  private llama: Promise<Llama> | undefined;
  private readonly models = new Map<string, Promise<LlamaModel>>();
  private readonly loaded = new Map<string, LlamaModel>();

  constructor(private readonly options: LocalModelOptions) {}

  isLocal(): boolean {
    return true;
  }

  /** The real tokenizer once the model is loaded; a conservative estimate before. */
  countTokens(req: Pick<ModelRequest, "model" | "system" | "messages">): number {
    const model = this.loaded.get(req.model);
    if (!model) return charsEstimate(req);
    return model.tokenize(`${req.system}\n${req.messages.map((m) => m.content).join("\n")}`).length;
  }

  /** The file a `local:` name points to, or a ModelUnavailableError listing the ways to get one. */
  fileOf(name: string): string {
    const ref = name.replace(/^local:/, "");
    const preset = PRESETS[ref];
    const path = preset ? join(this.options.modelDir, preset.file) : resolve(ref);
    if (!existsSync(path))
      throw new ModelUnavailableError(missingModelMessage(ref, this.options.modelDir));
    return path;
  }

  private async model(name: string): Promise<{ llama: Llama; model: LlamaModel }> {
    const path = this.fileOf(name);
    this.llama ??= import("node-llama-cpp")
      .catch(() => {
        throw new ModelUnavailableError(
          "The embedded model runtime (node-llama-cpp) is not installed; run npm install, or use an OpenAI-compatible server.",
        );
      })
      // CPU only, never build or download binaries at run time.
      .then(({ getLlama }) => getLlama({ gpu: false, build: "never", logLevel: "error" as never }));
    const llama = await this.llama;
    let pending = this.models.get(path);
    if (!pending) {
      pending = llama.loadModel({ modelPath: path });
      this.models.set(path, pending);
    }
    const model = await pending;
    this.loaded.set(name, model);
    return { llama, model };
  }

  async complete(req: ModelRequest, signal: AbortSignal): Promise<Completion> {
    const { llama, model } = await this.model(req.model);
    const { LlamaChatSession } = await import("node-llama-cpp");
    const context = await model.createContext({
      threads: this.options.threads ?? 2,
      contextSize: this.options.contextSize ?? 4096,
    });
    try {
      const session = new LlamaChatSession({
        contextSequence: context.getSequence(),
        systemPrompt: req.system,
      });
      const prompt = req.messages
        .map((m) => (m.role === "assistant" ? `(Your earlier answer)\n${m.content}` : m.content))
        .join("\n\n");
      const grammar = req.jsonSchema
        ? await llama.createGrammarForJsonSchema(req.jsonSchema as never)
        : undefined;
      const text = await session.prompt(prompt, {
        maxTokens: req.maxOutputTokens,
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(grammar ? { grammar } : {}),
        signal,
      });
      if (signal.aborted) throw new CallAbortedError();
      return {
        text,
        usage: {
          inputTokens: model.tokenize(`${req.system}\n${prompt}`).length,
          outputTokens: model.tokenize(text).length,
          cachedInputTokens: 0,
        },
      };
    } finally {
      await context.dispose();
    }
  }

  async close(): Promise<void> {
    for (const m of this.models.values()) await (await m).dispose();
    this.models.clear();
    this.loaded.clear();
    if (this.llama) await (await this.llama).dispose();
  }
}
