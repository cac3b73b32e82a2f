import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  PlanSchema,
  criticalPathSeconds,
  progressOf,
  readyTasks,
  validatePlan,
  type PlanAgent,
  type PlannedTask,
} from "./plan.js";

const AGENTS: PlanAgent[] = [
  { id: "agt_planner", name: "Planner", botType: "planner", toolGrants: [] },
  { id: "agt_composer", name: "Composer", botType: "composer", toolGrants: [] },
  { id: "agt_writer", name: "Writer", botType: "custom", toolGrants: ["search_inputs"] },
];

const task = (ordinal: number, over: Partial<PlannedTask> = {}): PlannedTask => ({
  ordinal,
  title: `Task ${ordinal}`,
  description: "",
  type: "agent_work",
  agent: "agt_writer",
  depends_on: [],
  estimated_seconds: 60,
  ...over,
});
const compose = (ordinal: number): PlannedTask =>
  task(ordinal, { type: "composition", agent: "agt_composer", title: "Compose" });

const proposal = () =>
  PlanSchema.parse({
    tasks: [
      task(1, { title: "Scope" }),
      task(2, { title: "Pricing", depends_on: [1] }),
      task(3, { title: "Timeline", depends_on: [1] }),
      task(4, { title: "Risks", depends_on: [2, 3] }),
      task(5, { title: "Summary", depends_on: [4] }),
      compose(6),
    ],
  });

const errorsOf = (tasks: PlannedTask[]) => {
  const v = validatePlan(PlanSchema.parse({ tasks }), AGENTS);
  return v.ok ? [] : v.errors;
};

describe("plan validation", () => {
  it("accepts a proposal plan and makes the composition depend on everything before it", () => {
    const v = validatePlan(proposal(), AGENTS);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.tasks.at(-1)!.depends_on).toEqual([1, 2, 3, 4, 5]);
  });

  it("resolves agents by exact name as well as by id", () => {
    const v = validatePlan(
      PlanSchema.parse({ tasks: [task(1, { agent: "writer" }), compose(2)] }),
      AGENTS,
    );
    expect(v.ok && v.tasks[0]!.agentId).toBe("agt_writer");
  });

  it.each([
    [
      "a forward dependency",
      [task(1, { depends_on: [2] }), compose(2)],
      "may depend only on earlier tasks",
    ],
    [
      "a self dependency",
      [task(1, { depends_on: [1] }), compose(2)],
      "may depend only on earlier tasks",
    ],
    ["no composition", [task(1), task(2)], "exactly one composition task"],
    ["two compositions", [compose(1), compose(2)], "exactly one composition task; it has 2"],
    ["a composition that is not last", [compose(1), task(2)], "must be the last task"],
    [
      "an agent not attached",
      [task(1, { agent: "agt_stranger" }), compose(2)],
      "not attached to this workroom",
    ],
    [
      "a tool not granted",
      [task(1, { type: "tool_call", tool: "fetch_url" }), compose(2)],
      'tool "fetch_url" is not granted',
    ],
    ["ordinals out of order", [task(2), compose(1)], "ordinals must be 1, 2, 3"],
    [
      "a question-less user_input",
      [task(1, { type: "user_input", agent: undefined }), compose(2)],
      "needs a question",
    ],
    [
      "composition by a custom agent",
      [task(1), { ...compose(2), agent: "agt_writer" }],
      "assigned to the Composer",
    ],
  ])("rejects %s", (_, tasks, message) => {
    expect(errorsOf(tasks as PlannedTask[]).join("\n")).toContain(message);
  });

  it("always rejects random plans that contain a cycle or a forward dependency", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }).chain((n) =>
          fc.tuple(
            fc.constant(n),
            fc.array(fc.array(fc.integer({ min: 1, max: n }), { maxLength: 3 }), {
              minLength: n - 1,
              maxLength: n - 1,
            }),
            fc.integer({ min: 1, max: n - 1 }),
            fc.integer({ min: 0, max: n - 1 }),
          ),
        ),
        ([n, deps, bad, offset]) => {
          // Task `bad` depends on itself or a later task: a cycle or a forward edge.
          const tasks = deps.map((d, i) =>
            task(i + 1, { depends_on: [...new Set(d.filter((x) => x <= i))] }),
          );
          const target = Math.min(n, bad + offset);
          tasks[bad - 1] = { ...tasks[bad - 1]!, depends_on: [target] };
          tasks.push(compose(n));
          expect(validatePlan(PlanSchema.parse({ tasks }), AGENTS).ok).toBe(false);
        },
      ),
      { numRuns: 1_000 },
    );
  });
});

describe("readiness", () => {
  const nodes = (statuses: string[]) => {
    const v = validatePlan(proposal(), AGENTS);
    if (!v.ok) throw new Error("fixture");
    return v.tasks.map((t, i) => ({
      ordinal: t.ordinal,
      dependsOn: t.depends_on,
      status: statuses[i] as never,
    }));
  };

  it("starts pricing and timeline together once the scope is done", () => {
    const ready = readyTasks(
      nodes(["succeeded", "pending", "pending", "pending", "pending", "pending"]),
    );
    expect(ready.map((t) => t.ordinal)).toEqual([2, 3]);
  });

  it("is ready to compose when every task but the composition is done", () => {
    expect(
      progressOf(
        nodes(["succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "pending"]),
      ).kind,
    ).toBe("ready_to_compose");
    expect(
      progressOf(nodes(["succeeded", "running", "succeeded", "pending", "pending", "pending"]))
        .kind,
    ).toBe("running");
    expect(
      progressOf(nodes(["succeeded", "failed", "succeeded", "pending", "pending", "pending"])),
    ).toEqual({ kind: "failed", ordinal: 2 });
  });

  it("computes the critical path of the estimates", () => {
    const v = validatePlan(proposal(), AGENTS);
    expect(v.ok && criticalPathSeconds(v.tasks)).toBe(5 * 60);
  });
});
