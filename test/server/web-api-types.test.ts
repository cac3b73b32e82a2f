// The web app's API types are generated from the server's routes: a route or schema change that
// was not regenerated (npm run gen:api) fails here instead of in a browser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateWebApiTypes } from "../../scripts/gen-web-api.js";

describe("web/src/api/schema.d.ts", () => {
  it("matches the OpenAPI document the server serves", async () => {
    const committed = readFileSync(
      new URL("../../web/src/api/schema.d.ts", import.meta.url),
      "utf8",
    );
    expect(committed === (await generateWebApiTypes())).toBe(true);
  });
});
