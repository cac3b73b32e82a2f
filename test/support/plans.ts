// Plans a test scripts the Planner to return, built from small task factories.
import type { ScriptedCall } from "../../src/models/scripted.js";
import { readFences } from "../../src/agents/fence.js";

interface AgentRef {
  id: string;
  name: string;
  bot_type: string;
}

export const agentsIn = (call: ScriptedCall): AgentRef[] =>
  JSON.parse(readFences(call.prompt, "agents")[0]!.body) as AgentRef[];

type Spec = {
  agent?: string;
  title: string;
  type?: string;
  depends_on?: number[];
  question?: string;
  wait_seconds?: number;
};

/** A `respond` hook that answers planning calls with these tasks, then a composition task. */
export function planOf(specs: Spec[]) {
  return (call: ScriptedCall) => {
    if (call.req.purpose !== "plan") return undefined;
    const composer = agentsIn(call).find((a) => a.bot_type === "composer")!.id;
    const tasks = specs.map((s, i) => ({
      ordinal: i + 1,
      title: s.title,
      type: s.type ?? "agent_work",
      ...(s.type === undefined || s.type === "agent_work" ? { agent: s.agent ?? composer } : {}),
      depends_on: s.depends_on ?? [],
      ...(s.question ? { question: s.question } : {}),
      ...(s.wait_seconds ? { wait_seconds: s.wait_seconds } : {}),
    }));
    tasks.push({
      ordinal: specs.length + 1,
      title: "Compose",
      type: "composition",
      agent: composer,
      depends_on: [],
    });
    return { summary: "scripted test plan", tasks };
  };
}
