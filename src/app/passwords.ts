// Changing a password: one's own (the current password proves it), or an operator's reset from
// the CLI. Either way the person's other sessions end, so a leaked session dies with the old password.
import { checkPassword, normaliseEmail } from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { clearThrottle, deleteUserSessions } from "../store/sessions.js";
import { findUser, findUserByEmail, setPasswordHash, type User } from "../store/users.js";
import { provePassword } from "./accounts.js";
import type { AppDeps } from "./context.js";
import { hashPassword } from "./credentials.js";

/**
 * Changes one's own password; every other session is signed out. The current password is checked
 * as a sign-in is (`provePassword`): failures count toward the same lock per e-mail and per client
 * address (`ip`), else a stolen session could guess the password without limit.
 */
export async function changePassword(
  deps: AppDeps,
  session: { sessionId: string; userId: string },
  input: { current: string; next: string; ip: string },
): Promise<void> {
  checkPassword(input.next);
  const user = await findUser(poolExec(deps), session.userId);
  if (!user) throw new DomainError("unauthorized", "Sign in again to change your password.");
  try {
    await provePassword(deps, { email: user.email, password: input.current, ip: input.ip });
  } catch (e) {
    // Still signed in: a wrong password here is refused (403), not a lost session (401).
    if (e instanceof DomainError && e.code === "unauthorized")
      throw new DomainError("forbidden", "The current password is wrong.");
    throw e;
  }
  const hash = await hashPassword(input.next);
  await withTx(deps, async (tx) => {
    await setPasswordHash(tx.ex, session.userId, hash, tx.now);
    await deleteUserSessions(tx.ex, session.userId, session.sessionId);
  });
}

/** Sets a person's password from the CLI (an operator's recovery path) and signs them out everywhere. */
export async function resetPassword(
  deps: AppDeps,
  input: { email: string; password: string },
): Promise<User> {
  checkPassword(input.password);
  const ex = poolExec(deps);
  const user = await findUserByEmail(ex, normaliseEmail(input.email));
  if (!user) throw new DomainError("not_found", `No account ${input.email.trim()}.`);
  const hash = await hashPassword(input.password);
  await withTx(deps, async (tx) => {
    await setPasswordHash(tx.ex, user.id, hash, tx.now);
    await deleteUserSessions(tx.ex, user.id);
    await clearThrottle(tx.ex, `email:${user.email}`);
  });
  const { passwordHash: _, ...plain } = user;
  return plain;
}
