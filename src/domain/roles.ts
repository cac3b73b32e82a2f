// Roles and the one permission table (SPEC 1). Every use case asks `can(role, action)` once.

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "workroom.read",
  "workroom.write", // create, start, control, approve, answer, revise
  "deliverable.export",
  "agent.write",
  "credits.read",
  "credits.manage", // top up, change plan
  "members.read", // see who is in the workspace and their roles
  "members.manage", // invite, change roles, remove
  "settings.manage", // workspace settings, integrations, webhooks, export profile, model keys
  "apikeys.manage_others",
  "apikeys.manage_own",
  "audit.read",
  "insights.export",
  "ownership.transfer",
  "workspace.export", // everything the workspace holds, as one archive
  "workspace.delete", // the workspace and everything in it, for good
] as const;
export type Action = (typeof ACTIONS)[number];

const MEMBER: readonly Action[] = [
  "workroom.read",
  "workroom.write",
  "deliverable.export",
  "agent.write",
  "credits.read",
  "apikeys.manage_own",
  "members.read",
];
/** An admin may do everything but hand the workspace on (SPEC 1), ending it included. */
const ADMIN: readonly Action[] = ACTIONS.filter((a) => a !== "ownership.transfer");

const TABLE: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(ACTIONS),
  admin: new Set(ADMIN),
  member: new Set(MEMBER),
  viewer: new Set<Action>(["workroom.read", "credits.read", "members.read"]),
};

export function can(role: Role, action: Action): boolean {
  return TABLE[role].has(action);
}

/** Seats and API access by plan (SPEC 1). `null` seats means unlimited. */
export const PLANS = {
  free_trial: { maxUsers: 1, canUseApiAccess: false, monthlyCredits: 200 },
  solo: { maxUsers: 1, canUseApiAccess: false, monthlyCredits: 1_000 },
  starter: { maxUsers: 2, canUseApiAccess: false, monthlyCredits: 3_000 },
  pro: { maxUsers: 5, canUseApiAccess: false, monthlyCredits: 10_000 },
  growth: { maxUsers: 15, canUseApiAccess: true, monthlyCredits: 30_000 },
  agency: { maxUsers: null, canUseApiAccess: true, monthlyCredits: 100_000 },
} as const satisfies Record<
  string,
  { maxUsers: number | null; canUseApiAccess: boolean; monthlyCredits: number }
>;
export type PlanName = keyof typeof PLANS;
export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];
