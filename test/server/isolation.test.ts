// Issue 7 acceptance: an isolation matrix generated from the route table. Every non-public route
// is called as {no auth, another workspace's owner, viewer, member, admin, owner}; the expected
// status comes from the route's declared action and the domain's one roles table:
// - no auth → 401;
// - a role the table refuses → 403;
// - a role the table allows → never 401/403 and never a 5xx;
// - another workspace's owner, given workspace A's ids → 404 (never 403: no existence leak), and
//   no answer of any route ever carries one of workspace A's ids.
// A new route fails this test until it has a path-parameter resolver (and a sample body if it
// writes), so nothing is added to the API without being checked here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { can, type Role } from "../../src/domain/roles.js";
import { API_ROUTES } from "../../src/server/routes/index.js";
import type { Route } from "../../src/server/route.js";
import { createAgent, saveStyle } from "../../src/app/agents.js";
import { createWorkroom, startWorkroom } from "../../src/app/workrooms.js";
import { createInvite } from "../../src/app/invites.js";
import { createWebhook, testWebhook } from "../../src/app/webhooks.js";
import { createApiKey } from "../../src/app/api-keys.js";
import { addMember } from "../../src/app/members.js";
import { addRevisionPreset } from "../../src/app/settings.js";
import { listTasks } from "../../src/store/tasks.js";
import { findWorkroom } from "../../src/store/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import { PASSWORD, startApi, type ApiWorld, type Person } from "../support/api.js";

type Caller = "none" | "outsider" | Role;
const CALLERS: readonly Caller[] = ["none", "outsider", "viewer", "member", "admin", "owner"];

/** Routes that end the caller's own membership or session run last, in this order, so they
 *  cannot hide the answers of other routes. */
const LAST = ["transferOwnership", "leaveWorkspace", "signOut"];
const order = (r: Route) => LAST.indexOf(r.operationId);

interface Ids {
  room: string;
  task: string;
  agent: string;
  otherAgent: string;
  webhook: string;
  delivery: string;
  invite: string;
  spareUser: string;
  preset: string;
  /** Each person's spare API key (rotating or revoking it leaves their main key working). */
  spareKey: Record<string, string>;
}

let api: ApiWorld;
let ids: Ids;

async function seed(): Promise<Ids> {
  const deps = api.server.harness.runtime.deps;
  const owner = api.people.owner.actor;
  const agent = await createAgent(deps, owner, { name: "Copywriter" });
  const otherAgent = await createAgent(deps, owner, { name: "Editor" });
  await saveStyle(deps, owner, agent.id, {
    tone_descriptors: ["warm"],
    banned_phrases: [],
    required_sections: [],
    voice_examples: [],
    structural_pattern: "",
    reading_level: "plain",
    formality: 3,
  });
  const room = await createWorkroom(deps, owner, {
    title: "Matrix room",
    deliverables: ["Proposal"],
    inputs: [{ kind: "brief", content: "A brief for the isolation matrix." }],
  });
  await startWorkroom(deps, owner, room.id);
  await api.server.harness.waitFor(room.id, ["completed"]);
  const completed = await findWorkroom(poolExec(deps), owner.workspaceId, room.id);
  const task = (await listTasks(poolExec(deps), completed!, completed!.generation))[0]!;
  const webhook = await createWebhook(deps, owner, {
    name: "Receiver",
    url: "http://127.0.0.1:9/unreachable",
    events: ["workroom.completed"],
  });
  const delivery = await testWebhook(deps, owner, webhook.webhook.id);
  const invite = await createInvite(deps, owner, { email: "invitee@agency.test", role: "member" });
  const spare = await addMember(deps, owner, {
    email: "spare@agency.test",
    name: "Spare Person",
    password: PASSWORD,
    role: "viewer",
  });
  await addRevisionPreset(deps, owner, {
    slug: "house_style",
    label: "House style",
    action: "rewrite",
    instruction: "Rewrite in the house style.",
    args: [],
  });
  const spareKey: Record<string, string> = {};
  for (const p of [api.people.owner, api.people.admin, api.people.member])
    spareKey[p.userId] = (await createApiKey(deps, p.actor, { name: "spare" })).id;
  return {
    room: room.id,
    task: task.id,
    agent: agent.id,
    otherAgent: otherAgent.id,
    webhook: webhook.webhook.id,
    delivery: delivery.delivery_id,
    invite: invite.invite.id,
    spareUser: spare.id,
    preset: "house_style",
    spareKey,
  };
}

/** Workspace A's id for a path parameter of a route; the caller matters only for own-key routes. */
function param(route: Route, name: string, caller: Person | undefined): string {
  const p = route.path;
  if (name === "id" && p.startsWith("/api/v1/workrooms/")) return ids.room;
  if (name === "taskId") return ids.task;
  if (name === "round") return "1";
  if (name === "format") return "md";
  if (name === "slug") return ids.preset;
  if (name === "user_id") return ids.spareUser;
  if (name === "invite") return ids.invite;
  if (name === "id" && p.startsWith("/api/v1/agents/")) return ids.agent;
  if (name === "id" && p.startsWith("/api/v1/webhooks/")) return ids.webhook;
  if (name === "deliveryId") return ids.delivery;
  if (name === "id" && p.startsWith("/api/v1/api-keys/"))
    return ids.spareKey[caller?.userId ?? ""] ?? ids.spareKey[api.people.owner.userId]!;
  throw new Error(`isolation test: no resolver for :${name} of ${route.method} ${p}`);
}

/** Query strings a route needs to be meaningful. */
const QUERIES: Record<string, string> = { diffRounds: "?from=1&to=1" };

/** A valid body per write route, so a refusal is about who calls, not about what they send. */
function sample(route: Route, caller: Caller): unknown {
  const samples: Record<string, () => unknown> = {
    createWorkroom: () => ({
      title: `Room by ${caller}`,
      deliverables: ["Proposal"],
      inputs: [{ kind: "brief", content: "Short brief." }],
    }),
    estimateDraftWorkroom: () => ({
      inputs: [{ kind: "brief", content: "Short brief." }],
      max_credits: 500,
    }),
    uploadWorkroom: () => undefined,
    readUploadedBlocks: () => undefined,
    updateWorkroom: () => ({ max_credits: 100_000 }),
    approveTask: () => ({}),
    rejectTask: () => ({ comment: "Please change the scope." }),
    answerTask: () => ({ text: "Yes." }),
    requestRevision: () => ({ preset_slug: "tighten", preset_args: { instruction: "Shorter." } }),
    createRevisionPreset: () => ({
      slug: `preset_${caller}`,
      label: "Legal",
      action: "rewrite",
      instruction: "Rewrite for legal clarity.",
    }),
    switchWorkspace: () => ({ workspace_id: api.workspaceId }),
    changePassword: () => ({ current_password: PASSWORD, new_password: PASSWORD }),
    createWorkspace: () => ({ name: `Workspace of ${caller}` }),
    // Not the workspace's name: the deletion is refused (400) after the permission check, so the
    // matrix goes on in workspace A (test/server/workspace-data.test.ts deletes one for real).
    deleteWorkspace: () => ({ confirm: `not the name (${caller})` }),
    changeMemberRole: () => ({ role: "member" }),
    transferOwnership: () => ({ user_id: "usr_nobody" }),
    createInvite: () => ({ email: `${caller}-friend@agency.test`, role: "member" }),
    createApiKey: () => ({ name: `key of ${caller}` }),
    createAgent: () => ({ name: `Agent of ${caller}` }),
    editAgent: () => ({ role_description: "Writes the pricing section." }),
    copyAgent: () => ({ name: "Copy" }),
    saveAgentStyle: () => ({
      tone_descriptors: ["plain"],
      banned_phrases: ["synergy"],
      required_sections: [],
      voice_examples: [],
      structural_pattern: "",
      reading_level: "plain",
      formality: 2,
    }),
    extractAgentStyle: () => ({ samples: [{ content: "We write plainly and keep promises." }] }),
    extractAgentStyleFromUploads: () => undefined,
    copyAgentStyle: () => ({ to_agent_id: ids.otherAgent }),
    addTopUp: () => ({ amount: 10, idempotency_key: `matrix-${caller}` }),
    setExportProfile: () => ({ company_name: "Agency A" }),
    setToolSettings: () => ({ fetch_allow_hosts: ["example.com"] }),
    updateModelSettings: () => ({ default_model: "scripted" }),
    createWebhook: () => ({
      name: `Hook of ${caller}`,
      url: "http://127.0.0.1:9/x",
      events: ["workroom.completed"],
    }),
    updateWebhook: () => ({ name: "Renamed" }),
  };
  if (!route.body) return undefined;
  const make = samples[route.operationId];
  if (!make) throw new Error(`isolation test: add a sample body for ${route.operationId}`);
  return make();
}

interface Outcome {
  status: number;
  text: string;
  /** What the caller sent (an error may name an id the caller itself gave). */
  sent: string;
}

async function callAs(route: Route, caller: Caller, fakeId?: string): Promise<Outcome> {
  const person =
    caller === "none" ? undefined : caller === "outsider" ? api.outsider : api.people[caller];
  const path =
    route.path.replace(/:([A-Za-z_]+)/g, (_, n: string) =>
      fakeId && !["round", "format"].includes(n) ? fakeId : param(route, n, person),
    ) + (QUERIES[route.operationId] ?? "");
  const body = sample(route, caller);
  const headers: Record<string, string> = {};
  if (person) {
    // Viewers may not hold API keys, and a person's own routes (session, workspaces) are the
    // web app's: those calls use the web session.
    if (person.key && route.auth === "workspace") headers.authorization = `Bearer ${person.key}`;
    else {
      headers.cookie = person.session.cookie;
      headers["x-csrf-token"] = person.session.csrf;
    }
  }
  if (body !== undefined) headers["content-type"] = "application/json";
  const abort = new AbortController();
  const res = await fetch(`${api.url}${path}`, {
    method: route.method,
    headers,
    signal: abort.signal,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (route.response.kind === "stream" && res.status === 200) {
    abort.abort();
    return { status: res.status, text: "", sent: path };
  }
  return { status: res.status, text: await res.text(), sent: path + JSON.stringify(body ?? {}) };
}

/** Every id of workspace A that an outsider must never read. */
const secretsOfA = () => [
  api.workspaceId,
  ids.room,
  ids.task,
  ids.agent,
  ids.otherAgent,
  ids.webhook,
  ids.delivery,
  ids.invite,
  ids.spareUser,
  api.people.admin.userId,
  api.people.member.userId,
  api.people.viewer.userId,
];

beforeAll(async () => {
  api = await startApi("sqlite");
  ids = await seed();
}, 120_000);
afterAll(async () => api?.close());

describe("the isolation matrix", () => {
  const routes = [...API_ROUTES]
    .filter((r) => r.auth !== "public")
    .sort((a, b) => order(a) - order(b));

  it("answers 404 when a session names another workspace's id", async () => {
    const res = await fetch(`${api.url}/api/v1/workrooms`, {
      headers: {
        cookie: api.outsider.session.cookie,
        "x-atelya-workspace": api.workspaceId,
      },
    });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(ids.room);
  });

  it("covers every non-public route of the table", () => {
    expect(routes.length).toBeGreaterThan(60);
  });

  for (const route of routes)
    it(`${route.method} ${route.path} (${route.action ?? route.auth})`, async () => {
      const seen: string[] = [];
      for (const caller of CALLERS) {
        const { status, text, sent } = await callAs(route, caller);
        seen.push(`${caller}=${status}`);
        const where = `${caller} → ${status}: ${text.slice(0, 200)}`;
        expect(status, where).toBeLessThan(500);
        if (caller === "none") {
          expect(status, where).toBe(401);
          continue;
        }
        if (caller === "outsider") {
          // A's ids must get the answer an id that exists nowhere gets: 404, or for an upload
          // route refused before any lookup, the same refusal.
          if (route.path.includes(":")) {
            const nowhere = await callAs(route, caller, "nowhere_0000000000000000");
            expect(status, where).toBe(nowhere.status);
            if (!route.multipart) expect(status, where).toBe(404);
          }
          for (const id of secretsOfA().filter((i) => !sent.includes(i)))
            expect(text, `${where} leaks ${id}`).not.toContain(id);
          continue;
        }
        // SPEC 1: a viewer is read-only, whatever a route declares (leaving is not a write).
        if (caller === "viewer" && route.method !== "GET" && route.auth === "workspace")
          if (route.operationId !== "leaveWorkspace") expect(status, where).toBe(403);
        // A new workspace is for people who own or administer one here (each caller is in A only).
        const allowed =
          route.operationId === "createWorkspace"
            ? caller === "owner" || caller === "admin"
            : !route.action || can(caller, route.action);
        if (!allowed) expect(status, where).toBe(403);
        else {
          expect(status, where).not.toBe(401);
          expect(status, where).not.toBe(403);
        }
      }
      expect(seen).toHaveLength(CALLERS.length);
    });
});
