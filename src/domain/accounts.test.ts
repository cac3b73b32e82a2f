import { describe, expect, it } from "vitest";
import {
  afterFailure,
  afterSuccess,
  apiKeyPrefix,
  checkNotLocked,
  checkPassword,
  checkRoleChange,
  checkSeat,
  inviteStatus,
  looksLikeApiKey,
  normaliseEmail,
} from "./accounts.js";
import { isDomainError } from "./errors.js";

const codeOf = (fn: () => void): string | undefined => {
  try {
    fn();
  } catch (e) {
    return isDomainError(e) ? e.code : "not a DomainError";
  }
  return undefined;
};

describe("accounts rules", () => {
  it("normalises e-mail addresses and refuses what is not one", () => {
    expect(normaliseEmail("  Dana@Example.COM ")).toBe("dana@example.com");
    expect(codeOf(() => normaliseEmail("dana"))).toBe("invalid_input");
  });

  it("asks for passwords of at least 10 characters", () => {
    expect(() => checkPassword("short")).toThrow(/at least 10 characters/);
    expect(codeOf(() => checkPassword("long enough pass"))).toBeUndefined();
  });

  it("counts members and pending invites against the plan's seats", () => {
    expect(codeOf(() => checkSeat("starter", { members: 1, pendingInvites: 0 }))).toBeUndefined();
    expect(() => checkSeat("starter", { members: 1, pendingInvites: 1 })).toThrow(
      /Starter plan has 2 seats/,
    );
    expect(codeOf(() => checkSeat("agency", { members: 500, pendingInvites: 20 }))).toBeUndefined();
  });

  it("tells pending, used, revoked and expired invites apart", () => {
    const now = new Date(1_000_000);
    const base = { acceptedAt: null, revokedAt: null, expiresAt: 2_000_000 };
    expect(inviteStatus(base, now)).toBe("pending");
    expect(inviteStatus({ ...base, acceptedAt: 5 }, now)).toBe("accepted");
    expect(inviteStatus({ ...base, revokedAt: 5 }, now)).toBe("revoked");
    expect(inviteStatus({ ...base, expiresAt: 1_000_000 }, now)).toBe("expired");
  });

  it("locks after 5 failures in 15 minutes and starts a new window after", () => {
    let s = undefined;
    const t0 = Date.UTC(2026, 0, 1, 9);
    for (let i = 0; i < 4; i++) s = afterFailure(s, new Date(t0 + i * 60_000));
    expect(s!.lockedUntil).toBeNull();
    s = afterFailure(s, new Date(t0 + 5 * 60_000));
    expect(s.lockedUntil).toBe(t0 + 20 * 60_000);
    expect(() => checkNotLocked(s, new Date(t0 + 6 * 60_000))).toThrow(/Try again in 14 minutes/);
    expect(codeOf(() => checkNotLocked(s, new Date(t0 + 20 * 60_000)))).toBeUndefined();
    expect(afterFailure(s, new Date(t0 + 30 * 60_000)).failures).toBe(1);
  });

  it("takes back the failure counted ahead of an attempt that succeeded", () => {
    const t = new Date(Date.UTC(2026, 0, 1));
    let s = afterFailure(undefined, t);
    for (let i = 0; i < 4; i++) s = afterFailure(s, t);
    expect(s.lockedUntil).not.toBeNull();
    expect(afterSuccess(s)).toMatchObject({ failures: 4, lockedUntil: null });
  });

  it("keeps exactly one owner through role changes", () => {
    expect(codeOf(() => checkRoleChange("admin", "owner"))).toBe("invalid_input");
    expect(codeOf(() => checkRoleChange("owner", "admin"))).toBe("conflict");
    expect(codeOf(() => checkRoleChange("member", "admin"))).toBeUndefined();
  });

  it("shows the first 12 characters of an API key", () => {
    expect(apiKeyPrefix("atk_abcdefghijklmnop")).toBe("atk_abcdefgh");
    expect(looksLikeApiKey("atk_abcdefghijklmnop")).toBe(true);
    expect(looksLikeApiKey("sk-abcdefghijklmnop")).toBe(false);
  });
});
