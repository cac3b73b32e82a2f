// The agents a new workroom gets: the one rule shared by creating a room and estimating one
// before it is created, so the estimate refuses what the create would.
import { DomainError } from "./errors.js";
import type { Agent } from "./types.js";

/**
 * The workspace's Planner and Composer, then each chosen custom agent once, in the order chosen.
 * An id that is not one of the workspace's custom agents is refused (404, naming it).
 */
export function agentsForNewRoom(all: readonly Agent[], chosen: readonly string[]): Agent[] {
  const custom = new Map<string, Agent>(
    all.filter((a) => a.botType === "custom").map((a) => [a.id, a]),
  );
  const unknown = chosen.filter((id) => !custom.has(id));
  if (unknown.length)
    throw new DomainError("not_found", `No custom agent ${unknown.join(", ")} in this workspace.`);
  const system = all.filter((a) => a.botType !== "custom");
  return [...system, ...[...new Set(chosen)].map((id) => custom.get(id)!)];
}
