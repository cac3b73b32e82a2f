// `atelya copy-to <database-url>`: the whole database this installation uses, copied into another,
// empty one (SQLite to PostgreSQL when an agency outgrows the embedded store, or back).
import type { Command } from "commander";
import { isPostgresUrl, openStore } from "../../store/db.js";
import { copyStore, CopyRefusedError } from "../../store/copy.js";
import { configFromEnv } from "../config.js";
import { CliError } from "../errors.js";

/** A database URL as it may be printed: a password in it is masked. */
export function shownUrl(url: string): string {
  if (!isPostgresUrl(url)) return url;
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(the target database)";
  }
}

export function registerCopy(program: Command): void {
  program
    .command("copy-to <database-url>")
    .description(
      "copy this database, every row as stored, into another, empty one (SQLite to PostgreSQL or back); stop Atelya first",
    )
    .action(async (targetUrl: string) => {
      const config = configFromEnv(process.env);
      if (targetUrl === config.databaseUrl)
        throw new CliError("The target is the database Atelya uses now: name another one.");
      const from = await openStore(config.databaseUrl, { masterKey: config.masterKey });
      try {
        // The target gets the schema and the master key check of this key when it is opened.
        const to = await openStore(targetUrl, { masterKey: config.masterKey });
        try {
          const started = performance.now();
          process.stdout.write(
            `Copying ${shownUrl(config.databaseUrl)} (${from.dialect}) into ${shownUrl(targetUrl)} (${to.dialect})\n`,
          );
          const report = await copyStore(from, to, {
            onTable: (table, rows) =>
              process.stdout.write(`  ${table.padEnd(20)} ${rows.toLocaleString("en")}\n`),
          }).catch((e: unknown) => {
            throw e instanceof CopyRefusedError ? new CliError(e.message) : e;
          });
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          process.stdout.write(
            `Copied ${report.rows.toLocaleString("en")} rows of ${report.tables.length} tables in ${seconds} s. ` +
              `Sealed values were copied sealed: the copy opens only with this master key (${config.masterKey.source}). ` +
              `To run on it, set DATABASE_URL to it and start Atelya with the same key; rooms that were in flight go on where they were.\n`,
          );
        } finally {
          await to.close();
        }
      } finally {
        await from.close();
      }
    });
}
