// The password rule as people read it on the set-up and invite forms (the server checks the same
// rule, src/domain/accounts.ts, and its message is shown when it refuses).
import { PASSWORD_MAX, PASSWORD_MIN } from "../../../../src/domain/accounts";

export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; a few words you will remember work well.`;
export { PASSWORD_MAX, PASSWORD_MIN };

/**
 * What to say under each field before sending (null when it is fine): a short password under
 * Password, a mismatch under Confirm password.
 */
export function passwordProblems(
  password: string,
  confirm: string,
): { password: string | null; confirm: string | null } {
  return {
    password:
      password.length > 0 && password.length < PASSWORD_MIN
        ? `Use at least ${PASSWORD_MIN} characters (${password.length} so far).`
        : null,
    confirm: confirm.length > 0 && confirm !== password ? "The two passwords differ." : null,
  };
}
