// Workspace settings that the engine reads: MCP servers (tools) and the fetch allow-list.
import { z } from "zod";
import { DomainError } from "../domain/errors.js";
import { sameOrigin } from "../domain/model-names.js";
import { describeIssues } from "../domain/requests.js";
import { BUILTIN_PRESETS, CustomPresetSchema, type CustomPreset } from "../domain/revisions.js";
import { ExportProfileSchema, type ExportProfile } from "../domain/export-profile.js";
import { logoProblem } from "../export/logo.js";
import {
  McpServerConfigSchema,
  McpServerInputSchema,
  type McpServerConfig,
} from "../integrations/tools/mcp-config.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { audit } from "../store/audit.js";
import { json, parseJson, type Exec } from "../store/exec.js";
import { authorize, lockExistingWorkspace, type Actor, type AppDeps } from "./context.js";
import { maskSecret, maskUrl } from "./model-settings.js";
import { checkVersion, versionOf } from "./versions.js";

export const WorkspaceSettingsSchema = z.object({
  revision_presets: z.array(CustomPresetSchema).default([]),
  export_profile: ExportProfileSchema.nullable().default(null),
  mcp_servers: z.array(McpServerConfigSchema).default([]),
  fetch_allow_hosts: z.array(z.string().min(1)).default([]),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

/** A workspace's settings as stored (no permission check: for use cases that checked already). */
export async function readSettings(ex: Exec, workspaceId: string): Promise<WorkspaceSettings> {
  const row = await ex.db
    .selectFrom("workspaces")
    .select(["settings", "id as workspace_id"])
    .where("id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) throw new DomainError("not_found", "No such workspace.");
  return WorkspaceSettingsSchema.parse(parseJson(row.settings));
}

export async function getSettings(deps: AppDeps, actor: Actor): Promise<WorkspaceSettings> {
  authorize(actor, "workroom.read");
  return readSettings(poolExec(deps), actor.workspaceId);
}

/**
 * Applies `fn` to the settings under the workspace lock: two changes at once apply one after the
 * other, each to what the other left, so `fn` may check the version it reads (checkVersion).
 */
async function change(
  deps: AppDeps,
  actor: Actor,
  action: string,
  fn: (s: WorkspaceSettings) => WorkspaceSettings,
): Promise<WorkspaceSettings> {
  authorize(actor, "settings.manage");
  return withTx(deps, async (tx) => {
    await lockExistingWorkspace(tx, actor.workspaceId);
    const next = WorkspaceSettingsSchema.parse(fn(await readSettings(tx.ex, actor.workspaceId)));
    await tx.ex.db
      .updateTable("workspaces")
      .set({ settings: tx.ex.seal(actor.workspaceId, json(next)) })
      .where("id", "=", actor.workspaceId)
      .execute();
    await audit(tx.ex, actor.workspaceId, { actor: actor.id, action }, tx.now);
    return next;
  });
}

export async function addMcpServer(
  deps: AppDeps,
  actor: Actor,
  server: McpServerConfig,
): Promise<WorkspaceSettings> {
  const parsed = McpServerInputSchema.safeParse(server);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The MCP server is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return change(deps, actor, "settings.mcp_server_added", (s) => ({
    ...s,
    mcp_servers: [...s.mcp_servers.filter((m) => m.name !== parsed.data.name), parsed.data],
  }));
}

export async function removeMcpServer(
  deps: AppDeps,
  actor: Actor,
  name: string,
): Promise<WorkspaceSettings> {
  return change(deps, actor, "settings.mcp_server_removed", (s) => {
    if (!s.mcp_servers.some((m) => m.name === name))
      throw new DomainError("not_found", `No MCP server named ${name}.`);
    return { ...s, mcp_servers: s.mcp_servers.filter((m) => m.name !== name) };
  });
}

export async function setFetchAllowHosts(
  deps: AppDeps,
  actor: Actor,
  hosts: string[],
): Promise<WorkspaceSettings> {
  return change(deps, actor, "settings.fetch_allow_hosts_changed", (s) => ({
    ...s,
    fetch_allow_hosts: hosts,
  }));
}

/** Host names fetch_url may reach: `example.com`, `*.example.com`, `10.0.0.5`. */
const AllowHostSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(
    /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/,
    "a host is a name like example.com or *.example.com, without scheme or path",
  );

/** The workspace's tools, replaced as a whole: MCP servers and the fetch allow-list. */
export const ToolSettingsSchema = z.object({
  mcp_servers: z.array(McpServerInputSchema).max(20).default([]),
  fetch_allow_hosts: z.array(AllowHostSchema).max(100).default([]),
});
export type ToolSettings = z.output<typeof ToolSettingsSchema>;

/** A header or environment value as reading shows it: never in clear (they carry tokens). */
const maskValue = maskSecret;

export const maskServer = (m: ToolSettings["mcp_servers"][number]) =>
  m.transport === "http"
    ? // A URL saved before user names and passwords were refused shows without them.
      { ...m, url: maskUrl(m.url), headers: mapValues(m.headers, maskValue) }
    : { ...m, env: mapValues(m.env, maskValue) };

const mapValues = (r: Record<string, string>, f: (v: string) => string) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, f(v)]));

type StdioServer = Extract<ToolSettings["mcp_servers"][number], { transport: "stdio" }>;

/** The same program, arguments and environment (in any key order). */
const sameProgram = (a: StdioServer, b: StdioServer): boolean => {
  const env = (e: Record<string, string>) => JSON.stringify(Object.entries(e).sort());
  return (
    a.command === b.command &&
    JSON.stringify(a.args) === JSON.stringify(b.args) &&
    env(a.env) === env(b.env)
  );
};

/** Values sent back exactly as they were shown masked are the stored ones. */
const unmask = (sent: Record<string, string>, stored: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(sent).map(([k, v]) => {
      const was = stored[k];
      return [k, was !== undefined && v === maskValue(was) ? was : v];
    }),
  );

/** The names of `sent`'s values that are `stored`'s shown masked. */
const maskedIn = (sent: Record<string, string>, stored: Record<string, string>) =>
  Object.keys(sent).filter((k) => stored[k] !== undefined && sent[k] === maskValue(stored[k]!));

type HttpServer = Extract<ToolSettings["mcp_servers"][number], { transport: "http" }>;

/**
 * The server's headers with masked values restored. A masked value is a stored secret the admin
 * has not seen, so it is restored only while the server stays at the same origin: otherwise
 * anyone who may change settings could send the token to a host of their choosing.
 */
function headersOf(
  m: HttpServer,
  old: WorkspaceSettings["mcp_servers"][number] | undefined,
): Record<string, string> {
  const stored = old?.transport === "http" ? old.headers : {};
  const masked = maskedIn(m.headers, stored);
  if (masked.length && old?.transport === "http" && !sameOrigin(old.url, m.url))
    throw new DomainError(
      "invalid_input",
      `MCP server "${m.name}" moves to another host (${URL.parse(m.url)?.host ?? m.url}): send its ${masked.length === 1 ? "header" : "headers"} ${masked.join(", ")} again, in full. A stored value is kept only while the server stays at the same address.`,
    );
  return unmask(m.headers, stored);
}

/** The tools as reading shows them: header and environment values masked. */
const toolsShown = (s: WorkspaceSettings): ToolSettings => ({
  mcp_servers: s.mcp_servers.map(maskServer),
  fetch_allow_hosts: s.fetch_allow_hosts,
});

/** The version of the tools as shown (masked values: the version says nothing of a secret). */
export const toolsVersion = (shown: ToolSettings): string => versionOf(shown);

/** The version of the letterhead. */
export const letterheadVersion = (s: WorkspaceSettings): string => versionOf(s.export_profile);

/** MCP servers (header and environment values masked) and the fetch allow-list. */
export async function getToolSettings(deps: AppDeps, actor: Actor): Promise<ToolSettings> {
  authorize(actor, "settings.manage");
  return toolsShown(await readSettings(poolExec(deps), actor.workspaceId));
}

/**
 * Replaces the MCP servers and the fetch allow-list. A header or environment value sent back
 * exactly as reading masked it keeps the stored value, so a form can round-trip what it read —
 * for a header, only while the server's URL keeps its origin (400 otherwise).
 * A stdio server starts a program on the host, which a workspace admin of a shared server must not
 * be able to choose: this (the API's) path keeps or removes them but never adds or changes one.
 * `expected`: the versions (toolsVersion) the change was made on; refused if the tools are at
 * another.
 */
export async function setToolSettings(
  deps: AppDeps,
  actor: Actor,
  input: unknown,
  expected?: readonly string[],
): Promise<ToolSettings> {
  const parsed = ToolSettingsSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The tools are invalid: ${describeIssues(parsed.error)}`,
    );
  const names = parsed.data.mcp_servers.map((m) => m.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new DomainError("invalid_input", `Two MCP servers are named "${twice}".`);
  const next = await change(deps, actor, "settings.tools_changed", (s) => {
    checkVersion(
      toolsVersion(toolsShown(s)),
      expected,
      "Someone changed the tools since you opened them",
    );
    const before = new Map(s.mcp_servers.map((m) => [m.name, m]));
    const servers = parsed.data.mcp_servers.map((m) => {
      const old = before.get(m.name);
      if (m.transport === "http") return { ...m, headers: headersOf(m, old) };
      const stdio = { ...m, env: unmask(m.env, old?.transport === "stdio" ? old.env : {}) };
      if (old?.transport !== "stdio" || !sameProgram(old, stdio))
        throw new DomainError(
          "forbidden",
          `MCP server "${m.name}" runs a program on the server, so only the server's operator adds or changes stdio servers (atelya mcp add ${m.name} --command …). Over the API, add HTTP servers; stdio ones can be kept or removed.`,
        );
      return stdio;
    });
    return {
      ...s,
      mcp_servers: servers,
      fetch_allow_hosts: [...new Set(parsed.data.fetch_allow_hosts)],
    };
  });
  return toolsShown(next);
}

/** Saves the letterhead of exported deliverables; `expected`: the versions (letterheadVersion)
 *  it was edited on, refused if the letterhead is at another. */
export async function setExportProfile(
  deps: AppDeps,
  actor: Actor,
  profile: unknown,
  expected?: readonly string[],
): Promise<WorkspaceSettings> {
  const parsed = ExportProfileSchema.safeParse(profile);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The export profile is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  // Decoded here, once, not in the schema: stored profiles are parsed on every settings read.
  const logo = parsed.data.logo;
  const problem = logo && logoProblem(logo.mime, Buffer.from(logo.base64, "base64"));
  if (problem)
    throw new DomainError("invalid_input", `The export profile is invalid: logo: ${problem}.`);
  return change(deps, actor, "settings.export_profile_changed", (s) => {
    checkVersion(
      letterheadVersion(s),
      expected,
      "Someone changed the letterhead since you opened it",
    );
    return { ...s, export_profile: parsed.data };
  });
}

export type { ExportProfile };

/** Adds (or replaces) a workspace revision preset; built-in slugs cannot be shadowed. */
export async function addRevisionPreset(
  deps: AppDeps,
  actor: Actor,
  preset: CustomPreset,
): Promise<WorkspaceSettings> {
  const parsed = CustomPresetSchema.safeParse(preset);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The preset is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  if (BUILTIN_PRESETS.some((p) => p.slug === parsed.data.slug))
    throw new DomainError(
      "conflict",
      `"${parsed.data.slug}" is a built-in preset; choose another slug.`,
    );
  const missing = [...parsed.data.instruction.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1]!)
    .filter((n) => !parsed.data.args.some((a) => a.name === n));
  if (missing.length)
    throw new DomainError(
      "invalid_input",
      `The instruction uses {${missing.join("}, {")}} but the preset has no such argument.`,
    );
  return change(deps, actor, "settings.revision_preset_added", (s) => ({
    ...s,
    revision_presets: [
      ...s.revision_presets.filter((p) => p.slug !== parsed.data.slug),
      parsed.data,
    ],
  }));
}

export async function removeRevisionPreset(
  deps: AppDeps,
  actor: Actor,
  slug: string,
): Promise<WorkspaceSettings> {
  return change(deps, actor, "settings.revision_preset_removed", (s) => {
    if (!s.revision_presets.some((p) => p.slug === slug))
      throw new DomainError("not_found", `No workspace preset ${slug}.`);
    return { ...s, revision_presets: s.revision_presets.filter((p) => p.slug !== slug) };
  });
}
