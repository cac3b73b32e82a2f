// CLI configuration, parsed once from the environment with zod. Nothing below cli/ reads process.env.
import { join } from "node:path";
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z.string().min(1).optional(),
  ATELYA_DATA_DIR: z.string().min(1).default(".atelya"),
  ATELYA_MODEL: z.string().min(1).optional(),
  ATELYA_CONCURRENCY: z.coerce.number().int().min(1).max(256).optional(),
});

export interface CliConfig {
  databaseUrl: string;
  dataDir: string;
  defaultModel: string | undefined;
  concurrency: number | undefined;
}

export function configFromEnv(env: NodeJS.ProcessEnv): CliConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success)
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const e = parsed.data;
  return {
    databaseUrl: e.DATABASE_URL ?? join(e.ATELYA_DATA_DIR, "atelya.db"),
    dataDir: e.ATELYA_DATA_DIR,
    defaultModel: e.ATELYA_MODEL,
    concurrency: e.ATELYA_CONCURRENCY,
  };
}
