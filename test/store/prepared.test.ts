// Precompiled queries bind new values to SQL compiled once per dialect, and refuse to run when a
// value would be silently lost (a slot without a value, or one that never reaches the query).
import { describe, expect, it } from "vitest";
import { execOf } from "../../src/store/exec.js";
import { precompiled } from "../../src/store/prepared.js";
import { findWorkspace, insertWorkspace } from "../../src/store/workspaces.js";
import { DIALECTS, useTestStores } from "../support/databases.js";

const openTestStore = useTestStores();

describe.each(DIALECTS)("precompiled queries on %s", (dialect) => {
  it("binds each call's values and keeps the constants the query was built with", async () => {
    const store = await openTestStore(dialect);
    const ex = execOf(store);
    const now = new Date();
    const a = await insertWorkspace(ex, { name: "A", plan: "solo", defaultModel: "m", now });
    const b = await insertWorkspace(ex, { name: "B", plan: "pro", defaultModel: "m", now });
    const byName = precompiled((d, s) =>
      d
        .selectFrom("workspaces")
        .select(["id", "plan"])
        .where("name", "=", s.text("name"))
        .where("plan", "!=", "agency"),
    );
    expect((await byName.execute(ex, { name: "A" })).rows).toEqual([{ id: a.id, plan: "solo" }]);
    expect((await byName.execute(ex, { name: "B" })).rows).toEqual([{ id: b.id, plan: "pro" }]);
    expect((await byName.execute(ex, { name: "C" })).rows).toEqual([]);
    // The repository functions built on it answer as before.
    expect((await findWorkspace(ex, b.id))?.name).toBe("B");
    expect(await findWorkspace(ex, "missing")).toBeUndefined();
  });

  it("refuses a call without a value for every slot, and a slot the query does not use", async () => {
    const store = await openTestStore(dialect);
    const ex = execOf(store);
    const byId = precompiled((d, s) =>
      d.selectFrom("workspaces").selectAll().where("id", "=", s.text("id")),
    );
    await expect(byId.execute(ex, {})).rejects.toThrow("no value for slot id");
    const unused = precompiled((d, s) => {
      s.number("limit");
      return d.selectFrom("workspaces").selectAll();
    });
    await expect(unused.execute(ex, { limit: 3 })).rejects.toThrow(
      "slot limit does not reach the query as a value",
    );
  });
});
