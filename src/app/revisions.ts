// Revision rounds (SPEC 4): request one (charged when it starts), list drafts, diff two rounds.
import { checkReservation, revisionCost } from "../domain/credits.js";
import { diffDrafts, type DraftDiff } from "../domain/diff.js";
import { DomainError } from "../domain/errors.js";
import {
  BUILTIN_PRESETS,
  findPreset,
  parsePresetArgs,
  planRevision,
  presetFromCustom,
  type CustomPreset,
  type Preset,
} from "../domain/revisions.js";
import { RevisionRequestSchema, describeIssues, type RevisionRequest } from "../domain/requests.js";
import type { Draft, Workroom } from "../domain/types.js";
import { applyCommand } from "../engine/lifecycle.js";
import { record } from "../engine/history.js";
import { available, currentWorkspace, headroomOf } from "../engine/metering.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import type { Exec } from "../store/exec.js";
import { debit } from "../store/ledger.js";
import { insertRevision, listRevisions, type Revision } from "../store/revisions.js";
import { findDraft } from "../store/drafts.js";
import { listDraftRounds } from "../store/room-summary.js";
import { findWorkroom } from "../store/workrooms.js";
import { auditBy, authorize, type Actor, type AppDeps } from "./context.js";
import { getSettings } from "./settings.js";

/** Starts a revision round: validated against the latest draft, charged once, then run by the engine. */
export async function requestRevision(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  request: RevisionRequest,
): Promise<Workroom> {
  authorize(actor, "workroom.write");
  const parsed = RevisionRequestSchema.safeParse(request);
  if (!parsed.success)
    throw new DomainError(
      "invalid_input",
      `The revision request is invalid: ${describeIssues(parsed.error)}`,
    );
  const r = parsed.data;
  const { revision_presets } = await getSettings(deps, actor);
  const preset = findPreset(r.preset_slug, revision_presets);
  if (!preset) throw new DomainError("invalid_input", `Unknown preset "${r.preset_slug}".`);
  const args = parsePresetArgs(preset, r.preset_args);
  if (!args.ok) throw args.error;
  return withTx(deps, async (tx) => {
    const room = await findWorkroom(tx.ex, actor.workspaceId, roomId, { lock: true });
    if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
    const latest = await findDraft(tx.ex, room, room.finalRound);
    if (latest) {
      const plan = planRevision(latest.document, preset, args.value);
      if (!plan.ok) throw plan.error;
    }
    const moved = await applyCommand(tx, room, { type: "request_revision" }, actor.id);
    if (!moved.ok) throw moved.error;
    const round = moved.value.currentRound;
    const cost = revisionCost(room.baseCredits);
    const ws = await currentWorkspace(tx, room.workspaceId);
    // Checked as a call's reservation is: the credits other rooms' calls in flight have reserved
    // are theirs, and the ledger debits each of those calls in full when it settles.
    const headroom = await headroomOf(tx, ws, room);
    const verdict = checkReservation(headroom, cost);
    if (!verdict.ok && verdict.reason === "budget")
      throw new DomainError(
        "budget",
        `Round ${round} costs ${cost} credits, which would cross this room's cap of ${room.maxCredits}. Raise max_credits first.`,
      );
    if (!verdict.ok)
      throw new DomainError(
        "insufficient_credits",
        `Round ${round} costs ${cost} credits; the workspace has ${available(headroom)}. Top up first.`,
      );
    await debit(
      tx.ex,
      ws,
      cost,
      `revision:${room.id}:${round}`,
      `Revision round ${round} (${preset.slug})`,
      room.id,
      tx.now,
    );
    await tx.ex.db
      .updateTable("workrooms")
      .set((eb) => ({ credits_spent: eb("credits_spent", "+", cost) }))
      .where("id", "=", room.id)
      .execute();
    await insertRevision(
      tx.ex,
      room,
      {
        round,
        presetSlug: preset.slug,
        action: preset.action,
        instruction: preset.instruction(args.value),
        args: args.value,
        source: r.source,
        credits: cost,
        requestedBy: actor.id,
      },
      tx.now,
    );
    record(tx, room, [
      {
        type: "revision.requested",
        actor: actor.id,
        data: { round, preset: preset.slug, args: args.value, source: r.source, credits: cost },
      },
    ]);
    await auditBy(tx, actor, "revision.requested", room.id, {
      round,
      preset: preset.slug,
      credits: cost,
    });
    return { ...moved.value, creditsSpent: room.creditsSpent + cost };
  });
}

/** Starts a revision round and returns the room with the round's revision record. */
export async function reviseRoom(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  request: RevisionRequest,
): Promise<{ room: Workroom; revision: Revision }> {
  const room = await requestRevision(deps, actor, roomId, request);
  const revision = (await listRevisions(poolExec(deps), room)).find(
    (r) => r.round === room.currentRound,
  );
  // The round was inserted in the transaction that just committed; it cannot be missing.
  if (!revision) throw new Error(`Revision round ${room.currentRound} of ${room.id} not found`);
  return { room, revision };
}

/** Compares two finished rounds of a room. */
export async function diffRounds(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  from: number,
  to: number,
): Promise<DraftDiff> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, roomId);
  if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
  const a = await findDraft(ex, room, from);
  const b = to === from ? a : await findDraft(ex, room, to);
  if (!a || !b) throw await noDraft(ex, room, [a ? null : from, b ? null : to]);
  return diffDrafts(a.document, b.document, from, to);
}

/**
 * Every revision round of a room, oldest first, with its status and cost, and what the next round
 * would cost when it starts (so a client can show the price before asking).
 */
export async function roomRevisions(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
): Promise<{ revisions: Revision[]; nextRoundCredits: number }> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, roomId);
  if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
  return {
    revisions: await listRevisions(ex, room),
    nextRoundCredits: revisionCost(room.baseCredits),
  };
}

/** The draft of one finished round. */
export async function getDraft(
  deps: AppDeps,
  actor: Actor,
  roomId: string,
  round: number,
): Promise<Draft> {
  authorize(actor, "workroom.read");
  const ex = poolExec(deps);
  const room = await findWorkroom(ex, actor.workspaceId, roomId);
  if (!room) throw new DomainError("not_found", `No workroom ${roomId} in this workspace.`);
  const draft = await findDraft(ex, room, round);
  if (!draft) throw await noDraft(ex, room, [round]);
  return draft;
}

/** The 404 for rounds without a draft, naming the rounds the room has (read without documents). */
async function noDraft(ex: Exec, room: Workroom, missing: (number | null)[]): Promise<DomainError> {
  const rounds = (await listDraftRounds(ex, room)).map((d) => d.round);
  return new DomainError(
    "not_found",
    `No draft of round ${missing.filter((x) => x !== null).join(" or ")}; ${rounds.length ? `this room has rounds ${rounds.join(", ")}` : "this room has no draft yet"}.`,
  );
}

export interface PresetListing {
  preset: Preset;
  builtin: boolean;
  /** The workspace's own definition (its instruction template), for custom presets. */
  definition: CustomPreset | null;
}

/** The presets a revision may use: the built-in table, then the workspace's own. */
export async function listPresets(deps: AppDeps, actor: Actor): Promise<PresetListing[]> {
  const { revision_presets } = await getSettings(deps, actor);
  return [
    ...BUILTIN_PRESETS.map((preset) => ({ preset, builtin: true, definition: null })),
    ...revision_presets.map((d) => ({
      preset: presetFromCustom(d),
      builtin: false,
      definition: d,
    })),
  ];
}
