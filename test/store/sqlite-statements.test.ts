// Rows read through the SQLite statement cache are plain objects with every column, whatever the
// statement (a join with a repeated name, a column named like an object's prototype).
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareRowStatement } from "../../src/store/sqlite-statements.js";

describe("SQLite row statements", () => {
  let db: SqliteDatabase.Database;
  beforeEach(() => {
    db = new SqliteDatabase(":memory:");
    db.exec(`
      create table rooms (id text primary key, title text, credits integer, note text);
      create table tasks (id text primary key, room_id text, title text);
      insert into rooms values ('r1', 'Proposal', 12, null), ('r2', 'Brief "Q4"', 0, 'x');
      insert into tasks values ('t1', 'r1', 'Research');
    `);
  });
  afterEach(() => db.close());

  it("returns each row as an object of its columns, values as SQLite holds them", () => {
    const stmt = prepareRowStatement(db, "select * from rooms order by id");
    expect(stmt.reader).toBe(true);
    expect(stmt.all([])).toEqual([
      { id: "r1", title: "Proposal", credits: 12, note: null },
      { id: "r2", title: 'Brief "Q4"', credits: 0, note: "x" },
    ]);
    expect(Object.keys(stmt.all([])[0]!)).toEqual(["id", "title", "credits", "note"]);
    expect([...stmt.iterate([])].map((r) => r.id)).toEqual(["r1", "r2"]);
  });

  it("binds parameters and keeps the later of two columns with one name, as better-sqlite3 does", () => {
    const sql =
      "select rooms.*, tasks.title as title from rooms join tasks on tasks.room_id = rooms.id where rooms.id = ?";
    const ours = prepareRowStatement(db, sql).all(["r1"]);
    const theirs = db.prepare(sql).all("r1");
    expect(ours).toEqual(theirs);
    expect(ours[0]!.title).toBe("Research");
  });

  it("keeps names that are not identifiers, quotes and __proto__ as plain properties", () => {
    const rows = prepareRowStatement(
      db,
      `select id as "a b", title as "x""y", credits as "__proto__" from rooms where id = ?`,
    ).all(["r1"]);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(rows[0]).toEqual(
      db
        .prepare(
          `select id as "a b", title as "x""y", credits as "__proto__" from rooms where id = 'r1'`,
        )
        .get(),
    );
    expect(rows[0]!["a b"]).toBe("r1");
    expect(rows[0]!['x"y']).toBe("Proposal");
  });

  it("runs writes as better-sqlite3 does, with their changes and row id", () => {
    const insert = prepareRowStatement(
      db,
      "insert into tasks (id, room_id, title) values (?, ?, ?)",
    );
    expect(insert.reader).toBe(false);
    expect(insert.run(["t2", "r2", "Draft"])).toMatchObject({ changes: 1 });
    const returning = prepareRowStatement(
      db,
      "update rooms set credits = credits + ? where id = ? returning id, credits",
    );
    expect(returning.all([5, "r1"])).toEqual([{ id: "r1", credits: 17 }]);
  });
});
