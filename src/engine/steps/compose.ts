// The compose step: the Composer writes the deliverable from the task outputs. Banned phrases are
// rewritten once (any left are reported); missing required sections are reported.
import { DocumentSchema, composeRequest } from "../../agents/composer.js";
import type { ComposeContext } from "../../agents/snapshot.js";
import { rewriteMessage } from "../../agents/task-agent.js";
import { documentText } from "../../domain/document.js";
import { bannedPhrasesIn } from "../../domain/style.js";
import type { Task } from "../../domain/types.js";
import type { NewEvent } from "../../store/events.js";
import { startTask } from "./start.js";
import { modelFor } from "../models.js";
import { composeContext, loadSnapshot } from "../snapshot.js";
import type { ModelRequest } from "../../models/gateway.js";
import { StepSetupError, type StepHandler } from "./types.js";

interface Prepared {
  task: Task;
  ctx: ComposeContext;
  model: string;
  /** The Composer's call, built once: the begin reserves it, the work sends it. */
  request: ModelRequest;
}

export const composeStep: StepHandler<Prepared> = {
  runsIn: ["composing"],

  async prepare({ tx, step, room, workspace, credentials, deps }) {
    // After a replan, the work it kept is composed too (a first plan has none to read).
    const snapshot = await loadSnapshot(tx.ex, room, workspace, {
      withEarlier: room.generation > 0,
    });
    const task = snapshot.tasks.find((t) => t.id === step.taskId);
    if (!task) throw new StepSetupError(`step ${step.id} names a task that does not exist`);
    const composer =
      snapshot.agents.find((a) => a.id === task.agentId) ??
      snapshot.agents.find((a) => a.botType === "composer");
    if (!composer)
      throw new StepSetupError(
        "The Composer is not attached to this workroom; attach it and replan.",
      );
    const model = modelFor(workspace, deps.models, credentials, room, composer, "other");
    await startTask(tx, room, step, task);
    const ctx = composeContext(snapshot, composer);
    return { task, ctx, model, request: composeRequest(ctx, model) };
  },

  async work(p, env) {
    const rules = p.ctx.style.rules;
    const req = {
      ...p.request,
      signal: env.signal,
      ...env.meter.hooks("compose"),
    };
    let { object: document } = await env.deps.models.generateObject(
      req,
      DocumentSchema,
      "document",
    );
    const notes: NewEvent[] = [];
    const found = bannedPhrasesIn(documentText(document), rules);
    if (found.length) {
      const again = await env.deps.models.generateObject(
        {
          ...req,
          ...env.meter.hooks("rewrite"),
          messages: [
            ...req.messages,
            { role: "assistant", content: JSON.stringify(document) },
            { role: "user", content: rewriteMessage(found) },
          ],
        },
        DocumentSchema,
        "document",
      );
      document = again.object;
      notes.push({
        type: "style.banned_phrases",
        actor: "engine",
        data: {
          task_id: p.task.id,
          found,
          rewritten: true,
          remaining: bannedPhrasesIn(documentText(document), rules),
        },
      });
    }
    const titles = document.sections.map((s) => s.title.toLowerCase());
    const missing = rules.required_sections.filter(
      (r) => !titles.some((t) => t.includes(r.toLowerCase())),
    );
    if (missing.length)
      notes.push({ type: "style.required_sections_missing", actor: "engine", data: { missing } });
    return { type: "document", document, notes };
  },

  firstCall(p) {
    return p.request;
  },

  meta(p) {
    return { taskId: p.task.id, agentId: p.ctx.composer.id };
  },
};
