// Changing a password: one's own (the current password proves it), or an operator's reset from
// the CLI. Either way the person's other sessions end, so a leaked session dies with the old password.
import { checkPassword, normaliseEmail } from "../domain/accounts.js";
import { DomainError } from "../domain/errors.js";
import { poolExec } from "../engine/deps.js";
import { withTx } from "../engine/tx.js";
import { clearThrottle, deleteUserSessions } from "../store/sessions.js";
import { findUser, findUserByEmail, setPasswordHash, type User } from "../store/users.js";
import type { AppDeps } from "./context.js";
import { hashPassword, verifyPassword } from "./credentials.js";

/** Changes one's own password (the current one proves it); every other session is signed out. */
export async function changePassword(
  deps: AppDeps,
  session: { sessionId: string; userId: string },
  input: { current: string; next: string },
): Promise<void> {
  checkPassword(input.next);
  const ex = poolExec(deps);
  const user = await findUser(ex, session.userId);
  const stored = user && (await findUserByEmail(ex, user.email));
  if (!stored || !(await verifyPassword(input.current, stored.passwordHash)))
    throw new DomainError("forbidden", "The current password is wrong.");
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
