// What a step writes, counted exactly: the WAL frames (one per page a commit changed) on SQLite, by
// the B-tree each page belongs to, of rooms run one after the other and of rooms run 20 at a time
// (where one commit holds several rooms' units, and pages they share are written once). Times move
// with the machine's load; these counts do not, so they show a change to the write shape as it is.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { openRuntime } from "../runtime.js";
import { ScriptedModel } from "../models/scripted.js";
import { randomMasterKey } from "../store/crypto/master-key.js";
import { benchWorkspace, runRooms, STEPS_PER_ROOM } from "./engine.js";

export interface WalFigures {
  framesPerTask: number;
  kbPerTask: number;
  /** Frames per task by table (a table's indexes counted with it), largest first. */
  byTable: [string, number][];
}

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/** Frames per task of `rooms` rooms run `inFlight` at a time, after as many run the same way. */
export async function benchWal(
  inFlight: number,
  rooms = inFlight === 1 ? 10 : 100,
): Promise<WalFigures> {
  const dir = mkdtempSync(join(tmpdir(), "atelya-wal-"));
  const file = join(dir, "wal.db");
  const rt = await openRuntime({
    databaseUrl: file,
    masterKey: randomMasterKey(),
    models: new ScriptedModel(),
    walCheckpoints: "off",
  });
  try {
    const actor = await benchWorkspace(rt);
    rt.startWorker();
    await runRooms(rt, actor, rooms, inFlight);
    const from = readFileSync(`${file}-wal`).length;
    await runRooms(rt, actor, rooms, inFlight);
    const wal = readFileSync(`${file}-wal`);
    const reader = new SqliteDatabase(file, { readonly: true });
    let pageSize: number;
    let tableOf: Map<number, string>;
    try {
      pageSize = reader.pragma("page_size", { simple: true }) as number;
      // Every page of every B-tree, named by the table it belongs to (an index by its table).
      const rows = reader
        .prepare(
          `select s.pageno as page, coalesce(m.tbl_name, s.name) as tbl
             from dbstat s left join sqlite_schema m on m.name = s.name`,
        )
        .all() as { page: number; tbl: string }[];
      tableOf = new Map(rows.map((r) => [r.page, r.tbl]));
    } finally {
      reader.close();
    }
    const frame = FRAME_HEADER + pageSize;
    const counts = new Map<string, number>();
    let frames = 0;
    for (
      let at = WAL_HEADER + Math.floor((from - WAL_HEADER) / frame) * frame;
      at + frame <= wal.length;
      at += frame
    ) {
      const page = wal.readUInt32BE(at);
      const table = page === 1 ? "(file header)" : (tableOf.get(page) ?? "(free pages)");
      counts.set(table, (counts.get(table) ?? 0) + 1);
      frames++;
    }
    const tasks = rooms * STEPS_PER_ROOM;
    return {
      framesPerTask: frames / tasks,
      kbPerTask: (frames * frame) / 1024 / tasks,
      byTable: [...counts]
        .map(([t, n]): [string, number] => [t, n / tasks])
        .sort((a, b) => b[1] - a[1]),
    };
  } finally {
    await rt.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
