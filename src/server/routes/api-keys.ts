// Workspace API keys: the whole key is in the answer to create and rotate, and nowhere else.
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "../../app/api-keys.js";
import { CreateApiKeyRequestSchema } from "../../domain/account-requests.js";
import { defineRoute, type Route } from "../route.js";
import {
  ApiKeyListSchema,
  IdParamsSchema,
  IssuedApiKeySchema,
  apiKeyView,
  issuedKeyView,
} from "../views/accounts.js";

const tags = ["api-keys"] as const;

const list = defineRoute({
  method: "GET",
  path: "/api/v1/api-keys",
  operationId: "listApiKeys",
  summary: "Live API keys: yours, or everyone's for owners and admins",
  description: "Shows each key's prefix, name, issuer and last use; never the key itself.",
  tags,
  auth: "workspace",
  action: "apikeys.manage_own",
  response: { kind: "json", schema: ApiKeyListSchema },
  handler: async ({ deps, actor }) => ({
    api_keys: (await listApiKeys(deps, actor)).map(apiKeyView),
  }),
});

const create = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys",
  operationId: "createApiKey",
  summary: "Create an API key (shown once)",
  description:
    "The key acts with your current role in this workspace. Needs a plan with API access (Growth, Agency).",
  tags,
  auth: "workspace",
  action: "apikeys.manage_own",
  body: CreateApiKeyRequestSchema,
  response: { kind: "json", schema: IssuedApiKeySchema, status: 201 },
  handler: async ({ deps, actor, body }) => issuedKeyView(await createApiKey(deps, actor, body)),
});

const rotate = defineRoute({
  method: "POST",
  path: "/api/v1/api-keys/:id/rotate",
  operationId: "rotateApiKey",
  summary: "Give a key a new secret (shown once); the old one stops working at once",
  tags,
  auth: "workspace",
  action: "apikeys.manage_own",
  params: IdParamsSchema,
  response: { kind: "json", schema: IssuedApiKeySchema },
  handler: async ({ deps, actor, params }) =>
    issuedKeyView(await rotateApiKey(deps, actor, params.id)),
});

const revoke = defineRoute({
  method: "DELETE",
  path: "/api/v1/api-keys/:id",
  operationId: "revokeApiKey",
  summary: "Revoke a key",
  tags,
  auth: "workspace",
  action: "apikeys.manage_own",
  params: IdParamsSchema,
  response: { kind: "empty", description: "Revoked." },
  handler: async ({ deps, actor, params }) => {
    await revokeApiKey(deps, actor, params.id);
  },
});

export const routes: readonly Route[] = [list, create, rotate, revoke];
