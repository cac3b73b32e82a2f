// The rules about people and keys (SPEC 1, 10), as pure functions: e-mail and password policy,
// seats per plan, invite and session lifetimes, sign-in throttling, API key format, and which role
// changes keep "exactly one owner" true. The app layer brings the clock, randomness and storage.
import { DomainError } from "./errors.js";
import { PLANS, type PlanName, type Role } from "./roles.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const PLAN_LABELS: Record<PlanName, string> = {
  free_trial: "Free Trial",
  solo: "Solo",
  starter: "Starter",
  pro: "Pro",
  growth: "Growth",
  agency: "Agency",
};

// --- e-mail and password ------------------------------------------------------------------------

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Trimmed and lower-cased: one address is one account, however it was typed. */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw new DomainError("invalid_input", `"${raw.trim()}" is not an e-mail address.`);
  return email;
}

export const PASSWORD_MIN = 10;
/** Long enough for any passphrase; bounds the work a request can ask of the KDF. */
export const PASSWORD_MAX = 256;

export function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN)
    throw new DomainError(
      "invalid_input",
      `The password is too short: use at least ${PASSWORD_MIN} characters (a few words work well).`,
    );
  if (password.length > PASSWORD_MAX)
    throw new DomainError(
      "invalid_input",
      `The password is too long: use at most ${PASSWORD_MAX} characters.`,
    );
}

export function checkName(raw: string, what = "name"): string {
  const name = raw.trim();
  if (!name) throw new DomainError("invalid_input", `The ${what} is empty.`);
  if (name.length > 120)
    throw new DomainError("invalid_input", `The ${what} is too long: at most 120 characters.`);
  return name;
}

/** The one message of a failed sign-in, whatever failed: it never tells whether the e-mail exists. */
export const WRONG_CREDENTIALS = "E-mail or password is wrong.";

// --- seats and plans ----------------------------------------------------------------------------

/** Refuses one more person when members plus pending invites already fill the plan's seats. */
export function checkSeat(plan: PlanName, used: { members: number; pendingInvites: number }): void {
  const max = PLANS[plan].maxUsers;
  if (max === null) return;
  const taken = used.members + used.pendingInvites;
  if (taken + 1 > max)
    throw new DomainError(
      "conflict",
      `The ${PLAN_LABELS[plan]} plan has ${max} seat${max === 1 ? "" : "s"}, and ${taken} ${taken === 1 ? "is" : "are"} taken ` +
        `(${used.members} member${used.members === 1 ? "" : "s"}, ${used.pendingInvites} pending invite${used.pendingInvites === 1 ? "" : "s"}). ` +
        "Revoke an invite, remove a member, or move to a larger plan.",
    );
}

export function canUseApiAccess(plan: PlanName): boolean {
  return PLANS[plan].canUseApiAccess;
}

export function checkApiAccess(plan: PlanName): void {
  if (!canUseApiAccess(plan))
    throw new DomainError(
      "forbidden",
      `API keys do not work on the ${PLAN_LABELS[plan]} plan; API access comes with Growth and Agency.`,
    );
}

// --- invites ------------------------------------------------------------------------------------

export const INVITE_TTL_DAYS = 7;

export function inviteExpiry(now: Date, days = INVITE_TTL_DAYS): number {
  return now.getTime() + days * DAY;
}

export type InviteStatus = "pending" | "accepted" | "revoked" | "expired";

export function inviteStatus(
  invite: { acceptedAt: number | null; revokedAt: number | null; expiresAt: number },
  now: Date,
): InviteStatus {
  if (invite.acceptedAt !== null) return "accepted";
  if (invite.revokedAt !== null) return "revoked";
  if (invite.expiresAt <= now.getTime()) return "expired";
  return "pending";
}

/** Refuses an invite link that is not pending, saying why. */
export function checkInviteUsable(status: InviteStatus): void {
  const why: Record<Exclude<InviteStatus, "pending">, string> = {
    accepted: "This invite link has already been used. Ask the workspace admin for a new one.",
    revoked: "This invite was revoked. Ask the workspace admin for a new one.",
    expired: "This invite link has expired. Ask the workspace admin for a new one.",
  };
  if (status !== "pending") throw new DomainError("conflict", why[status]);
}

export function checkInviteRole(role: Role): void {
  if (role === "owner")
    throw new DomainError(
      "invalid_input",
      "Nobody is invited as owner: invite them as admin, then transfer ownership.",
    );
}

// --- sessions -----------------------------------------------------------------------------------

/** Sliding: every use moves the expiry to 14 days after it. */
export const SESSION_TTL_MS = 14 * DAY;
/** A session's last-seen time (and so its expiry) is written at most this often. */
export const SESSION_TOUCH_MS = MINUTE;
/** An API key's last-used time is written at most this often, so reads do not write each time. */
export const API_KEY_TOUCH_MS = MINUTE;

// --- sign-in throttling -------------------------------------------------------------------------

export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}
/** Failures for one e-mail address, from wherever they come: guessing one person's password. */
export const LOGIN_THROTTLE: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
};
/**
 * Failures from one client address, over every e-mail tried from it: guessing across accounts.
 * Higher than an e-mail's, since an agency's whole office may sign in from one address (a shared
 * NAT): one person's typos must not lock their colleagues out.
 */
export const CLIENT_THROTTLE: ThrottlePolicy = {
  maxFailures: 50,
  windowMs: 15 * MINUTE,
  lockMs: 15 * MINUTE,
};

export interface ThrottleState {
  windowStart: number;
  failures: number;
  lockedUntil: number | null;
}

/** The state after one more failure: a new window when the old one is over, a lock at the limit. */
export function afterFailure(
  state: ThrottleState | undefined,
  now: Date,
  policy: ThrottlePolicy = LOGIN_THROTTLE,
): ThrottleState {
  const t = now.getTime();
  const fresh = !state || t - state.windowStart >= policy.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  return {
    windowStart: fresh ? t : state.windowStart,
    failures,
    lockedUntil: failures >= policy.maxFailures ? t + policy.lockMs : null,
  };
}

/** Takes back one failure counted ahead of an attempt that then succeeded. */
export function afterSuccess(
  state: ThrottleState,
  policy: ThrottlePolicy = LOGIN_THROTTLE,
): ThrottleState {
  const failures = Math.max(0, state.failures - 1);
  return {
    ...state,
    failures,
    lockedUntil: failures >= policy.maxFailures ? state.lockedUntil : null,
  };
}

export function checkNotLocked(state: ThrottleState | undefined, now: Date): void {
  if (!state?.lockedUntil || state.lockedUntil <= now.getTime()) return;
  const minutes = Math.max(1, Math.ceil((state.lockedUntil - now.getTime()) / MINUTE));
  throw new DomainError(
    "rate_limited",
    `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (after ${new Date(state.lockedUntil).toISOString().slice(11, 16)} UTC).`,
  );
}

// --- API keys -----------------------------------------------------------------------------------

export const API_KEY_PREFIX = "atk_";
/** How much of a key stays visible in lists (`atk_` and 8 characters). */
export const API_KEY_VISIBLE = 12;

export const apiKeyPrefix = (key: string): string => key.slice(0, API_KEY_VISIBLE);
export const looksLikeApiKey = (key: string): boolean =>
  key.startsWith(API_KEY_PREFIX) && key.length > API_KEY_VISIBLE && key.length <= 128;

// --- roles --------------------------------------------------------------------------------------

/** Refuses a role change that would leave the workspace with no owner or two. */
export function checkRoleChange(current: Role, next: Role): void {
  if (next === "owner")
    throw new DomainError(
      "invalid_input",
      "A workspace has exactly one owner: use the ownership transfer to make someone owner.",
    );
  if (current === "owner")
    throw new DomainError(
      "conflict",
      "The owner's role changes only by transferring ownership to another member first.",
    );
}

export function checkRemovable(role: Role): void {
  if (role === "owner")
    throw new DomainError(
      "conflict",
      "The owner cannot be removed or leave: transfer ownership to another member first.",
    );
}
