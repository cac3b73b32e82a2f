// Server settings: read from the environment and an optional JSON config file by the CLI, validated
// once with zod, and passed down. Nothing in server/ reads process.env.
import { z } from "zod";
import { ModelNameSchema } from "../domain/model-names.js";
import { addressProblem } from "../integrations/tools/builtins/fetch-guard.js";

/** Internal addresses or CIDR ranges an operator allows, each checked when the server starts. */
export const AllowAddressesSchema = z.array(
  z.string().superRefine((entry, ctx) => {
    const problem = addressProblem(entry);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
);

export const ServerConfigSchema = z.object({
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65_535).default(8080),
  /** The address people open, e.g. https://atelya.example.com: links in e-mails and webhooks. */
  publicUrl: z.url().optional(),
  /** Send cookies only over HTTPS; on by default when the public URL is https. */
  secureCookies: z.boolean().optional(),
  /** Trust X-Forwarded-* from a reverse proxy (client address for rate limits, https detection). */
  trustProxy: z.boolean().default(false),
  /** Largest JSON body, bytes. Pasted inputs are limited to 100 KB of text by the domain. */
  bodyLimit: z.number().int().positive().default(1_048_576),
  /** Largest uploaded file, bytes, and files per upload. */
  uploadFileLimit: z
    .number()
    .int()
    .positive()
    .default(10 * 1_048_576),
  uploadMaxFiles: z.number().int().positive().default(10),
  /** The model of workspaces created through the server (first-run setup, new workspaces). */
  defaultModel: ModelNameSchema.default("scripted"),
  /** Internal addresses or CIDR ranges webhooks may reach; every other loopback, private or
   *  link-local address is refused at connect time. */
  webhookAllowAddresses: AllowAddressesSchema.default([]),
  /** Internal addresses or CIDR ranges MCP servers over HTTP may be reached at (a workspace
   *  admin may add HTTP servers over the API); every other internal address is refused. */
  mcpAllowAddresses: AllowAddressesSchema.default([]),
  /** The built web app (index.html and assets/), served on the same origin as the API; by default
   *  the package's own dist/web (npm run build). */
  webRoot: z.string().min(1).optional(),
  /** The private folder (made 0700) a workspace's archive is written to before it is sent;
   *  `atelya serve` uses spool/ in the data folder (ATELYA_DATA_DIR), on PostgreSQL too. Without
   *  one (a server built in-process), a private folder of the server's own in the system's
   *  temporary folder, removed when it closes. */
  spoolDir: z.string().min(1).optional(),
  /** pino level; "silent" in tests. */
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});
export type ServerConfig = z.infer<typeof ServerConfigSchema>;
export type ServerConfigInput = z.input<typeof ServerConfigSchema>;

/** Validates settings from code (typed) or from a file and the environment (checked here). */
export function serverConfig(
  input: ServerConfigInput | Record<string, unknown> = {},
): ServerConfig {
  const parsed = ServerConfigSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `Invalid server configuration: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

export const usesSecureCookies = (c: ServerConfig): boolean =>
  c.secureCookies ?? c.publicUrl?.startsWith("https://") ?? false;
