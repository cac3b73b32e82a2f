// Branded identifiers: a task id cannot be passed where a workroom id is expected.
declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

export type WorkspaceId = Brand<string, "WorkspaceId">;
export type WorkroomId = Brand<string, "WorkroomId">;
export type AgentId = Brand<string, "AgentId">;
export type TaskId = Brand<string, "TaskId">;
export type StepId = Brand<string, "StepId">;
export type PlanId = Brand<string, "PlanId">;
export type UserId = Brand<string, "UserId">;

/** The prefix each kind of id carries, so an id says what it names (`room_…`, `task_…`). */
export const ID_PREFIX = {
  workspace: "ws",
  workroom: "room",
  agent: "agt",
  task: "task",
  step: "step",
  plan: "plan",
  user: "usr",
  input: "in",
  draft: "draft",
  revision: "rev",
  call: "call",
  session: "ses",
  invite: "inv",
  apiKey: "key",
  webhook: "whk",
  delivery: "dlv",
} as const;
export type IdKind = keyof typeof ID_PREFIX;
