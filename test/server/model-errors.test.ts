// QA: a model without a provider key answered 502 model_error on a charged call, where the docs
// promise 422 model_unavailable for requests that cannot be carried out.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelUnavailableError, ProviderError } from "../../src/models/errors.js";
import { startApi, type ApiWorld } from "../support/api.js";

interface ErrorBody {
  error: { code: string; message: string; request_id: string };
}

describe("model failures on a charged call", () => {
  let failure: Error | undefined;
  let api: ApiWorld;
  let agentId: string;
  beforeAll(async () => {
    api = await startApi("sqlite", { harness: { model: { fail: () => failure } } });
    const agent = await api.call<{ id: string }>("POST", "/api/v1/agents", {
      key: api.people.owner.key,
      body: { name: "Writer", role_description: "Writes" },
    });
    agentId = agent.body.id;
  });
  afterAll(async () => api?.close());

  const extract = () =>
    api.call<ErrorBody>("POST", `/api/v1/agents/${agentId}/style/extract`, {
      key: api.people.owner.key,
      body: { samples: [{ content: "Dear Ana, thanks for the call." }] },
    });

  it("answers a model without a provider key with 422 model_unavailable", async () => {
    failure = new ModelUnavailableError(
      "No API key for anthropic: add one in Settings → Models, or pick another model.",
    );
    const res = await extract();
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("model_unavailable");
    expect(res.body.error.message).toContain("No API key for anthropic");
  });

  it("keeps a provider's own failure a 502 model_error", async () => {
    failure = new ProviderError("anthropic answered 400 bad request", false, 400);
    const res = await extract();
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe("model_error");
  });
});
