// `atelya tools`, `atelya mcp add|list|remove`, `atelya fetch-allow <host…>`.
import type { Command } from "commander";
import {
  addMcpServer,
  getSettings,
  removeMcpServer,
  setFetchAllowHosts,
} from "../../app/settings.js";
import { CliError } from "../errors.js";
import { withSession, withSessionMakingWorkspace } from "../session.js";

const collect = (v: string, all: string[]) => [...all, v];

export function registerTools(program: Command): void {
  program
    .command("tools")
    .description("list the tools agents can be granted (built-ins and MCP servers)")
    .action(() =>
      withSession(
        async (s) => {
          for (const t of (await s.runtime.deps.tools?.list(s.workspace.id)) ?? [])
            process.stdout.write(`${t.name.padEnd(32)} ${t.description}\n`);
        },
        { tools: true },
      ),
    );

  const mcp = program.command("mcp").description("MCP servers whose tools agents can use");
  mcp
    .command("add <name>")
    .description("add (or replace) a server: --command for stdio, --url for streamable HTTP")
    .option("--command <cmd>", "program to start (stdio)")
    .option("--arg <arg>", "argument for the program (repeatable)", collect, [])
    .option("--url <url>", "server URL (streamable HTTP)")
    .option("--header <k=v>", "HTTP header (repeatable)", collect, [])
    .action(
      (name: string, o: { command?: string; arg: string[]; url?: string; header: string[] }) =>
        withSessionMakingWorkspace(async (s) => {
          if (Boolean(o.command) === Boolean(o.url))
            throw new CliError("Give either --command (stdio) or --url (HTTP).");
          const headers = Object.fromEntries(
            o.header.map((h) => [h.slice(0, h.indexOf("=")), h.slice(h.indexOf("=") + 1)]),
          );
          await addMcpServer(
            s.runtime.deps,
            s.actor,
            o.command
              ? { name, transport: "stdio", command: o.command, args: o.arg }
              : { name, transport: "http", url: o.url!, headers },
          );
          process.stdout.write(
            `MCP server ${name} saved; its tools are named mcp:${name}/<tool>. Check them with \`atelya tools\`.\n`,
          );
        }),
    );
  mcp
    .command("list")
    .description("the workspace's MCP servers and how each is reached")
    .action(() =>
      withSession(async (s) => {
        const { mcp_servers } = await getSettings(s.runtime.deps, s.actor);
        if (!mcp_servers.length) process.stdout.write("No MCP servers configured.\n");
        for (const m of mcp_servers)
          process.stdout.write(
            `${m.name.padEnd(16)} ${m.transport === "stdio" ? `${m.command} ${m.args.join(" ")}` : m.url}\n`,
          );
      }),
    );
  mcp
    .command("remove <name>")
    .description("remove an MCP server; agents lose its tools")
    .action((name: string) =>
      withSession(async (s) => {
        await removeMcpServer(s.runtime.deps, s.actor, name);
        process.stdout.write(`MCP server ${name} removed.\n`);
      }),
    );

  program
    .command("fetch-allow [hosts...]")
    .description("set the hosts fetch_url may read (none: fetching is off)")
    .action((hosts: string[]) =>
      withSessionMakingWorkspace(async (s) => {
        const next = await setFetchAllowHosts(s.runtime.deps, s.actor, hosts);
        process.stdout.write(
          next.fetch_allow_hosts.length
            ? `fetch_url may read: ${next.fetch_allow_hosts.join(", ")}\n`
            : "fetch_url is off.\n",
        );
      }),
    );
}
