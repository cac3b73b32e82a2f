// Live progress of a room in the terminal: one line per task with its state, elapsed time and
// credits, redrawn in place on a TTY and printed as changes otherwise.
import type { WorkroomDetail } from "../app/workrooms.js";
import type { Task } from "../domain/types.js";
import { credits, number } from "../domain/format.js";

const MARK: Record<Task["status"], string> = {
  pending: "·",
  running: "▶",
  waiting: "…",
  succeeded: "✓",
  failed: "✗",
  discarded: "−",
  skipped: "↷",
};

const secs = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** The room's lines; the head's time is since `since`, when this command began following it
 *  (the room's own age, days later for a resume or a revision, says nothing about this run). */
export function progressLines(d: WorkroomDetail, now: number, since: number): string[] {
  const { room } = d;
  const state = room.state === "paused" ? `paused (${room.pauseReason})` : room.state;
  const head = `${room.title} — ${state} — ${secs(now - since)} — ${credits(room.creditsSpent)}${room.maxCredits ? ` of ${number(room.maxCredits)}` : ""}`;
  const width = Math.max(10, ...d.tasks.map((t) => t.title.length));
  const lines = d.tasks.map((t) => {
    const elapsed = t.startedAt ? secs((t.finishedAt ?? now) - t.startedAt) : "";
    const credits = t.credits ? `${t.credits} cr` : "";
    return `  ${MARK[t.status]} ${String(t.ordinal).padStart(2)} ${t.title.padEnd(width)}  ${t.status.padEnd(9)} ${elapsed.padStart(6)} ${credits.padStart(7)}`;
  });
  if (room.state === "failed" && room.failureReason) lines.push(`  reason: ${room.failureReason}`);
  return [head, ...lines];
}

/** Terminal line wrapping off and on again (DECAWM). */
const NO_WRAP = "\x1b[?7l";
const WRAP = "\x1b[?7h";

/** At most `columns` characters, the last one `…` when cut. */
function fit(line: string, columns: number): string {
  const chars = Array.from(line);
  return chars.length <= columns ? line : `${chars.slice(0, columns - 1).join("")}…`;
}

export class ProgressView {
  private drawn = 0;
  private last = new Map<string, string>();
  private readonly since = Date.now();

  constructor(private readonly out: NodeJS.WriteStream) {}

  render(d: WorkroomDetail, now = Date.now()): void {
    const lines = progressLines(d, now, this.since);
    if (this.out.isTTY) {
      // Redrawn in place by moving up one row per line drawn, so no line may take two rows: each
      // is cut to the terminal's width, and the terminal's line wrapping is off while drawing (a
      // wide character, or a window narrowed meanwhile, then cuts a line instead of wrapping it).
      // A wrapped heading used to leave one stale copy of itself on the screen per redraw.
      const columns = this.out.columns || 80;
      const up = this.drawn ? `\x1b[${this.drawn}A\x1b[0J` : "";
      const frame = lines.map((line) => fit(line, columns)).join("\n");
      this.out.write(`${up}${NO_WRAP}${frame}\n${WRAP}`);
      this.drawn = lines.length;
      return;
    }
    // Not a terminal: print each line whose status changed, once.
    const keyed = [
      ["room", `${d.room.state}`] as const,
      ...d.tasks.map((t) => [t.id, t.status] as const),
    ];
    keyed.forEach(([key, status], i) => {
      if (this.last.get(key) !== status) {
        this.last.set(key, status);
        this.out.write(`${(i === 0 ? lines[0] : lines[i])!.trimEnd()}\n`);
      }
    });
  }
}
