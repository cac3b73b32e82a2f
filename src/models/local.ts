// The embedded local model: node-llama-cpp in-process on the CPU, no server. Structured answers are
// constrained by a grammar built from the JSON schema; token counts come from the model's tokenizer.
// `local:<file.gguf>` names a file; `local:<preset>` a file of the model directory (see presets.ts),
// downloaded on first use when allowed and online. node-llama-cpp is an optional dependency loaded
// on first use, so the rest of Atelya runs without it.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { ModelUnavailableError } from "./errors.js";
import { estimatePromptTokens } from "./estimate.js";
import { checkGgufFile, DamagedGgufError } from "./gguf.js";
import type { ModelRequest } from "./gateway.js";
import { jsonSchemaToGbnf } from "./local-grammar.js";
import type { Backend, Completion } from "./metered.js";
import { PRESETS, pullPreset, type Preset, type PullProgress } from "./presets.js";

export interface PresetDownload {
  onProgress: (p: PullProgress) => void;
  /** Injected by tests (a local server); the global fetch otherwise. */
  fetch?: typeof fetch;
}

export interface LocalModelOptions {
  /** Where preset files live (`atelya models pull` downloads into it). */
  modelDir: string;
  /** CPU threads per call (default 2). */
  threads?: number;
  contextSize?: number;
  /** Download a missing preset on first use; absent, a missing preset fails at once. */
  download?: PresetDownload;
  /** The presets by name (tests pass their own). */
  presets?: Record<string, Preset>;
}

/** The chat as node-llama-cpp's chat wrappers see it: earlier turns keep their roles (a re-ask shows
 *  the model its invalid answer as its own). */
function historyOf(req: Pick<ModelRequest, "system" | "messages">): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [{ type: "system", text: req.system }];
  for (const m of req.messages)
    history.push(
      m.role === "user"
        ? { type: "user", text: m.content }
        : { type: "model", response: [m.content] },
    );
  return history;
}

interface Loaded {
  model: LlamaModel;
  wrapper: ChatWrapper;
}

/** Why a `local:` model is not there, and the three ways to get one. `downloads`: this process
 *  downloads a missing preset on first use (ATELYA_LOCAL_AUTO_DOWNLOAD, on by default). */
export function missingModelMessage(
  name: string,
  dir: string,
  presets: Record<string, Preset> = PRESETS,
  downloads = false,
): string {
  return `The local model "${name}" is not on this machine. ${waysToGetModel(name, dir, presets, downloads)}`;
}

function waysToGetModel(
  name: string,
  dir: string,
  presets: Record<string, Preset>,
  downloads: boolean,
): string {
  const names = Object.keys(presets);
  const pull = `atelya models pull ${presets[name] ? name : (names[0] ?? "<preset>")}`;
  return (
    `Three ways to get one: ` +
    `(1) point to a GGUF file you have: local:/path/to/model.gguf; ` +
    (downloads
      ? `(2) when online, use a preset (${names.join(", ")}): it is downloaded into ${dir} on first use, or ahead of time with ${pull}; `
      : `(2) when online, download a preset into ${dir}: ${pull} (presets: ${names.join(", ")}), ` +
        `or set ATELYA_LOCAL_AUTO_DOWNLOAD=true to fetch it on first use; `) +
    `(3) use a local OpenAI-compatible server instead, e.g. ollama:qwen2.5:7b with ATELYA_OPENAI_COMPATIBLE_BASE_URL.`
  );
}

export class LocalBackend implements Backend {
  readonly enforcesJsonSchema = true;
  private llama: Promise<Llama> | undefined;
  private readonly models = new Map<string, Promise<LlamaModel>>();
  private readonly loaded = new Map<string, Loaded>();
  private readonly downloads = new Map<string, Promise<string>>();
  private readonly presets: Record<string, Preset>;

  constructor(private readonly options: LocalModelOptions) {
    this.presets = options.presets ?? PRESETS;
  }

  isLocal(): boolean {
    return true;
  }

  /** Exact once the model is loaded (prepare() loads it before any reservation): the prompt as the
   *  model's chat template renders it, through the model's tokenizer. */
  countTokens(req: Pick<ModelRequest, "model" | "system" | "messages">): number {
    const loaded = this.loaded.get(req.model);
    if (!loaded) return estimatePromptTokens(req);
    const { contextText } = loaded.wrapper.generateContextState({
      chatHistory: [...historyOf(req), { type: "model", response: [] }],
    });
    return contextText.tokenize(loaded.model.tokenizer).length;
  }

  private missing(ref: string): string {
    return missingModelMessage(ref, this.options.modelDir, this.presets, !!this.options.download);
  }

  /** The file a `local:` name points to, or a ModelUnavailableError listing the ways to get one. */
  fileOf(name: string): string {
    const ref = name.replace(/^local:/, "");
    const preset = this.presets[ref];
    const path = preset ? join(this.options.modelDir, preset.file) : resolve(ref);
    if (!existsSync(path)) throw new ModelUnavailableError(this.missing(ref));
    return path;
  }

  /** The file, downloading a missing preset first when that is allowed. */
  private async ensureFile(name: string): Promise<string> {
    const ref = name.replace(/^local:/, "");
    const download = this.options.download;
    const preset = this.presets[ref];
    if (!preset || !download || existsSync(join(this.options.modelDir, preset.file)))
      return this.fileOf(name);
    let pending = this.downloads.get(ref);
    if (!pending) {
      pending = pullPreset(ref, this.options.modelDir, download.onProgress, {
        presets: this.presets,
        ...(download.fetch ? { fetch: download.fetch } : {}),
      }).catch((e: unknown) => {
        this.downloads.delete(ref);
        throw new ModelUnavailableError(
          `${e instanceof Error ? e.message : String(e)}. ${this.missing(ref)}`,
        );
      });
      this.downloads.set(ref, pending);
    }
    return pending;
  }

  async prepare(req: ModelRequest): Promise<void> {
    await this.model(req.model);
  }

  private runtime(): Promise<Llama> {
    this.llama ??= import("node-llama-cpp")
      .catch(() => {
        throw new ModelUnavailableError(
          "The embedded model runtime (node-llama-cpp) is not installed: run npm install (it is an optional dependency), or use an OpenAI-compatible server such as ollama:<model>.",
        );
      })
      // CPU only; never build or download binaries at run time.
      .then(({ getLlama, LlamaLogLevel }) =>
        getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error }),
      );
    return this.llama;
  }

  private async model(name: string): Promise<{ llama: Llama } & Loaded> {
    const path = await this.ensureFile(name);
    let pending = this.models.get(path);
    if (!pending) {
      pending = this.load(name, path);
      this.models.set(path, pending);
      // A file that failed to load may be replaced: the next call tries it again.
      pending.catch(() => this.models.delete(path));
    }
    const model = await pending;
    const llama = await this.runtime();
    let loaded = this.loaded.get(name);
    if (!loaded) {
      const { resolveChatWrapper } = await import("node-llama-cpp");
      loaded = { model, wrapper: resolveChatWrapper(model) };
      this.loaded.set(name, loaded);
    }
    return { llama, ...loaded };
  }

  /** Loads the file once its header is plausible: llama.cpp trusts the counts it reads, and a
   *  damaged file made it allocate without limit instead of failing. */
  private async load(name: string, path: string): Promise<LlamaModel> {
    try {
      await checkGgufFile(path);
    } catch (e) {
      if (!(e instanceof DamagedGgufError)) throw e;
      const ref = name.replace(/^local:/, "");
      throw new ModelUnavailableError(
        `The model file ${path} is damaged or not a GGUF model (${e.message}). ` +
          (this.presets[ref]
            ? `Delete it and download it again: atelya models pull ${ref}. `
            : "Replace it with a whole .gguf file (a copy or download that stopped early is cut short). ") +
          waysToGetModel(ref, this.options.modelDir, this.presets, !!this.options.download),
      );
    }
    return (await this.runtime()).loadModel({ modelPath: path });
  }

  /** Grammars by JSON schema object (the gateway reuses one object per zod schema). */
  private readonly grammars = new WeakMap<object, Promise<LlamaGrammar>>();

  private grammar(llama: Llama, schema: Record<string, unknown>): Promise<LlamaGrammar> {
    let pending = this.grammars.get(schema);
    if (!pending) {
      const gbnf = jsonSchemaToGbnf(schema);
      // Our converter encodes numeric ranges and optional keys; for what it cannot express, the
      // library's own converter still guarantees the shape and zod re-asks about the rest.
      pending = gbnf
        ? llama.createGrammar({ grammar: gbnf })
        : llama.createGrammarForJsonSchema(schema as never);
      this.grammars.set(schema, pending);
    }
    return pending;
  }

  complete(req: ModelRequest, signal: AbortSignal): Promise<Completion> {
    return this.generate(req, signal);
  }

  stream(
    req: ModelRequest,
    onDelta: (delta: string) => void,
    signal: AbortSignal,
  ): Promise<Completion> {
    return this.generate(req, signal, onDelta);
  }

  private async generate(
    req: ModelRequest,
    signal: AbortSignal,
    onDelta?: (delta: string) => void,
  ): Promise<Completion> {
    const { llama, model, wrapper } = await this.model(req.model);
    const { LlamaChatSession } = await import("node-llama-cpp");
    const context = await model.createContext({
      threads: this.options.threads ?? 2,
      contextSize: this.options.contextSize ?? 4096,
    });
    try {
      const sequence = context.getSequence();
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: wrapper });
      session.setChatHistory(
        historyOf({ system: req.system, messages: req.messages.slice(0, -1) }),
      );
      const grammar = req.jsonSchema ? await this.grammar(llama, req.jsonSchema) : undefined;
      // The answer starts at its first visible character, streamed or not: node-llama-cpp keeps
      // a leading space token in the returned text but not always in the chunks.
      let started = false;
      const emit = onDelta
        ? (chunk: string) => {
            const piece = started ? chunk : chunk.trimStart();
            if (piece === "") return;
            started = true;
            onDelta(piece);
          }
        : undefined;
      const answer = await session.prompt(req.messages.at(-1)?.content ?? "", {
        maxTokens: req.maxOutputTokens,
        ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
        ...(grammar ? { grammar } : {}),
        ...(emit ? { onTextChunk: emit } : {}),
        signal,
      });
      signal.throwIfAborted(); // node-llama-cpp may return the partial text
      const text = answer.trimStart();
      const used = sequence.tokenMeter.getState();
      return {
        text,
        usage: {
          inputTokens: used.usedInputTokens,
          outputTokens: used.usedOutputTokens,
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
