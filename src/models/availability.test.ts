// A model that cannot be used fails before anything is reserved or sent, saying what to do.
import { describe, expect, it } from "vitest";
import { ModelUnavailableError } from "./errors.js";
import { createModelGateway } from "./router.js";

describe("a model that cannot be used", () => {
  it("fails before any reservation when its provider has no key", async () => {
    const reserved: unknown[] = [];
    const failure = await createModelGateway({ config: {} })
      .generateText({
        model: "anthropic:claude-sonnet-4-5",
        system: "",
        messages: [{ role: "user", content: "hi" }],
        maxOutputTokens: 10,
        purpose: "task",
        beforeCall: async (w) => void reserved.push(w),
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelUnavailableError);
    expect((failure as Error).message).toContain("ANTHROPIC_API_KEY");
    expect(reserved).toEqual([]);
  });

  it.each([
    ["mistral:large", /Unknown model provider "mistral"/],
    ["scripted", /scripted test model/],
    ["local:/nowhere/model.gguf", /Local models are not enabled/],
  ])("refuses %s with what to do instead", async (model, message) => {
    const failure = await createModelGateway({ config: { openai: { apiKey: "k" } } })
      .generateText({
        model,
        system: "",
        messages: [{ role: "user", content: "hi" }],
        maxOutputTokens: 10,
        purpose: "task",
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ModelUnavailableError);
    expect((failure as Error).message).toMatch(message);
  });
});
