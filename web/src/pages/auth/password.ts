// The password rule as people read it on the set-up and invite forms (the server checks the same
// rule, src/domain/accounts.ts, and its message is shown when it refuses).
import { PASSWORD_MAX, PASSWORD_MIN } from "../../../../src/domain/accounts";

export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; a few words you will remember work well.`;
export { PASSWORD_MAX, PASSWORD_MIN };

/** What to say under the fields before sending, or null when they are fine. */
export function passwordProblem(password: string, confirm: string): string | null {
  if (password.length > 0 && password.length < PASSWORD_MIN)
    return `Use at least ${PASSWORD_MIN} characters (${password.length} so far).`;
  if (confirm.length > 0 && confirm !== password) return "The two passwords differ.";
  return null;
}
