// What a screen reader hears while a room works on its own: the room's state changes (planning,
// the plan ready, paused and why, composing, completed, failed and why), the tasks that need a
// person, and one short line per finished task ("Task 3 of 6 done: Pricing"). Not every model
// call or token: the Activity tab holds those for whoever wants them. Politely, in a log, so a
// line never cuts off the one before it. The page shows all of this already; this says it.
import { useState } from "react";
import { stateNote } from "./lifecycle";
import type { Room, Task } from "./queries";

const list = (words: string[]) =>
  words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;

/** The room's own state, in a sentence, as it arrives from `before`. */
function stateLine(before: Room, room: Room): string | null {
  const resumed = before.state === "paused";
  const tasks = room.tasks.length;
  switch (room.state) {
    case "draft":
      return null;
    case "planning":
      return resumed
        ? "Resumed: the Planner is writing the plan."
        : "Started: the Planner is writing the plan.";
    case "executing":
      return resumed && before.pause_reason === "plan_review"
        ? `Plan approved: the agents are working on its ${tasks} tasks.`
        : resumed
          ? "Resumed: the agents are working."
          : `The plan is ready: ${tasks} tasks. The agents are working.`;
    case "composing":
      return "Every task is done; the Composer is writing the deliverable.";
    case "awaiting_revision":
      return `Revision round ${room.current_round} is being written.`;
    case "completed":
      return before.state === "awaiting_revision"
        ? `Round ${room.final_round} is ready: the deliverable is updated.`
        : `Completed: the deliverable is ready (round ${room.final_round}).`;
    case "paused":
    case "failed":
      return stateNote(room)?.text ?? null;
    case "cancelled":
      return "The workroom was cancelled.";
  }
}

/** A task that just started waiting on a person, in a sentence; null for a timed wait. */
function waitingLine(t: Task, of: number): string | null {
  if (t.type === "approval") return `Task ${t.ordinal} of ${of} needs your approval: ${t.title}.`;
  if (t.type === "user_input")
    return `Task ${t.ordinal} of ${of} asks you a question: ${t.question ?? t.title}`;
  return null;
}

/** What changed from `before` to `room` that a person should hear, in the order to say it. */
export function roomChanges(before: Room, room: Room): string[] {
  const was = new Map(before.tasks.map((t) => [t.id, t.status]));
  const turned = (status: Task["status"]) =>
    room.tasks.filter((t) => t.status === status && was.get(t.id) !== status);
  const of = room.tasks.length;
  const lines: string[] = [];

  const done = turned("succeeded");
  if (done.length === 1) lines.push(`Task ${done[0]!.ordinal} of ${of} done: ${done[0]!.title}.`);
  else if (done.length > 1)
    lines.push(
      `Tasks ${list(done.map((t) => String(t.ordinal)))} of ${of} done: ${done.map((t) => t.title).join(", ")}.`,
    );
  for (const t of turned("failed"))
    lines.push(`Task ${t.ordinal} of ${of} failed: ${t.title}${t.error ? ` — ${t.error}` : ""}.`);

  const moved =
    room.state !== before.state ||
    (room.state === "paused" && room.pause_reason !== before.pause_reason);
  const state = moved ? stateLine(before, room) : null;
  if (state) lines.push(state);

  for (const t of turned("waiting")) {
    const line = waitingLine(t, of);
    if (line) lines.push(line);
  }
  return lines;
}

const KEPT = 5;

/** The live region: visually hidden, in the page from the room's first showing on. */
export function RoomAnnouncer({ room }: { room: Room }) {
  const [seen, setSeen] = useState(room);
  const [said, setSaid] = useState<{ n: number; text: string }[]>([]);
  // Worked out while rendering the new room (React's way to follow a prop), so the line is in
  // the same paint as the change it tells of.
  if (seen !== room) {
    setSeen(room);
    const lines = roomChanges(seen, room);
    if (lines.length > 0)
      setSaid((old) =>
        [...old, { n: (old.at(-1)?.n ?? 0) + 1, text: lines.join(" ") }].slice(-KEPT),
      );
  }
  return (
    <div role="log" aria-live="polite" aria-label="Workroom updates" className="sr-only">
      {said.map((s) => (
        <p key={s.n}>{s.text}</p>
      ))}
    </div>
  );
}
