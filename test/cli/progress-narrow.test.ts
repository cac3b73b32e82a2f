// The live progress of `atelya run` on a narrow terminal (60 columns) with a long title: redrawn in
// place, the screen shows the heading once. (Lines wider than the terminal wrapped onto two rows
// while the redraw moved up one row per line, so each redraw left a stale heading behind.)
import { afterAll, expect, it } from "vitest";
import { createWorkroom, getWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import type { Actor } from "../../src/app/context.js";
import { ProgressView } from "../../src/cli/progress.js";
import { proposalRoom } from "../support/fixtures.js";
import { startHarness } from "../support/harness.js";

const h = await startHarness("sqlite");
afterAll(async () => {
  await h.close();
  await h.db.drop();
});

/** A terminal `columns` wide, as much of one as the progress view uses: text, newlines, line
 *  wrapping on and off, cursor up and clear to the end of the screen. */
function terminal(columns: number) {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let wrap = true;
  const newline = () => {
    row += 1;
    col = 0;
    rows[row] ??= [];
  };
  const ESC = String.fromCharCode(27);
  const tokens = new RegExp(`${ESC}\\[(\\?7[lh]|\\d+A|0J)|\\n|[^${ESC}\\n]`, "gu");
  const write = (data: string): boolean => {
    for (const [token, code] of data.matchAll(tokens)) {
      if (code === "?7l") wrap = false;
      else if (code === "?7h") wrap = true;
      else if (code === "0J") {
        rows.splice(row + 1);
        rows[row] = rows[row]!.slice(0, col);
      } else if (code) row = Math.max(0, row - Number(code.slice(0, -1)));
      else if (token === "\n") newline();
      else {
        if (col === columns) {
          if (wrap) newline();
          else col = columns - 1;
        }
        rows[row]![col++] = token;
      }
    }
    return true;
  };
  return { stream: { isTTY: true, columns, write }, screen: () => rows.map((r) => r.join("")) };
}

it("redraws in place at 60 columns, however long the title and task lines are", async () => {
  const actor: Actor = { id: "cli", workspaceId: h.workspace.id, role: "owner" };
  const title = "A rather long workroom title for the Nordlicht relaunch proposal";
  const room = await createWorkroom(h.runtime.deps, actor, proposalRoom({ title }));
  const tty = terminal(60);
  const view = new ProgressView(tty.stream as unknown as NodeJS.WriteStream);
  view.render(await getWorkroom(h.runtime.deps, actor, room.id));
  await startWorkroom(h.runtime.deps, actor, room.id);
  await h.waitFor(room.id, ["completed"]);
  const done = await getWorkroom(h.runtime.deps, actor, room.id);
  view.render(done);
  view.render(done);

  const screen = tty.screen().filter(Boolean);
  expect(screen.filter((line) => line.startsWith("A rather long"))).toHaveLength(1);
  expect(screen[0]).toMatch(/^A rather long workroom title for the Nordlicht relaunch pro…$/);
  expect(screen).toHaveLength(1 + done.tasks.length);
  expect(screen.every((line) => line.length <= 60)).toBe(true);
});
