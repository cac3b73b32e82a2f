// Small factories for test workrooms: an agency brief, a past sample, meeting notes.
import type { CreateWorkroomRequest } from "../../src/domain/requests.js";
import type { Actor } from "../../src/app/context.js";
import type { Workspace } from "../../src/domain/types.js";
import type { ModelRequest } from "../../src/models/gateway.js";
import type { NewWorkroom } from "../../src/store/workrooms.js";

export const BRIEF =
  "Aurora Coffee wants a Q4 proposal for a loyalty-app relaunch. Budget is around €40k. " +
  "They need a pilot in three stores by mid-November and a full rollout in January.";
export const MEETING_NOTES =
  "Kick-off call 3 Oct: Dana (CMO) stressed that the app must work offline in stores. " +
  "IT wants SSO with their Azure tenant. Decision on the POS vendor is still open.";
export const SAMPLE =
  "Thanks for the chance to pitch. Here is how we would approach the work, in plain words and with no surprises.";

export function proposalRoom(
  overrides: Partial<CreateWorkroomRequest> = {},
): CreateWorkroomRequest {
  return {
    title: "Aurora Coffee — Q4 Proposal",
    client: "Aurora Coffee",
    deliverables: ["Proposal"],
    inputs: [
      { kind: "brief", label: "Client brief", content: BRIEF },
      { kind: "meeting_notes", label: "Kick-off notes", content: MEETING_NOTES },
      { kind: "sample", label: "Past proposal", content: SAMPLE },
    ],
    ...overrides,
  };
}

/** A room as the store inserts it, with no agents, inputs or limits (for tests of the store). */
export const bareRoom = (title: string): NewWorkroom => ({
  title,
  client: null,
  goal: "A proposal",
  deliverables: ["Proposal"],
  deadline: null,
  maxCredits: null,
  pasteFlags: { redact_pii: false, local_models_only: false },
  styleOverride: null,
  reviewPlan: false,
  createdBy: "test",
  agentIds: [],
  inputs: [],
});

export const ownerOf = (ws: Workspace): Actor => ({
  id: "usr_test",
  workspaceId: ws.id,
  role: "owner",
});

/** One model call asking for a section, for tests of the gateway itself. */
export const SECTION_REQUEST: ModelRequest = {
  model: "scripted",
  system: "You write one section.",
  messages: [{ role: "user", content: "Write the scope." }],
  maxOutputTokens: 400,
  purpose: "task",
};
