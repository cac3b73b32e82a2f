// The workspace's secrets: one JSON object, sealed whole, in `workspaces.secrets` ("" when none).
// Today it holds the provider keys and base URLs of model settings.
import type { ProviderCredentials } from "../models/config.js";
import { json, parseJson, type Exec } from "./exec.js";

export interface WorkspaceSecrets {
  providers?: ProviderCredentials;
}

/** The workspace's secrets (opened), or undefined when the workspace does not exist. */
export async function readSecrets(
  ex: Exec,
  workspaceId: string,
): Promise<WorkspaceSecrets | undefined> {
  const row = await ex.db
    .selectFrom("workspaces")
    // Selected as workspace_id so the read-side plugin refuses a value sealed for another one.
    .select(["secrets", "id as workspace_id"])
    .where("id", "=", workspaceId)
    .executeTakeFirst();
  if (!row) return undefined;
  return row.secrets === "" ? {} : parseJson<WorkspaceSecrets>(row.secrets);
}

export async function writeSecrets(
  ex: Exec,
  workspaceId: string,
  secrets: WorkspaceSecrets,
): Promise<void> {
  await ex.db
    .updateTable("workspaces")
    .set({ secrets: ex.seal(workspaceId, json(secrets)) })
    .where("id", "=", workspaceId)
    .execute();
}

/** What the model gateway uses for the workspace's calls; undefined when it has set nothing. */
export async function providerCredentials(
  ex: Exec,
  workspaceId: string,
): Promise<ProviderCredentials | undefined> {
  return (await readSecrets(ex, workspaceId))?.providers;
}
