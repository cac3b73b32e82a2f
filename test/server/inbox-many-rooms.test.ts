// The inbox of a workspace with many rooms. It read every room of the workspace to keep the
// running and paused ones, then ran one query per such room: at 20,700 rooms a call cost 250–320 ms
// of CPU, and on PostgreSQL its queries queued for the pool until other requests failed. It now
// reads what waits in the same few statements however many rooms there are, and answers as before.
import type { KyselyPlugin } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Actor, AppDeps } from "../../src/app/context.js";
import { inbox } from "../../src/app/people.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { DIALECTS } from "../support/databases.js";
import { proposalRoom } from "../support/fixtures.js";
import { planOf } from "../support/plans.js";

interface Room {
  id: string;
  state: string;
  tasks: { ordinal: number; title: string; output: string | null }[];
}
interface Inbox {
  items: {
    workroom: { id: string; title: string; client: string | null; state: string };
    task: { title: string; type: string; status: string };
    context: { ordinal: number; title: string; output: string }[];
  }[];
}

/** The app's dependencies with every statement they run counted. */
function counted(deps: AppDeps): { deps: AppDeps; statements: () => number } {
  let statements = 0;
  const counter: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      statements++;
      return args.result;
    },
  };
  const db = deps.store.db.withPlugin(counter);
  return { deps: { ...deps, store: { ...deps.store, db } }, statements: () => statements };
}

describe.each(DIALECTS)("the inbox of a workspace with many rooms on %s", (dialect) => {
  let api: ApiWorld;
  afterEach(async () => api?.close());

  it("lists every open approval and question, newest room first, in the same statements however many rooms", async () => {
    api = await startApi(dialect, {
      harness: {
        model: {
          respond: planOf([
            { title: "Pricing" },
            { title: "Approve pricing", type: "approval", depends_on: [1] },
            { title: "Budget", type: "user_input", question: "What is the budget ceiling?" },
          ]),
        },
      },
    });
    const key = api.people.member.key;
    const post = <T>(path: string, body?: unknown) =>
      api.call<T>("POST", path, { key, ...(body ? { body } : {}) });
    const harness = api.server.harness;
    /** A started room once its approval and question wait for a person. */
    const waiting = async (title: string) => {
      const { body: room } = await post<Room>("/api/v1/workrooms", proposalRoom({ title }));
      await post(`/api/v1/workrooms/${room.id}/start`);
      await harness.waitForHistory(
        room.id,
        (e) =>
          e.some((x) => x.type === "approval.requested") &&
          e.some((x) => x.type === "question.asked"),
      );
      return room.id;
    };
    const drafts = async (n: number, from: number) => {
      for (let i = 0; i < n; i++)
        await post("/api/v1/workrooms", { title: `Draft ${from + i}`, deliverables: ["Memo"] });
    };
    const owner: Actor = api.people.owner.actor;
    const statementsOfInbox = async () => {
      const c = counted(harness.runtime.deps);
      await inbox(c.deps, owner);
      return c.statements();
    };
    /** The inbox as a viewer reads it: room, state, task and what an approval is about. */
    const read = async () => {
      const res = await api.call<Inbox>("GET", "/api/v1/inbox", { as: api.people.viewer });
      expect(res.status).toBe(200);
      return res.body.items.map((i) => [
        i.workroom.title,
        i.workroom.state,
        i.task.type,
        i.task.title,
        i.context.map((c) => [c.ordinal, c.title, c.output]),
      ]);
    };
    const pricing = async (id: string) =>
      (await api.call<Room>("GET", `/api/v1/workrooms/${id}`, { key })).body.tasks.find(
        (t) => t.title === "Pricing",
      )!.output!;
    const expected = async (id: string, title: string, state: string) => [
      [title, state, "approval", "Approve pricing", [[1, "Pricing", await pricing(id)]]],
      [title, state, "user_input", "Budget", []],
    ];

    const a = await waiting("Room A");
    const b = await waiting("Room B");
    await post(`/api/v1/workrooms/${b}/pause`);
    await harness.waitFor(b, ["paused"]);
    // A cancelled room's open tasks wait for no one.
    const c = await waiting("Room C");
    await post(`/api/v1/workrooms/${c}/cancel`);
    await harness.waitFor(c, ["cancelled"]);
    await drafts(30, 0);

    expect(await read()).toEqual([
      ...(await expected(b, "Room B", "paused")),
      ...(await expected(a, "Room A", "executing")),
    ]);
    const few = await statementsOfInbox();

    // Twice the rooms waiting, and many more rooms in other states: the same statements.
    const d = await waiting("Room D");
    const e = await waiting("Room E");
    await drafts(30, 30);
    expect(await read()).toEqual([
      ...(await expected(e, "Room E", "executing")),
      ...(await expected(d, "Room D", "executing")),
      ...(await expected(b, "Room B", "paused")),
      ...(await expected(a, "Room A", "executing")),
    ]);
    expect(await statementsOfInbox()).toBe(few);
    expect(few).toBeLessThanOrEqual(2);
  });
});
