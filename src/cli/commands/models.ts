// `atelya models` (what can be used) and `atelya models pull <preset>` (download a local model).
import type { Command } from "commander";
import { PRESETS, pullPreset } from "../../models/presets.js";
import { configFromEnv } from "../config.js";

export function registerModels(program: Command): void {
  const models = program.command("models").description("local model presets");
  models
    .command("list", { isDefault: true })
    .description("list the presets and how to name other models")
    .action(() => {
      const dir = configFromEnv(process.env).modelDir;
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
      const dir = configFromEnv(process.env).modelDir;
      let last = 0;
      const path = await pullPreset(name, dir, ({ received, total }) => {
        if (Date.now() - last < 250) return;
        last = Date.now();
        const mb = (n: number) => (n / 2 ** 20).toFixed(0);
        const bar = total
          ? `${"█".repeat(Math.round((received / total) * 30)).padEnd(30, "░")} ${Math.round((received / total) * 100)}%`
          : "";
        process.stdout.write(`\r${bar} ${mb(received)}${total ? ` / ${mb(total)}` : ""} MB`);
      });
      process.stdout.write(`\nReady: use it as local:${name} (${path}).\n`);
    });
}
