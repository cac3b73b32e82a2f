// `atelya models` (what can be used) and `atelya models pull <preset>` (download a local model).
import type { Command } from "commander";
import { PRESETS, progressBar, pullPreset } from "../../models/presets.js";
import { modelConfigFromEnv } from "../../models/config.js";

const modelDirFromEnv = (): string =>
  modelConfigFromEnv(process.env).local?.modelDir ?? ".atelya/models";

export function registerModels(program: Command): void {
  const models = program.command("models").description("local model presets");
  models
    .command("list", { isDefault: true })
    .description("list the presets and how to name other models")
    .action(() => {
      const dir = modelDirFromEnv();
      for (const [name, p] of Object.entries(PRESETS))
        process.stdout.write(`local:${name.padEnd(24)} ${p.note}\n`);
      process.stdout.write(
        `\nPresets live in ${dir}. Other models: local:/path/to/file.gguf, anthropic:<model>, openai:<model>, ollama:<model> (see docs/providers.md).\n`,
      );
    });
  models
    .command("pull <preset>")
    .description("download a preset (resumable) into the model directory")
    .action(async (name: string) => {
      const dir = modelDirFromEnv();
      const path = await pullPreset(name, dir, progressBar(process.stdout));
      process.stdout.write(`\nReady: use it as local:${name} (${path}).\n`);
    });
}
