// `atelya users create|list` and `atelya workspace plan|export|restore|delete`: account and
// workspace administration for self-hosters, straight on the database (the CLI acts as the
// installation's administrator).
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { setupOwner } from "../../app/accounts.js";
import type { Actor } from "../../app/context.js";
import { addMember } from "../../app/members.js";
import { resetPassword } from "../../app/passwords.js";
import { parsePlan, setPlan } from "../../app/plan.js";
import { deleteWorkspace, writeWorkspaceArchive } from "../../app/workspace-data.js";
import {
  restoreWorkspace,
  RestoreRefusedError,
  type RestoreReport,
} from "../../app/workspace-restore.js";
import { ArchivedRowsError } from "../../store/workspace-data.js";
import { PLAN_LABELS } from "../../domain/accounts.js";
import { counted } from "../../domain/format.js";
import { ROLES, type Role } from "../../domain/roles.js";
import { poolExec } from "../../engine/deps.js";
import { ScriptedModel } from "../../models/scripted.js";
import { openRuntime, type Runtime } from "../../runtime.js";
import { isPostgresUrl } from "../../store/db.js";
import { FileExistsError, writeNewFile } from "../../store/new-file.js";
import { listUsers, listUserWorkspaces } from "../../store/users.js";
import { configFromEnv } from "../config.js";
import { CliError } from "../errors.js";
import { chooseWorkspace, DEFAULT_WORKSPACE, namedWorkspace } from "../session.js";

/** Administration needs the store only: no model is ever called. `named` is the workspace the
 *  command was told to act in (--workspace or ATELYA_WORKSPACE), if any. */
async function withRuntime<T>(
  fn: (r: Runtime, named: string | undefined) => Promise<T>,
): Promise<T> {
  const config = configFromEnv(process.env);
  if (!isPostgresUrl(config.databaseUrl)) mkdirSync(config.dataDir, { recursive: true });
  const runtime = await openRuntime({
    databaseUrl: config.databaseUrl,
    masterKey: config.masterKey,
    models: new ScriptedModel(),
  });
  try {
    return await fn(runtime, namedWorkspace(config));
  } finally {
    await runtime.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** Asks without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void };
  let asked = false;
  out._writeToOutput = (s) => {
    if (!asked) process.stderr.write(s);
    asked = true;
  };
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer);
    }),
  );
}

async function password(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return readStdin();
  if (!process.stdin.isTTY)
    throw new CliError("No terminal to ask for the password: pass it with --password-stdin.");
  const first = await askHidden("Password (at least 10 characters): ");
  if ((await askHidden("Password again: ")) !== first)
    throw new CliError("The two passwords differ; nothing was created.");
  return first;
}

const cliActor = (workspaceId: Actor["workspaceId"]): Actor => ({
  id: "cli",
  workspaceId,
  role: "owner",
});

interface CreateOptions {
  owner?: boolean;
  email: string;
  name: string;
  role: string;
  passwordStdin?: boolean;
}

async function createUser(o: CreateOptions): Promise<void> {
  const role = o.role as Role;
  if (!o.owner && (!ROLES.includes(role) || role === "owner"))
    throw new CliError(`--role is one of admin, member, viewer (owner: use --owner on first run).`);
  const secret = await password(o.passwordStdin);
  await withRuntime(async (runtime, named) => {
    if (o.owner) {
      const { user, workspace } = await setupOwner(runtime.deps, {
        email: o.email,
        name: o.name,
        password: secret,
        workspaceName: named ?? DEFAULT_WORKSPACE,
      });
      process.stdout.write(`Created owner ${user.email} of workspace "${workspace.name}".\n`);
      return;
    }
    const ws = await chooseWorkspace(runtime.deps, named);
    const user = await addMember(runtime.deps, cliActor(ws.id), {
      email: o.email,
      name: o.name,
      password: secret,
      role: role as Exclude<Role, "owner">,
    });
    process.stdout.write(`Added ${user.email} to "${ws.name}" as ${role}.\n`);
  });
}

export function registerUsers(program: Command): void {
  const users = program
    .command("users")
    .description("accounts: create the owner, add, list, reset a password");
  users
    .command("create")
    .description("create an account (--owner: the first owner, on first run only)")
    .requiredOption("--email <email>", "e-mail address (the sign-in name)")
    .requiredOption("--name <name>", "the person's name")
    .option(
      "--owner",
      `the installation's first owner, with their workspace (its name: --workspace, default "${DEFAULT_WORKSPACE}")`,
    )
    .option("--role <role>", "admin, member or viewer (without --owner)", "member")
    .option("--password-stdin", "read the password from standard input instead of asking")
    .action((o: CreateOptions) => createUser(o));
  users
    .command("password")
    .description("set an account's new password (signs it out everywhere)")
    .requiredOption("--email <email>", "the account's e-mail address")
    .option("--password-stdin", "read the password from standard input instead of asking")
    .action(async (o: { email: string; passwordStdin?: boolean }) => {
      const secret = await password(o.passwordStdin);
      await withRuntime(async (runtime) => {
        const user = await resetPassword(runtime.deps, { email: o.email, password: secret });
        process.stdout.write(`New password set for ${user.email}; its sessions were signed out.\n`);
      });
    });
  users
    .command("list")
    .description("every account, with its workspaces and roles")
    .action(() =>
      withRuntime(async (runtime) => {
        const ex = poolExec(runtime.deps);
        const all = await listUsers(ex);
        if (all.length === 0)
          process.stdout.write("No accounts yet: atelya users create --owner --email … --name …\n");
        for (const u of all) {
          const ws = await listUserWorkspaces(ex, u.id);
          const where = ws.map((w) => `${w.name} (${w.role})`).join(", ") || "no workspace";
          process.stdout.write(`${u.email.padEnd(32)} ${u.name.padEnd(24)} ${where}\n`);
        }
      }),
    );

  const workspace =
    program.commands.find((c) => c.name() === "workspace") ??
    program.command("workspace").description("workspace administration");
  workspace
    .command("plan <plan>")
    .description("set the workspace plan (seats, API access, monthly credits)")
    .action((raw: string) =>
      withRuntime(async (runtime, named) => {
        const plan = parsePlan(raw);
        const ws = await chooseWorkspace(runtime.deps, named);
        const after = await setPlan(runtime.deps, cliActor(ws.id), plan);
        const seats =
          after.maxUsers === null
            ? "unlimited seats"
            : `${after.maxUsers} seat${after.maxUsers === 1 ? "" : "s"}`;
        process.stdout.write(
          `"${after.name}" is on the ${PLAN_LABELS[plan]} plan: ${seats}, API access ${after.apiAccess ? "on" : "off"}.\n`,
        );
      }),
    );
  workspace
    .command("export <file>")
    .description(
      "write everything the workspace holds to a zip (JSON Lines per table, deliverables as Markdown)",
    )
    .action((file: string) =>
      withRuntime(async (runtime, named) => {
        const ws = await chooseWorkspace(runtime.deps, named);
        // Whole or not at all: a killed export leaves no half archive at the name given.
        const { bytes } = await writeNewFile(file, "an export", (partial) =>
          writeWorkspaceArchive(runtime.deps, cliActor(ws.id), createWriteStream(partial)),
        ).catch((e: unknown) => {
          throw e instanceof FileExistsError ? new CliError(e.message) : e;
        });
        process.stdout.write(
          `Wrote everything "${ws.name}" holds to ${file} (${(bytes / 1024).toFixed(0)} KB; passwords, keys and secrets left out).\n`,
        );
      }),
    );
  workspace
    .command("restore <archive>")
    .description(
      "restore a workspace from the zip `workspace export` wrote (here after it was deleted, or on another installation)",
    )
    .action((archive: string) =>
      withRuntime(async (runtime) => {
        let bytes: Buffer;
        try {
          bytes = readFileSync(archive);
        } catch (e) {
          throw new CliError(`Cannot read ${archive}: ${(e as Error).message}`);
        }
        const report = await restoreWorkspace(runtime.deps, bytes).catch((e: unknown) => {
          throw e instanceof RestoreRefusedError || e instanceof ArchivedRowsError
            ? new CliError(`${e.message} Nothing was restored.`)
            : e;
        });
        process.stdout.write(restoredText(report));
      }),
    );
  workspace
    .command("delete")
    .description("delete a workspace and everything in it, for good (export it first)")
    .requiredOption("--confirm <name>", "the workspace's name, exactly")
    .action((o: { confirm: string }) =>
      withRuntime(async (runtime, named) => {
        const ws = await chooseWorkspace(runtime.deps, named ?? o.confirm);
        const { rooms } = await deleteWorkspace(runtime.deps, cliActor(ws.id), o.confirm);
        process.stdout.write(
          `Deleted "${ws.name}" and everything in it (${counted(rooms, "workroom")}). Its people keep their accounts.\n`,
        );
      }),
    );
}

function restoredText(r: RestoreReport): string {
  const rows = Object.values(r.rows).reduce((a, b) => a + b, 0);
  const lines = [
    `Restored "${r.workspace.name}" (${r.workspace.id}): ${counted(r.rooms, "workroom")}, ${rows.toLocaleString("en")} rows.`,
  ];
  if (r.rescheduled > 0)
    lines.push(
      `  ${counted(r.rescheduled, "room was", "rooms were")} running: they go on from their last finished task once a worker runs (atelya serve or atelya worker).`,
    );
  if (r.paused > 0)
    lines.push(
      `  ${counted(r.paused, "room is", "rooms are")} paused as before: resume ${r.paused === 1 ? "it" : "them"} to go on from the last finished task.`,
    );
  if (r.existingAccounts.length > 0)
    lines.push(`  Members with an account here already: ${r.existingAccounts.join(", ")}.`);
  if (r.withoutPassword.length > 0)
    lines.push(
      `  New accounts without a password (set one with atelya users password --email …): ${r.withoutPassword.join(", ")}.`,
    );
  if (r.leftOut.apiKeys > 0)
    lines.push(
      `  ${counted(r.leftOut.apiKeys, "API key was", "API keys were")} live: ${r.leftOut.apiKeys === 1 ? "it comes" : "they come"} back revoked (the audit log still names ${r.leftOut.apiKeys === 1 ? "it" : "them"}); issue new ones.`,
    );
  const missing = [
    r.leftOut.invites > 0 && `${counted(r.leftOut.invites, "pending invite")} (invite again)`,
    "provider keys (add them under Settings → Models)",
    r.leftOut.mcpServers.length > 0 &&
      `the MCP servers ${r.leftOut.mcpServers.join(", ")}, whose secrets were masked (add them again)`,
  ].filter(Boolean);
  lines.push(`  Not in the archive, so not restored: ${missing.join("; ")}.`);
  if (r.webhooksOff > 0)
    lines.push(
      `  ${counted(r.webhooksOff, "webhook")} restored switched off: rotate the signing secret, give it to the receiver, and switch it on again.`,
    );
  return `${lines.join("\n")}\n`;
}
