// Never a 5xx: every workroom, people, revision and export route is called with odd path values,
// nonsense query strings and bodies of every JSON type, against a completed room and unknown ids.
// A response that does not match its schema is also a 500, so this checks the views too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { proposalRoom } from "../support/fixtures.js";
import type { Route } from "../../src/server/route.js";
import { routes as workroomRoutes } from "../../src/server/routes/workrooms.js";
import { routes as peopleRoutes } from "../../src/server/routes/people.js";
import { routes as revisionRoutes } from "../../src/server/routes/revisions.js";
import { routes as exportRoutes } from "../../src/server/routes/exports.js";

const ROUTES: readonly Route[] = [
  ...workroomRoutes,
  ...peopleRoutes,
  ...revisionRoutes,
  ...exportRoutes,
];
const ODD = ["nope", "x".repeat(300), "%E2%82%AC", "..%2F..", "%00", "0", "-1", "1e9"];
const QUERIES = [
  "",
  "?after=-1&limit=abc",
  "?from=x&to=&round=0",
  "?state=,,&cursor=%00&offset=1.5",
  "?limit=99999999999999999999&after=1e400",
];
const BODIES = [undefined, "null", "[]", '"text"', "42", '{"a":{"b":[1]}}', '{"title":null}'];

describe("the workroom routes under odd input", () => {
  let api: ApiWorld;
  let done: { id: string; taskId: string };
  beforeAll(async () => {
    api = await startApi("sqlite");
    const key = api.people.member.key;
    const room = await api.call<{ id: string }>("POST", "/api/v1/workrooms", {
      key,
      body: proposalRoom(),
    });
    await api.call("POST", `/api/v1/workrooms/${room.body.id}/start`, { key });
    await api.server.harness.waitFor(room.body.id, ["completed"]);
    const detail = await api.call<{ tasks: { id: string }[] }>(
      "GET",
      `/api/v1/workrooms/${room.body.id}`,
      { key },
    );
    done = { id: room.body.id, taskId: detail.body.tasks[0]!.id };
  });
  afterAll(async () => api?.close());

  function paths(route: Route): string[] {
    const fill = (values: Record<string, string>) =>
      route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => values[name] ?? "1");
    const real = { id: done.id, taskId: done.taskId, round: "1", format: "pdf", slug: "tighten" };
    return [
      fill(real),
      ...ODD.map((v) => fill({ id: v, taskId: v, round: v, format: v, slug: v })),
    ];
  }

  it("answers every route with a status below 500", async () => {
    const seen: string[] = [];
    let calls = 0;
    for (const route of ROUTES)
      for (const path of paths(route))
        for (const [query, body] of [
          ...QUERIES.map((q) => [q, undefined] as const),
          ...(route.method === "GET" ? [] : BODIES.map((b) => ["", b] as const)),
        ]) {
          const res = await fetch(`${api.url}${path}${query}`, {
            method: route.method,
            headers: {
              authorization: `Bearer ${api.people.admin.key}`,
              ...(body !== undefined ? { "content-type": "application/json" } : {}),
            },
            ...(body !== undefined ? { body } : {}),
          });
          await res.arrayBuffer();
          calls++;
          if (res.status >= 500) seen.push(`${res.status} ${route.method} ${path}${query} ${body}`);
        }
    expect(seen).toEqual([]);
    expect(calls).toBeGreaterThan(1_000);
  });
});
