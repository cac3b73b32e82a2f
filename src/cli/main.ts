// The `atelya` command. Commands parse input, call one use case and format its result; every
// error is one clear line, never a stack trace.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { isDomainError } from "../domain/errors.js";
import { counted } from "../domain/format.js";
import { ModelError } from "../models/errors.js";
import { isPostgresUrl, openStore, sqliteFile } from "../store/db.js";
import { backupTo, BackupRefusedError, POSTGRES_BACKUP } from "../store/backup.js";
import { configFromEnv, databaseUrlFromEnv } from "./config.js";
import { CliError } from "./errors.js";
import { shellWord } from "./shell.js";
import { registerAgents } from "./commands/agents.js";
import { registerControl } from "./commands/control.js";
import { registerCopy } from "./commands/copy.js";
import { registerInsights } from "./commands/insights.js";
import { registerMasterKey } from "./commands/master-key.js";
import { registerExport } from "./commands/export.js";
import { registerModels } from "./commands/models.js";
import { registerPresets } from "./commands/presets.js";
import { registerTools } from "./commands/tools.js";
import { registerCredits } from "./commands/credits.js";
import { registerRevise } from "./commands/revise.js";
import { registerDemo } from "./commands/demo.js";
import { registerRooms } from "./commands/rooms.js";
import { registerRun } from "./commands/run.js";
import { registerServe } from "./commands/serve.js";
import { registerUsers } from "./commands/users.js";
import { nameWorkspace } from "./session.js";

// src/cli and dist/cli are both two folders below the package.
const VERSION = (createRequire(import.meta.url)("../../package.json") as { version: string })
  .version;

export function buildProgram(): Command {
  const program = new Command("atelya")
    .description("Atelya: pasted client material in, one finished, branded client document out.")
    .option(
      "--workspace <name or id>",
      "the workspace a command acts in (default: ATELYA_WORKSPACE, else the installation's only one)",
    )
    .version(VERSION, "--version", "print the version of Atelya")
    .configureHelp({ showGlobalOptions: true })
    .hook("preAction", (cmd) => nameWorkspace(cmd.opts<{ workspace?: string }>().workspace))
    .exitOverride();
  registerRun(program);
  registerRooms(program);
  registerDemo(program);
  registerControl(program);
  registerRevise(program);
  registerCredits(program);
  registerAgents(program);
  registerInsights(program);
  registerTools(program);
  registerExport(program);
  registerModels(program);
  registerPresets(program);
  registerServe(program);
  registerUsers(program);
  registerMasterKey(program);
  program
    .command("migrate")
    .description("bring the database schema up to date")
    .action(async () => {
      const config = configFromEnv(process.env);
      const store = await openStore(config.databaseUrl, { masterKey: config.masterKey });
      await store.close();
      process.stdout.write(`Database is up to date (${store.dialect}).\n`);
    });
  program
    .command("backup <file>")
    .description("write a consistent copy of the SQLite database while Atelya runs")
    .action(async (file: string) => {
      const databaseUrl = databaseUrlFromEnv(process.env);
      if (isPostgresUrl(databaseUrl)) throw new CliError(POSTGRES_BACKUP);
      // Before anything is opened: opening makes a new empty database and master key, and a
      // mistyped ATELYA_DATA_DIR was backed up as "0 workrooms" with a key of its own.
      const database = sqliteFile(databaseUrl);
      if (!database.startsWith("file:") && !existsSync(database))
        throw new CliError(
          `There is no Atelya database at ${resolve(database)} to back up (check ATELYA_DATA_DIR / DATABASE_URL). Nothing was created.`,
        );
      const config = configFromEnv(process.env);
      // Named here: the copy is first written beside the file under a partial name, which the
      // error would name instead.
      const folder = dirname(resolve(file));
      if (!existsSync(folder))
        throw new CliError(
          `Cannot write ${file}: the folder ${folder} does not exist. Create it first (mkdir -p ${shellWord(folder)}).`,
        );
      const store = await openStore(config.databaseUrl, { masterKey: config.masterKey });
      try {
        const b = await backupTo(store, file).catch((e: unknown) => {
          throw e instanceof BackupRefusedError ? new CliError(e.message) : e;
        });
        process.stdout.write(
          `Backed up ${counted(b.rooms, "workroom")} to ${b.file} (${(b.bytes / 2 ** 20).toFixed(1)} MB). ` +
            `It opens only with this master key (${config.masterKey.source}): keep a copy of the key, apart from the backup. ` +
            `To restore: stop Atelya, then \`${restoreLine(b.file, config.databaseUrl)}\`.\n`,
        );
      } finally {
        await store.close();
      }
    });
  registerCopy(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // A reader that stops early (`atelya show <id> | head`) is not an error of the command: what it
  // writes from then on goes nowhere, and the command carries on to its end, so `atelya run … |
  // head` still finishes its room and writes the deliverable (leaving at once abandoned the room
  // mid-step with its tasks held), and its exit code says how the room ended.
  for (const out of [process.stdout, process.stderr])
    out.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") return;
      throw e;
    });
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    // Commander has printed its one line already; --help and --version are no errors, and every
    // other of its errors is bad input (an unknown command or option, a missing argument).
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    process.stderr.write(`error: ${messageOf(e)}\n`);
    process.exit(e instanceof CliError ? e.exitCode : isDomainError(e) ? 2 : 1);
  }
}

/** The shell line that puts a backup back in place of the database (paths quoted as needed). */
function restoreLine(backup: string, database: string): string {
  const [from, to, wal, shm] = [backup, database, `${database}-wal`, `${database}-shm`].map(
    shellWord,
  );
  return `cp ${from} ${to} && rm -f ${wal} ${shm}`;
}

function messageOf(e: unknown): string {
  if (isDomainError(e) || e instanceof CliError || e instanceof ModelError) return e.message;
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    if (code === "ECONNREFUSED") return `cannot reach the database (${e.message}); is it running?`;
    return e.message;
  }
  return String(e);
}
