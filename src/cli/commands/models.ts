// `atelya models` (what can be used), `atelya models pull <preset>` (download a local model) and
// `atelya models default [model]` (the workspace's default model).
import type { Command } from "commander";
import { getModelSettings, updateModelSettings } from "../../app/model-settings.js";
import { withSession } from "../session.js";
import { checkModelName } from "./run.js";
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
  models
    .command("default [model]")
    .description(
      "show the workspace's default model, or set it (every room's Planner, Composer and agents without a model of their own use it)",
    )
    .action(async (model: string | undefined) => {
      if (model !== undefined) checkModelName(model);
      await withSession(
        async (s) => {
          const before = await getModelSettings(s.runtime.deps, s.actor);
          if (model === undefined || model === before.default_model)
            return void process.stdout.write(
              `The workspace "${s.workspace.name}" runs its rooms on ${before.default_model}.\n`,
            );
          await updateModelSettings(s.runtime.deps, s.actor, { default_model: model });
          process.stdout.write(
            `The workspace "${s.workspace.name}" now runs its rooms on ${model} (was ${before.default_model}).\n`,
          );
        },
        { createOnFirstUse: model !== undefined },
      );
    });
}
