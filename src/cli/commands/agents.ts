// `atelya agents list|create|edit|copy|archive` and `atelya style extract|show|edit|copy`.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import {
  archiveAgent,
  copyAgent,
  copyStyle,
  createAgent,
  editAgent,
  extractStyle,
  getAgent,
  listCustomAgents,
  saveStyle,
} from "../../app/agents.js";
import type { AgentInput } from "../../domain/requests.js";
import type { Agent } from "../../domain/types.js";
import { CliError } from "../errors.js";
import { numberBetween } from "../options.js";
import { readTextFile } from "../files.js";
import { withSession, withSessionMakingWorkspace, type Session } from "../session.js";

const collect = (v: string, all: string[]) => [...all, v];

interface AgentFlags {
  name?: string;
  role?: string;
  prompt?: string;
  model?: string;
  temperature?: number;
  tool?: string[];
}

function agentInput(o: AgentFlags): Partial<AgentInput> {
  return {
    ...(o.name !== undefined ? { name: o.name } : {}),
    ...(o.role !== undefined ? { role_description: o.role } : {}),
    ...(o.prompt !== undefined ? { system_prompt: o.prompt } : {}),
    ...(o.model !== undefined ? { model: o.model === "default" ? null : o.model } : {}),
    ...(o.temperature !== undefined ? { temperature: o.temperature } : {}),
    ...(o.tool?.length ? { tool_grants: o.tool } : {}),
  };
}

/** A custom agent named by id or by name (an archived one only when no active one has the name);
 *  the API takes ids, people type names. */
async function resolveAgent(s: Session, ref: string): Promise<string> {
  const all = await listCustomAgents(s.runtime.deps, s.actor, { includeArchived: true });
  if (all.some((a) => a.id === ref)) return ref;
  const named = all.filter((a) => a.name === ref);
  const active = named.filter((a) => !a.archivedAt);
  const found = active.length > 0 ? active : named;
  if (found.length === 1) return found[0]!.id;
  if (found.length === 0)
    throw new CliError(`No custom agent "${ref}" in this workspace: see \`atelya agents list\`.`);
  throw new CliError(
    `${found.length} agents are named "${ref}" (${found.map((a) => a.id).join(", ")}): name one by its id.`,
  );
}

const line = (a: Agent) =>
  `${a.id}  ${a.name.padEnd(24)} ${(a.model ?? "workspace default").padEnd(28)} ${a.styleRules ? "style ✓" : "no style"}${a.archivedAt ? "  (archived)" : ""}\n`;

const withAgentFlags = (c: Command) =>
  c
    .option("--name <name>")
    .option("--role <text>", "role description")
    .option("--prompt <text>", "system prompt")
    .option("--model <provider:model>", "model, or 'default' for the workspace default")
    .option("--temperature <t>", "0 to 2", numberBetween(0, 2))
    .option("--tool <name>", "grant a tool (repeatable)", collect, []);

export function registerAgents(program: Command): void {
  const agents = program.command("agents").description("custom agents");
  agents
    .command("list")
    .description("the workspace's custom agents: id, name, model, Style Memory")
    .option("--all", "include archived agents")
    .action((o: { all?: boolean }) =>
      withSession(async (s) => {
        const list = await listCustomAgents(s.runtime.deps, s.actor, {
          includeArchived: Boolean(o.all),
        });
        if (!list.length)
          process.stdout.write("No custom agents yet: `atelya agents create --name …`.\n");
        for (const a of list) process.stdout.write(line(a));
      }),
    );
  withAgentFlags(agents.command("create").description("create a custom agent")).action(
    (o: AgentFlags) =>
      withSessionMakingWorkspace(async (s) => {
        if (!o.name) throw new CliError("An agent needs --name.");
        process.stdout.write(
          line(await createAgent(s.runtime.deps, s.actor, agentInput(o) as AgentInput)),
        );
      }),
  );
  withAgentFlags(agents.command("edit <agent>").description("change an agent's settings")).action(
    (ref: string, o: AgentFlags) =>
      withSession(async (s) => {
        const id = await resolveAgent(s, ref);
        process.stdout.write(line(await editAgent(s.runtime.deps, s.actor, id, agentInput(o))));
      }),
  );
  agents
    .command("copy <agent>")
    .description("copy an agent (name or id) with its settings and Style Memory")
    .option("--name <name>")
    .action((ref: string, o: { name?: string }) =>
      withSession(async (s) => {
        const id = await resolveAgent(s, ref);
        process.stdout.write(line(await copyAgent(s.runtime.deps, s.actor, id, o.name)));
      }),
    );
  agents
    .command("archive <agent>")
    .description("archive an agent (name or id); `agents list --all` still shows it")
    .action((ref: string) =>
      withSession(async (s) => {
        const id = await resolveAgent(s, ref);
        process.stdout.write(line(await archiveAgent(s.runtime.deps, s.actor, id)));
      }),
    );

  const style = program.command("style").description("Style Memory of an agent");
  style
    .command("extract <agent> <samples...>")
    .description(
      "draft a profile from 1–5 sample files (a model call, charged) and save it on the agent",
    )
    .action((ref: string, files: string[]) =>
      withSession(async (s) => {
        const id = await resolveAgent(s, ref);
        // Read in turn, each before anything is charged: one the reader refuses stops it all.
        const samples: string[] = [];
        for (const f of files) samples.push(await readTextFile(f));
        const { rules } = await extractStyle(s.runtime.deps, s.actor, id, samples, randomUUID());
        await saveStyle(s.runtime.deps, s.actor, id, rules);
        process.stdout.write(
          `${JSON.stringify(rules, null, 2)}\nSaved. Change it with \`atelya style edit ${id} <file.json>\`.\n`,
        );
      }),
    );
  style
    .command("show <agent>")
    .description("print an agent's Style Memory as JSON")
    .action((ref: string) =>
      withSession(async (s) => {
        const a = await getAgent(s.runtime.deps, s.actor, await resolveAgent(s, ref));
        process.stdout.write(
          a.styleRules
            ? `${JSON.stringify(a.styleRules, null, 2)}\n`
            : `${a.name} has no Style Memory yet.\n`,
        );
      }),
    );
  style
    .command("edit <agent> <file>")
    .description("save Style Memory from a JSON file with the seven fields")
    .action((ref: string, file: string) =>
      withSession(async (s) => {
        const id = await resolveAgent(s, ref);
        let rules: unknown;
        try {
          rules = JSON.parse(await readFile(file, "utf8"));
        } catch {
          throw new CliError(`${file} is not a readable JSON file.`);
        }
        await saveStyle(s.runtime.deps, s.actor, id, rules);
        process.stdout.write("Style Memory saved.\n");
      }),
    );
  style
    .command("copy <from> <to>")
    .description("copy Style Memory from one agent to another")
    .action((from: string, to: string) =>
      withSession(async (s) => {
        const [source, target] = [await resolveAgent(s, from), await resolveAgent(s, to)];
        const a = await copyStyle(s.runtime.deps, s.actor, source, target);
        process.stdout.write(`Style Memory copied to ${a.name}.\n`);
      }),
    );
}
