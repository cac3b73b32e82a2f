// Regression: every Hebrew or Chinese room downloaded as `deliverable-vN` (slugify has no
// transliteration for those scripts). The download's Content-Disposition now names the file as
// the web export dialog does (both call exportFilename), with the title's own letters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFilename } from "../../src/domain/naming.js";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";

describe("export file names over HTTP", () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi("sqlite");
  });
  afterAll(async () => api?.close());

  it("sends a Hebrew and a Chinese room's export under names of their own titles", async () => {
    const key = api.people.member.key;
    const names: string[] = [];
    for (const title of ["הצעה לרבעון הרביעי", "提案书 第四季度"]) {
      const { body: room } = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
        key,
        body: proposalRoom({ title }),
      });
      await api.call("POST", `/api/v1/workrooms/${room.id}/start`, { key });
      expect((await api.server.harness.waitFor(room.id, ["completed", "failed"])).state).toBe(
        "completed",
      );
      const res = await fetch(`${api.url}/api/v1/workrooms/${room.id}/exports/pdf`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(res.status).toBe(200);
      const disposition = res.headers.get("content-disposition")!;
      const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)!;
      const name = decodeURIComponent(encoded[1]!);
      expect(name).toBe(exportFilename(title, 1, "pdf"));
      names.push(name, /filename="([^"]*)"/.exec(disposition)![1]!);
    }
    // Clients that read only the ASCII name get a readable one, not a row of underscores.
    expect(names).toEqual([
      "הצעה-לרבעון-הרביעי-v1.pdf",
      "deliverable-v1.pdf",
      "提案书-第四季度-v1.pdf",
      "deliverable-v1.pdf",
    ]);
  }, 60_000);
});
