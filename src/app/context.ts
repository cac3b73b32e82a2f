// What every use case receives: the engine's dependencies and who is acting.
import { DomainError } from "../domain/errors.js";
import type { WorkspaceId } from "../domain/ids.js";
import { can, type Action, type Role } from "../domain/roles.js";
import type { EngineDeps } from "../engine/deps.js";

export type AppDeps = EngineDeps;

export interface Actor {
  /** `usr_…`, `key_…` or `cli` */
  id: string;
  workspaceId: WorkspaceId;
  role: Role;
}

/** The one permission check of every use case. */
export function authorize(actor: Actor, action: Action): void {
  if (!can(actor.role, action))
    throw new DomainError(
      "forbidden",
      `Your role (${actor.role}) does not allow ${action.replace(".", ": ")}. Ask an owner or admin.`,
    );
}
