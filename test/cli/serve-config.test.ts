// `atelya serve`'s settings: defaults < config file < environment < flags, and a bad value is
// refused in one line that names it as the user wrote it (the variable, the flag or the file).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { serverConfigFrom } from "../../src/cli/commands/serve.js";
import { configFromEnv } from "../../src/cli/config.js";
import { CliError } from "../../src/cli/errors.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-serve-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "atelya.json");
writeFileSync(file, JSON.stringify({ port: 9000, host: "0.0.0.0" }));

it("takes the flag over the environment over the file", () => {
  expect(serverConfigFrom({ ATELYA_CONFIG: file }, {})).toMatchObject({
    port: 9000,
    host: "0.0.0.0",
  });
  expect(serverConfigFrom({ ATELYA_CONFIG: file, ATELYA_PORT: "9100" }, {}).port).toBe(9100);
  expect(serverConfigFrom({ ATELYA_PORT: "9100" }, { config: file, port: "9200" }).port).toBe(9200);
});

it("names a bad value by where it was set", () => {
  const refused = (env: NodeJS.ProcessEnv, flags: { port?: string; config?: string }) => {
    try {
      serverConfigFrom(env, flags);
    } catch (e) {
      expect(e).toBeInstanceOf(CliError);
      return (e as Error).message;
    }
    throw new Error("accepted");
  };
  expect(refused({ ATELYA_PORT: "abc" }, {})).toMatch(
    /^Invalid server configuration: ATELYA_PORT: /,
  );
  expect(refused({}, { port: "99999" })).toMatch(/^Invalid server configuration: --port: /);
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ port: "nine" }));
  expect(refused({}, { config: bad })).toMatch(
    new RegExp(`^Invalid server configuration: port in ${bad.replace(/[.]/g, "\\.")}: `),
  );
  // A yes/no variable, and address lists: one line naming the variable and the value.
  expect(refused({ ATELYA_TRUST_PROXY: "maybe" }, {})).toMatch(
    /^Invalid server configuration: ATELYA_TRUST_PROXY: .*"true"/,
  );
  expect(refused({ ATELYA_WEBHOOK_ALLOW_ADDRESSES: "10.0.5.20, 10.0.0.0/99" }, {})).toBe(
    'Invalid server configuration: ATELYA_WEBHOOK_ALLOW_ADDRESSES: "10.0.0.0/99" has a prefix length that is not 0 to 32',
  );
  expect(refused({ ATELYA_MCP_ALLOW_ADDRESSES: "notanip" }, {})).toBe(
    'Invalid server configuration: ATELYA_MCP_ALLOW_ADDRESSES: "notanip" is not an IP address or CIDR range',
  );
  expect(refused({ ATELYA_MODEL: "foo" }, {})).toMatch(
    /^Invalid server configuration: ATELYA_MODEL: a model is named provider:model/,
  );
  expect(
    serverConfigFrom({ ATELYA_MCP_ALLOW_ADDRESSES: "10.0.5.20, fd00::/8" }, {}).mcpAllowAddresses,
  ).toEqual(["10.0.5.20", "fd00::/8"]);
});

it("takes an address list set but empty as none, over the file's", () => {
  const lists = join(dir, "lists.json");
  writeFileSync(
    lists,
    JSON.stringify({ mcpAllowAddresses: ["127.0.0.1"], webhookAllowAddresses: ["127.0.0.1"] }),
  );
  expect(serverConfigFrom({ ATELYA_CONFIG: lists }, {})).toMatchObject({
    mcpAllowAddresses: ["127.0.0.1"],
    webhookAllowAddresses: ["127.0.0.1"],
  });
  expect(
    serverConfigFrom(
      { ATELYA_CONFIG: lists, ATELYA_MCP_ALLOW_ADDRESSES: "", ATELYA_WEBHOOK_ALLOW_ADDRESSES: "" },
      {},
    ),
  ).toMatchObject({ mcpAllowAddresses: [], webhookAllowAddresses: [] });
});

it("refuses, for every command, an MCP allow-list entry or a DATABASE_URL it cannot use", () => {
  const env = { ATELYA_DATA_DIR: dir, ATELYA_MASTER_KEY: "0".repeat(64) };
  expect(() => configFromEnv({ ...env, ATELYA_MCP_ALLOW_ADDRESSES: "10.0.0.0/33" })).toThrow(
    'Invalid environment: ATELYA_MCP_ALLOW_ADDRESSES: "10.0.0.0/33" has a prefix length that is not 0 to 32',
  );
  expect(() => configFromEnv({ ...env, ATELYA_MODEL: "nope:bar" })).toThrow(
    /^Invalid environment: ATELYA_MODEL: a model is named provider:model/,
  );
  expect(configFromEnv({ ...env, ATELYA_MODEL: "ollama:qwen2.5:7b" }).defaultModel).toBe(
    "ollama:qwen2.5:7b",
  );
  expect(() => configFromEnv({ ...env, DATABASE_URL: "mysql://x" })).toThrow(
    "Invalid environment: DATABASE_URL: mysql:// is not a database Atelya uses",
  );
  expect(configFromEnv({ ...env, DATABASE_URL: "postgres://a@b/c" }).databaseUrl).toBe(
    "postgres://a@b/c",
  );
  const sqlite = `sqlite://${join(dir, "a.db")}`;
  expect(configFromEnv({ ...env, DATABASE_URL: sqlite }).databaseUrl).toBe(sqlite);
});

it("reads an allow-list set but empty (ATELYA_MCP_ALLOW_ADDRESSES=) as none", () => {
  const empty = { ATELYA_MCP_ALLOW_ADDRESSES: "", ATELYA_WEBHOOK_ALLOW_ADDRESSES: " " };
  const server = serverConfigFrom(empty, {});
  expect([server.mcpAllowAddresses, server.webhookAllowAddresses]).toEqual([[], []]);
  const cli = configFromEnv({ ...empty, ATELYA_DATA_DIR: dir, ATELYA_MASTER_KEY: "0".repeat(64) });
  expect(cli.mcpAllowAddresses).toEqual([]);
});
