// The background checkpoint thread says when its checkpoints start failing and when they work
// again, once each, instead of staying silent (the writer's own checkpoint covers for it, but the
// WAL grows meanwhile). The thread runs a stand-in for the driver whose checkpoints fail while a
// marker file exists, as a disk that fills and empties again would make them.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, expect, it } from "vitest";
import { startWalCheckpointer, type WalCheckpointer } from "../../src/store/wal-checkpointer.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-checkpointer-"));
const failing = join(dir, "failing");
const busy = join(dir, "busy");
const driver = join(dir, "driver.cjs");
writeFileSync(
  driver,
  `const { existsSync } = require("node:fs");
module.exports = class {
  pragma(text) {
    if (!text.startsWith("wal_checkpoint")) return;
    if (existsSync(${JSON.stringify(busy)})) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    if (existsSync(${JSON.stringify(failing)})) throw Object.assign(new Error("disk I/O error"), { code: "SQLITE_IOERR" });
  }
  close() {}
};`,
);

let checkpointer: WalCheckpointer | undefined;
afterEach(async () => {
  await checkpointer?.close();
  for (const f of [failing, busy]) rmSync(f, { force: true });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await sleep(10);
  expect(check()).toBe(true);
}

it("reports checkpoints that fail once, and once more when they work again", async () => {
  const heard: (string | undefined)[] = [];
  checkpointer = startWalCheckpointer(join(dir, "db"), (e) => heard.push(e), {
    driver,
    everyMs: 5,
  });
  await sleep(50);
  expect(heard).toEqual([]);
  writeFileSync(failing, "");
  await until(() => heard.length === 1);
  // Dozens more failed checkpoints, and no more reports.
  await sleep(150);
  expect(heard).toEqual([expect.stringContaining("disk I/O error")]);
  rmSync(failing);
  await until(() => heard.length === 2);
  await sleep(50);
  expect(heard).toEqual([expect.stringContaining("disk I/O error"), undefined]);
});

it("does not report a checkpoint that met another one (SQLITE_BUSY)", async () => {
  const heard: (string | undefined)[] = [];
  writeFileSync(busy, "");
  checkpointer = startWalCheckpointer(join(dir, "db"), (e) => heard.push(e), {
    driver,
    everyMs: 5,
  });
  await sleep(150);
  expect(heard).toEqual([]);
});
