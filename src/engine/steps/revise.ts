// The revise step: applies a revision request to the latest finished draft. Targeted presets
// rewrite only their section; every other section is carried over as is (byte-identical).
import { applyRevision, planRevision, type RevisionPlan } from "../../domain/revisions.js";
import { effectiveStyle } from "../../domain/style.js";
import type { Document, Section } from "../../domain/document.js";
import { DocumentSchema, SectionSchema, reviseRequest } from "../../agents/reviser.js";
import type { ReviseContext } from "../../agents/snapshot.js";
import { findRevision, type Revision } from "../../store/revisions.js";
import { findDraft } from "../../store/drafts.js";
import { modelFor } from "../models.js";
import { loadSnapshot } from "../snapshot.js";
import { StepSetupError, type Outcome, type StepEnv, type StepHandler } from "./types.js";

interface Prepared {
  revision: Revision;
  ctx: ReviseContext;
  model: string;
}

export const reviseStep: StepHandler<Prepared> = {
  runsIn: ["awaiting_revision"],

  async prepare({ tx, room, workspace, credentials, deps }) {
    const revision = await findRevision(tx.ex, room, room.currentRound);
    if (!revision) throw new StepSetupError(`Round ${room.currentRound} has no revision request.`);
    const draft = await findDraft(tx.ex, room, room.finalRound);
    if (!draft) throw new StepSetupError(`Round ${room.finalRound} has no draft to revise.`);
    const snapshot = await loadSnapshot(tx.ex, room, workspace);
    const composer = snapshot.agents.find((a) => a.botType === "composer");
    if (!composer) throw new StepSetupError("The Composer is not attached to this workroom.");
    const model = modelFor(workspace, deps.models, credentials, room, composer, "other");
    const style = effectiveStyle(composer.styleRules, null, room.styleOverride);
    return { revision, model, ctx: { ...snapshot, composer, style, draft: draft.document } };
  },

  async work(p, env) {
    // The action and instruction were fixed when the round was requested (custom presets included).
    const plan = planRevision(p.ctx.draft, { action: p.revision.action }, p.revision.args);
    if (!plan.ok) return { type: "failed", retryable: false, reason: plan.error.message };
    const instruction = p.revision.instruction;
    const produced = await produce(p, env, plan.value, instruction);
    return {
      type: "document",
      document: applyRevision(p.ctx.draft, plan.value, produced),
      notes: [],
    };
  },

  meta() {
    return { taskId: null, agentId: null };
  },
};

async function produce(
  p: Prepared,
  env: StepEnv,
  plan: RevisionPlan,
  instruction: string,
): Promise<{ document?: Document; sections?: Section[] }> {
  const ask = async <T>(
    target: Parameters<typeof reviseRequest>[3],
    schema: typeof DocumentSchema | typeof SectionSchema,
  ) => {
    const req = {
      ...reviseRequest(p.ctx, p.model, instruction, target),
      signal: env.signal,
      ...env.meter.hooks("revise"),
    };
    return (
      await env.deps.models.generateObject(
        req,
        schema as never,
        target.kind === "document" ? "document" : "section",
      )
    ).object as T;
  };
  switch (plan.kind) {
    case "remove":
      return {};
    case "whole":
      return { document: await ask<Document>({ kind: "document" }, DocumentSchema) };
    case "sections": {
      const sections: Section[] = [];
      for (const index of plan.indexes)
        sections.push(await ask<Section>({ kind: "section", index }, SectionSchema));
      return { sections };
    }
    case "insert": {
      const section = await ask<Section>(
        { kind: "new_section", title: plan.title, after: plan.at },
        SectionSchema,
      );
      return { sections: [{ ...section, title: plan.title }] };
    }
  }
}

export type { Outcome };
