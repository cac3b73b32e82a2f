// `atelya master-key rotate --new-key-file <file>`: re-seals every sealed value under a new master
// key (store/crypto/rotate.ts), with every other process on the database stopped.
import { existsSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { openStore } from "../../store/db.js";
import { MasterKeyMismatchError } from "../../store/crypto/key-check.js";
import { createKeyFile, readKeyFile, type MasterKey } from "../../store/crypto/master-key.js";
import {
  rotateMasterKey,
  RotationRefusedError,
  type RotationReport,
} from "../../store/crypto/rotate.js";
import { configFromEnv } from "../config.js";
import { CliError } from "../errors.js";
import { shellWord } from "../shell.js";

export function registerMasterKey(program: Command): void {
  const key = program
    .command("master-key")
    .description("the master key that seals content at rest (see docs/security.md)");
  key
    .command("rotate")
    .description(
      "re-seal every stored value under a new master key (stop every other process on the database first)",
    )
    .requiredOption(
      "--new-key-file <file>",
      "the new key: read if the file exists, otherwise created there (mode 0600)",
    )
    .action(async (o: { newKeyFile: string }) => {
      const config = configFromEnv(process.env);
      // Opened first: a process with the wrong current key stops here, before any file is made.
      const store = await openStore(config.databaseUrl, { masterKey: config.masterKey });
      const created = !existsSync(o.newKeyFile);
      let next: MasterKey;
      let report: RotationReport;
      try {
        next = created ? createKeyFile(o.newKeyFile) : keyIn(o.newKeyFile);
        report = await rotateMasterKey(store, { from: config.masterKey, to: next });
      } catch (e) {
        if (!(e instanceof RotationRefusedError)) throw e;
        // Refused before anything was written: a key made for it seals nothing.
        if (created) rmSync(o.newKeyFile, { force: true });
        throw new CliError(e.message);
      } finally {
        await store.close();
      }
      // What a process started with the new key does first: open the database and check the key.
      try {
        await (await openStore(config.databaseUrl, { masterKey: next })).close();
      } catch (e) {
        if (e instanceof MasterKeyMismatchError)
          throw new CliError(
            `The values were re-sealed, but the database does not open with the new key (${e.message}). Keep both keys and report this.`,
          );
        throw e;
      }
      const tables = Object.entries(report.byTable)
        .map(([t, n]) => `${t} ${n.toLocaleString("en-US")}`)
        .join(", ");
      process.stdout.write(
        `Re-sealed ${report.values.toLocaleString("en-US")} values under the new master key${created ? `, created in ${o.newKeyFile}` : ` from ${o.newKeyFile}`} (${tables}).\n` +
          `Start every process with it from now on: ATELYA_MASTER_KEY_FILE=${shellWord(resolve(o.newKeyFile))}` +
          `${config.masterKey.source.endsWith("master.key") ? `, or move it to ${config.masterKey.source}` : ""}. ` +
          "A process with the old key refuses to start. Back the new key up apart from the database; the old one no longer opens it.\n",
      );
    });
}

function keyIn(file: string): MasterKey {
  try {
    return readKeyFile(file);
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}
