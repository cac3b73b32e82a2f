// An integrator's generated client knows only the statuses the OpenAPI document lists: every
// refusal below was answered by the server but missing from its operation's responses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiResponse, type ApiWorld } from "../support/api.js";

interface OpenApi {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
}

describe("statuses the server answers are in its OpenAPI document", () => {
  let api: ApiWorld;
  let doc: OpenApi;
  beforeAll(async () => {
    api = await startApi("sqlite");
    doc = (await api.call<OpenApi>("GET", "/api/v1/openapi.json")).body;
  });
  afterAll(async () => api?.close());
  const key = () => api.people.member.key;

  /** The response's status, and whether the document lists it for the operation. */
  const documented = (method: string, template: string, res: ApiResponse) => [
    res.status,
    Object.keys(doc.paths[template]?.[method.toLowerCase()]?.responses ?? {}).includes(
      String(res.status),
    ),
  ];

  it("409 for an export before the first round", async () => {
    const room = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
      key: key(),
      body: { title: "Aurora Coffee — Q4", deliverables: ["Proposal"] },
    });
    const res = await api.call("GET", `/api/v1/workrooms/${room.body.id}/exports/docx`, {
      key: key(),
    });
    expect(documented("GET", "/api/v1/workrooms/{id}/exports/{format}", res)).toEqual([409, true]);
  });

  it("404 for a workroom created with an unknown agent", async () => {
    const res = await api.call("POST", "/api/v1/workrooms", {
      key: key(),
      body: { title: "x", deliverables: ["a"], agent_ids: ["agt_nope"] },
    });
    expect(documented("POST", "/api/v1/workrooms", res)).toEqual([404, true]);
  });

  it("415 for a body that is not multipart on each upload route", async () => {
    const agent = await api.call<{ id: string }>("POST", "/api/v1/agents", {
      key: key(),
      body: { name: "Writer" },
    });
    const uploads: [string, string][] = [
      ["/api/v1/workrooms/uploads", "/api/v1/workrooms/uploads"],
      ["/api/v1/workrooms/uploads/blocks", "/api/v1/workrooms/uploads/blocks"],
      [
        `/api/v1/agents/${agent.body.id}/style/extract/uploads`,
        "/api/v1/agents/{id}/style/extract/uploads",
      ],
    ];
    for (const [path, template] of uploads) {
      const text = await api.call("POST", path, {
        key: key(),
        headers: { "content-type": "text/plain" },
      });
      // JSON where a form is expected is the same mistake as a form where JSON is expected.
      const json = await api.call("POST", path, { key: key(), body: { title: "x" } });
      expect([
        path,
        documented("POST", template, text),
        documented("POST", template, json),
      ]).toEqual([path, [415, true], [415, true]]);
    }
  });

  it("400 for signing out with an API key", async () => {
    const res = await api.call("DELETE", "/api/v1/session", { key: key() });
    expect(documented("DELETE", "/api/v1/session", res)).toEqual([400, true]);
  });

  it("404 for X-Atelya-Workspace naming a workspace you are not in, on any workspace route", async () => {
    for (const path of ["/api/v1/workrooms", "/api/v1/credits", "/api/v1/workspace"]) {
      const res = await api.call("GET", path, {
        as: api.people.member,
        headers: { "x-atelya-workspace": api.outsider.workspaceId },
      });
      expect([path, ...documented("GET", path, res)]).toEqual([path, 404, true]);
    }
  });
});
