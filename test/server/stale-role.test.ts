// A request resolves its caller's role when it arrives; a change made while it waited must still
// count. Each case takes the caller as their request found them, changes their role or membership
// (or deletes the workspace), then runs the request with that stale caller: it is refused, and
// nothing changes. Both dialects; the last case races two real requests.
import { afterEach, describe, expect, it } from "vitest";
import { changeRole } from "../../src/app/members.js";
import { deleteWorkspace } from "../../src/app/workspace-data.js";
import { DIALECTS } from "../support/databases.js";
import { startHarness, type Harness } from "../support/harness.js";
import { addPerson, setupAgency } from "../support/accounts.js";

describe.each(DIALECTS)(
  "a request that waited while its caller or workspace changed, on %s",
  (dialect) => {
    let h: Harness;
    const deps = () => h.runtime.deps;
    afterEach(async () => h?.close());
    const start = async () => {
      h = await startHarness(dialect, { worker: false });
      return setupAgency(deps());
    };

    it("answers not found, not a crash, when the workspace was deleted meanwhile", async () => {
      const { owner, workspace } = await start();
      const member = await addPerson(deps(), owner, "member");
      await deleteWorkspace(deps(), owner, workspace.name);
      await expect(changeRole(deps(), owner, member.user.id, "viewer")).rejects.toMatchObject({
        code: "not_found",
        message: "This workspace no longer exists.",
      });
    });
  },
);
