// `atelya pause|replan|cancel <room>`, `approve|reject|answer <room> <task>` and `inbox`.
import type { Command } from "commander";
import { control, getWorkroom } from "../../app/workrooms.js";
import { decide, inbox, type Decision } from "../../app/people.js";
import type { UserCommand } from "../../domain/workroom.js";
import { CliError } from "../errors.js";
import { withRoomSession, withSession } from "../session.js";
import type { Session } from "../session.js";

/** A task named by id (`task_…`) or by its ordinal in the current plan (`3`). */
async function resolveTask(s: Session, roomId: string, ref: string): Promise<string> {
  if (!/^\d+$/.test(ref)) return ref;
  const { tasks } = await getWorkroom(s.runtime.deps, s.actor, roomId, { drafts: false });
  const task = tasks.find((t) => t.ordinal === Number(ref));
  if (!task)
    throw new CliError(`The current plan has no task ${ref}; see \`atelya show ${roomId}\`.`);
  return task.id;
}

export function registerControl(program: Command): void {
  const simple: [UserCommand["type"], string][] = [
    ["pause", "pause a room: running tasks finish, nothing new starts"],
    ["replan", "stop unfinished work and ask the Planner for a new plan (completed work is kept)"],
    ["cancel", "stop a room for good"],
  ];
  for (const [type, description] of simple)
    program
      .command(`${type} <room>`)
      .description(description)
      .action((roomId: string) =>
        withRoomSession(roomId, async (s) => {
          const room = await control(s.runtime.deps, s.actor, roomId, { type } as UserCommand);
          process.stdout.write(
            `${room.title}: ${room.state}${room.pauseReason ? ` (${room.pauseReason})` : ""}\n`,
          );
          if (type === "replan") process.stdout.write(`Run it with \`atelya resume ${roomId}\`.\n`);
        }),
      );

  const answer = (
    name: string,
    description: string,
    toDecision: (rest: string, o: { comment?: string }) => Decision,
  ) => {
    const command = program
      .command(`${name} <room> <task> ${name === "answer" ? "<text...>" : ""}`.trim())
      .description(description);
    // An answer is its text: a question task takes no comment beside it.
    if (name !== "answer")
      command.option("-m, --comment <text>", "comment for the people and agents involved");
    command.action((roomId: string, taskRef: string, ...rest: unknown[]) =>
      withRoomSession(roomId, async (s) => {
        const words = Array.isArray(rest[0]) ? (rest[0] as string[]).join(" ") : "";
        const opts = (Array.isArray(rest[0]) ? rest[1] : rest[0]) as { comment?: string };
        const taskId = await resolveTask(s, roomId, taskRef);
        const result = await decide(
          s.runtime.deps,
          s.actor,
          roomId,
          taskId,
          toDecision(words, opts),
        );
        process.stdout.write(
          result.applied
            ? `Task ${result.task.ordinal} (${result.task.title}): ${name === "reject" ? "rejected; its inputs re-run" : "done"}.\n`
            : `Task ${result.task.ordinal} was already answered; nothing changed.\n`,
        );
      }),
    );
  };
  answer("approve", "approve an approval task", (_, o) => ({
    type: "approve",
    ...(o.comment ? { comment: o.comment } : {}),
  }));
  answer(
    "reject",
    "reject an approval task; the tasks it approves re-run once with your comment",
    (_, o) => {
      if (!o.comment) throw new CliError("reject needs --comment saying what to change.");
      return { type: "reject", comment: o.comment };
    },
  );
  answer("answer", "answer a question task", (text) => ({ type: "answer", text }));

  program
    .command("inbox")
    .description("list the approvals and questions waiting for people")
    .action(() =>
      withSession(async (s) => {
        const items = await inbox(s.runtime.deps, s.actor);
        if (items.length === 0) return void process.stdout.write("Nothing is waiting for you.\n");
        for (const i of items) {
          const what =
            i.task.type === "approval"
              ? `approve: ${i.task.title}`
              : `question: ${i.task.spec.question}`;
          process.stdout.write(
            `${i.room.id}  task ${i.task.ordinal}  ${what}  (${i.room.title})\n`,
          );
          for (const c of i.context)
            process.stdout.write(
              `    ${c.ordinal}. ${c.title}: ${c.output.replace(/\s+/g, " ").slice(0, 100)}\n`,
            );
        }
      }),
    );
}
