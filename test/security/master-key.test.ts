// The master key: from the environment (base64 or hex), a key file, or generated once into the
// data folder with mode 0600 and reused; a malformed key stops start-up with a clear message.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { configFromEnv } from "../../src/cli/config.js";
import { MasterKeyMissingError } from "../../src/store/crypto/key-check.js";
import { loadMasterKey, parseMasterKey } from "../../src/store/crypto/master-key.js";
import { openStore } from "../../src/store/db.js";

const HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
const bytes = Buffer.from(HEX, "hex");

let dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "atelya-key-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe("master key", () => {
  it("reads 32 bytes written as hex, base64 or base64url", () => {
    for (const text of [HEX, bytes.toString("base64"), bytes.toString("base64url"), ` ${HEX}\n`])
      expect(parseMasterKey(text, "ATELYA_MASTER_KEY").bytes.equals(bytes)).toBe(true);
  });

  it("refuses a malformed or short key with a message that says how to make one", () => {
    for (const bad of ["secret", HEX.slice(2), Buffer.alloc(16).toString("base64"), `${HEX}00`])
      expect(() => parseMasterKey(bad, "ATELYA_MASTER_KEY")).toThrow(
        /ATELYA_MASTER_KEY is not 32 bytes.*openssl rand -base64 32/,
      );
  });

  it("never prints its bytes", () => {
    const key = parseMasterKey(HEX, "ATELYA_MASTER_KEY");
    expect(JSON.stringify({ key })).not.toContain(bytes.toString("base64"));
    expect(String(key)).toBe("[master key from ATELYA_MASTER_KEY]");
  });

  it("is created once in the data folder with mode 0600 and reused afterwards", () => {
    const dataDir = join(tempDir(), "data");
    const warnings: string[] = [];
    const load = () =>
      loadMasterKey({ dataDir, sharedDatabase: false, warn: (m) => warnings.push(m) });
    const first = load();
    const file = join(dataDir, "master.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, "utf8");
    expect(load().bytes.equals(first.bytes)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(written);
    expect(warnings).toEqual([]);
  });

  it("warns when the key file can be read by other users", () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, "master.key"), HEX, { mode: 0o644 });
    const warnings: string[] = [];
    loadMasterKey({ dataDir, sharedDatabase: false, warn: (m) => warnings.push(m) });
    expect(warnings.join()).toMatch(/can be read by other users; run: chmod 600/);
  });

  it("warns on PostgreSQL without a configured key that every replica needs the same key", () => {
    const warnings: string[] = [];
    loadMasterKey({ dataDir: tempDir(), sharedDatabase: true, warn: (m) => warnings.push(m) });
    expect(warnings.join()).toMatch(/Every server replica and worker .* same key/);
  });

  it("reads ATELYA_MASTER_KEY_FILE, and says so when it is missing or malformed", () => {
    const dir = tempDir();
    const file = join(dir, "key");
    writeFileSync(file, `${bytes.toString("base64")}\n`);
    const base = { dataDir: dir, sharedDatabase: false, warn: () => {} };
    expect(loadMasterKey({ ...base, keyFile: file }).bytes.equals(bytes)).toBe(true);
    expect(() => loadMasterKey({ ...base, keyFile: join(dir, "nope") })).toThrow(
      /Cannot read the master key file .*nope/,
    );
    writeFileSync(file, "not a key");
    expect(() => loadMasterKey({ ...base, keyFile: file })).toThrow(/is not 32 bytes/);
    expect(() => loadMasterKey({ ...base, key: HEX, keyFile: file })).toThrow(/keep one/);
  });

  it("is part of the CLI configuration: the environment's key wins, else the data folder's", () => {
    const dataDir = tempDir();
    expect(
      configFromEnv({ ATELYA_DATA_DIR: dataDir, ATELYA_MASTER_KEY: HEX }).masterKey.bytes.equals(
        bytes,
      ),
    ).toBe(true);
    const generated = configFromEnv({ ATELYA_DATA_DIR: dataDir }).masterKey;
    expect(generated.source).toBe(join(dataDir, "master.key"));
    expect(
      configFromEnv({ ATELYA_DATA_DIR: dataDir }).masterKey.bytes.equals(generated.bytes),
    ).toBe(true);
    expect(() => configFromEnv({ ATELYA_DATA_DIR: dataDir, ATELYA_MASTER_KEY: "short" })).toThrow(
      /ATELYA_MASTER_KEY is not 32 bytes/,
    );
  });

  it("leaves no new key file beside a database sealed with a key from elsewhere", async () => {
    const dataDir = tempDir();
    const sealed = await openStore(join(dataDir, "atelya.db"), {
      masterKey: parseMasterKey(HEX, "ATELYA_MASTER_KEY"),
    });
    await sealed.close();
    // Restored without its key: the first open makes a key file, which does not open it.
    const config = configFromEnv({ ATELYA_DATA_DIR: dataDir });
    const open = openStore(config.databaseUrl, { masterKey: config.masterKey });
    await expect(open).rejects.toBeInstanceOf(MasterKeyMissingError);
    await expect(open).rejects.toThrow(`There was no master key at ${join(dataDir, "master.key")}`);
    expect(existsSync(join(dataDir, "master.key"))).toBe(false);
    // A new database keeps the key file made for it.
    const fresh = tempDir();
    const first = configFromEnv({ ATELYA_DATA_DIR: fresh });
    await (await openStore(first.databaseUrl, { masterKey: first.masterKey })).close();
    expect(existsSync(join(fresh, "master.key"))).toBe(true);
  });
});
