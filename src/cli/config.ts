// CLI configuration, parsed once from the environment with zod. Nothing below cli/ reads process.env.
import { join } from "node:path";
import { z } from "zod";
import { isPostgresUrl } from "../store/db.js";
import { loadMasterKey, type MasterKey } from "../store/crypto/master-key.js";
import { ModelNameSchema } from "../domain/model-names.js";
import { addressProblem } from "../integrations/tools/builtins/fetch-guard.js";
import { CliError } from "./errors.js";

const CONCURRENCY = "a whole number of steps run at once, from 1 to 256";

const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  ATELYA_DATA_DIR: z.string().min(1).default(".atelya"),
  ATELYA_MODEL: ModelNameSchema.optional(),
  /** The workspace CLI commands act in (name or id), as --workspace names it. */
  ATELYA_WORKSPACE: z.string().min(1).optional(),
  ATELYA_CONCURRENCY: z
    .string()
    .trim()
    .regex(/^\d+$/, CONCURRENCY)
    .transform(Number)
    .pipe(z.number().min(1, CONCURRENCY).max(256, CONCURRENCY))
    .optional(),
  /** base64 or hex of 32 bytes; see docs/security.md. */
  ATELYA_MASTER_KEY: z.string().min(1).optional(),
  ATELYA_MASTER_KEY_FILE: z.string().min(1).optional(),
  /** Comma-separated internal addresses or CIDR ranges MCP servers over HTTP may be reached at;
   *  set but empty means none, as unset does. */
  ATELYA_MCP_ALLOW_ADDRESSES: z.string().optional(),
});

export interface CliConfig {
  databaseUrl: string;
  dataDir: string;
  defaultModel: string | undefined;
  /** The workspace CLI commands act in when --workspace does not name one (ATELYA_WORKSPACE). */
  workspace: string | undefined;
  concurrency: number | undefined;
  /** Seals content and secrets at rest; created in the data folder on first run when not given. */
  masterKey: MasterKey;
  /** Internal addresses MCP servers over HTTP may be reached at (all others are refused). */
  mcpAllowAddresses: string[];
}

const warnOnStderr = (message: string): void => void process.stderr.write(`warning: ${message}\n`);

export function configFromEnv(
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = warnOnStderr,
): CliConfig {
  const e = parseEnv(env);
  const mcpAllowAddresses = commaList(e.ATELYA_MCP_ALLOW_ADDRESSES);
  const badAddress = mcpAllowAddresses.map(addressProblem).find(Boolean);
  if (badAddress)
    throw new CliError(`Invalid environment: ATELYA_MCP_ALLOW_ADDRESSES: ${badAddress}`);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(e.DATABASE_URL ?? "")?.[1];
  // file: and sqlite: name an SQLite file.
  if (scheme && !/^(file|sqlite)$/i.test(scheme) && !isPostgresUrl(e.DATABASE_URL!))
    throw new CliError(
      `Invalid environment: DATABASE_URL: ${scheme}:// is not a database Atelya uses; use postgres://… for PostgreSQL, or leave it unset for SQLite in ATELYA_DATA_DIR`,
    );
  const databaseUrl = databaseUrlOf(e);
  return {
    databaseUrl,
    dataDir: e.ATELYA_DATA_DIR,
    defaultModel: e.ATELYA_MODEL,
    workspace: e.ATELYA_WORKSPACE,
    concurrency: e.ATELYA_CONCURRENCY,
    masterKey: loadMasterKey({
      key: e.ATELYA_MASTER_KEY,
      keyFile: e.ATELYA_MASTER_KEY_FILE,
      dataDir: e.ATELYA_DATA_DIR,
      sharedDatabase: isPostgresUrl(databaseUrl),
      warn,
    }),
    mcpAllowAddresses,
  };
}

function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof EnvSchema> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success)
    throw new CliError(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

const databaseUrlOf = (e: z.infer<typeof EnvSchema>): string =>
  e.DATABASE_URL ?? join(e.ATELYA_DATA_DIR, "atelya.db");

/** The database the environment names, read alone: a command that needs one to exist looks
 *  for it before `configFromEnv` makes a master key in the data folder. */
export const databaseUrlFromEnv = (env: NodeJS.ProcessEnv): string => databaseUrlOf(parseEnv(env));

/** "10.0.5.20, 192.168.1.0/24" as its entries. */
export const commaList = (v: string | undefined): string[] =>
  v
    ? v
        .split(",")
        .map((a) => a.trim())
        .filter(Boolean)
    : [];
