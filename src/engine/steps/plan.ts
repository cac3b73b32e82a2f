// The plan step: the Planner writes a plan; an invalid plan is sent back with its validation errors
// (at most `planRetries` times), then the room fails.
import { PlanSchema, validatePlan } from "../../domain/plan.js";
import type { ChatMessage } from "../../models/gateway.js";
import { planRetryMessage, plannerRequest, type ToolSummary } from "../../agents/planner.js";
import type { RoomSnapshot } from "../../agents/snapshot.js";
import type { NewEvent } from "../../store/events.js";
import { loadSnapshot, redactionCounts } from "../snapshot.js";
import { ENGINE_ACTOR, record } from "../history.js";
import { modelFor } from "../models.js";
import type { StepHandler } from "./types.js";

interface Prepared {
  snapshot: RoomSnapshot;
  model: string;
  temperature: number;
}

// The Planner's prompt lists the workspace's tools, which are fetched in the work phase
// (connecting to its MCP servers must not hold a transaction): the begin reserves the call without
// them, and a tool list that adds to the prompt tops the reservation up in a transaction of its own.
export const planStep: StepHandler<Prepared> = {
  runsIn: ["planning"],

  async prepare({ tx, room, workspace, credentials, deps }) {
    const snapshot = await loadSnapshot(tx.ex, room, workspace, { withEarlier: true });
    if (room.pasteFlags.redact_pii)
      record(tx, room, [
        { type: "inputs.redacted", actor: ENGINE_ACTOR, data: await redactionCounts(tx.ex, room) },
      ]);
    const planner = snapshot.agents.find((a) => a.botType === "planner");
    const model = modelFor(workspace, deps.models, credentials, room, planner ?? null, "plan");
    return {
      snapshot,
      model,
      temperature: planner?.temperature ?? 0.2,
    };
  },

  async work(p, env) {
    const tools: ToolSummary[] = (await env.deps.tools?.list(env.room.workspaceId)) ?? [];
    // An MCP server that cannot be reached leaves its tools out; the room plans with the others.
    const unreachable = (await env.deps.tools?.unreachable?.(env.room.workspaceId)) ?? [];
    const base = plannerRequest(p.snapshot, p.model, p.temperature, tools);
    let messages: ChatMessage[] = base.messages;
    let errors: string[] = [];
    const notes: NewEvent[] = unreachable.length
      ? [{ type: "tools.unreachable", actor: "engine", data: { servers: unreachable } }]
      : [];
    for (let attempt = 0; attempt <= env.deps.config.planRetries; attempt++) {
      const { object } = await env.deps.models.generateObject(
        { ...base, messages, signal: env.signal, ...env.meter.hooks("plan") },
        PlanSchema,
        "plan",
      );
      const verdict = validatePlan(object, p.snapshot.agents);
      if (verdict.ok) return { type: "plan", summary: object.summary, tasks: verdict.tasks, notes };
      errors = verdict.errors;
      notes.push({
        type: "plan.rejected",
        actor: "engine",
        data: { attempt: attempt + 1, errors },
      });
      messages = [
        ...messages,
        { role: "assistant", content: JSON.stringify(object) },
        { role: "user", content: planRetryMessage(errors) },
      ];
    }
    return {
      type: "failed",
      retryable: false,
      notes,
      reason: `The Planner's plan was still invalid after ${env.deps.config.planRetries} retries: ${errors.join("; ")}`,
    };
  },

  firstCall(p) {
    return plannerRequest(p.snapshot, p.model, p.temperature);
  },

  meta(p) {
    return {
      taskId: null,
      agentId: p.snapshot.agents.find((a) => a.botType === "planner")?.id ?? null,
    };
  },
};
