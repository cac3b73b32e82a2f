// POST /api/v1/workrooms/uploads over real HTTP: .txt, .md, .docx and .pdf files become text
// blocks next to the pasted ones; the server's file limits and the domain's input limits give
// 413s naming them; unsupported and unreadable files give 400s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { makeDocx, makePdf } from "../support/files.js";
import { listInputs } from "../../src/store/workrooms.js";
import { poolExec } from "../../src/engine/deps.js";
import type { WorkspaceId } from "../../src/domain/ids.js";

interface ErrorBody {
  error: { code: string; message: string };
}

const FILE_LIMIT = 200_000;

describe("workroom uploads", () => {
  let api: ApiWorld;
  beforeAll(async () => {
    api = await startApi("sqlite", { config: { uploadFileLimit: FILE_LIMIT, uploadMaxFiles: 4 } });
  });
  afterAll(async () => api?.close());

  const room = {
    title: "Uploaded material",
    deliverables: ["Recap"],
    inputs: [{ kind: "brief", content: "Write the weekly recap for Aurora Coffee." }],
  };

  async function upload(
    files: { name: string; bytes: Uint8Array | string }[],
    fields: Record<string, string | string[]> = { workroom: JSON.stringify(room) },
    auth: Record<string, string> = { authorization: `Bearer ${api.people.member.key}` },
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields))
      for (const value of [v].flat()) form.append(k, value);
    for (const f of files) form.append("files", new Blob([f.bytes]), f.name);
    const res = await fetch(`${api.url}/api/v1/workrooms/uploads`, {
      method: "POST",
      headers: auth,
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it("turns .txt, .md, .docx and .pdf files into text blocks labelled with their names", async () => {
    const files = [
      { name: "call.txt", bytes: "Dana: the app must work offline in stores." },
      { name: "plan.md", bytes: "# Rollout\n\n- pilot in three stores\n- January launch" },
      { name: "scope.docx", bytes: await makeDocx(["Scope", "SSO with the Azure tenant."]) },
      { name: "budget.pdf", bytes: await makePdf([["Budget around 40k euros."]]) },
    ];
    const res = await upload(files, {
      workroom: JSON.stringify(room),
      kinds: "transcript,doc,doc,email",
    });
    expect(res.status).toBe(201);
    expect(res.body.state).toBe("draft");
    const inputs = await listInputs(
      poolExec(api.server.harness.runtime.deps),
      api.workspaceId as WorkspaceId,
      res.body.id as string,
    );
    expect(inputs.map((i) => [i.kind, i.label])).toEqual([
      ["brief", null],
      ["transcript", "call.txt"],
      ["doc", "plan.md"],
      ["doc", "scope.docx"],
      ["email", "budget.pdf"],
    ]);
    expect(inputs[1]!.content).toBe("Dana: the app must work offline in stores.");
    expect(inputs[2]!.content).toContain("- pilot in three stores");
    expect(inputs[3]!.content).toContain("SSO with the Azure tenant.");
    expect(inputs[4]!.content).toContain("Budget around 40k euros.");

    const detail = await api.call<{ inputs: { label: string | null }[] }>(
      "GET",
      `/api/v1/workrooms/${res.body.id as string}`,
      { key: api.people.member.key },
    );
    expect(detail.body.inputs.map((i) => i.label)).toContain("budget.pdf");
  });

  it("makes doc blocks when no kinds are given", async () => {
    const res = await upload([{ name: "notes.txt", bytes: "Plain notes." }]);
    expect(res.status).toBe(201);
    const inputs = await listInputs(
      poolExec(api.server.harness.runtime.deps),
      api.workspaceId as WorkspaceId,
      res.body.id as string,
    );
    expect(inputs.at(-1)).toMatchObject({ kind: "doc", label: "notes.txt" });
  });

  it("refuses a file over the server's limit and too many files with 413", async () => {
    const big = await upload([{ name: "big.txt", bytes: "a".repeat(FILE_LIMIT + 1) }]);
    expect(big.status).toBe(413);
    expect((big.body as unknown as ErrorBody).error.message).toMatch(
      /"big\.txt" is over the upload limit/,
    );
    const many = await upload(
      Array.from({ length: 5 }, (_, i) => ({ name: `n${i}.txt`, bytes: `note ${i}` })),
    );
    expect(many.status).toBe(413);
    expect((many.body as unknown as ErrorBody).error.message).toContain("at most 4 files");
  });

  it("refuses text over the workroom's 100 KB with 413 input_limit", async () => {
    const res = await upload([
      { name: "a.txt", bytes: "a".repeat(60_000) },
      { name: "b.txt", bytes: "b".repeat(60_000) },
    ]);
    expect(res.status).toBe(413);
    expect((res.body as unknown as ErrorBody).error).toMatchObject({
      code: "input_limit",
      message: expect.stringContaining("100 KB"),
    });
  });

  it("refuses unsupported, unreadable and malformed uploads with 400", async () => {
    const cases: [Awaited<ReturnType<typeof upload>>, string][] = [
      [await upload([{ name: "logo.png", bytes: "\x89PNG" }]), ".txt, .md, .docx and .pdf"],
      [await upload([{ name: "broken.pdf", bytes: "%PDF-1.7 nope" }]), "not a valid PDF"],
      [await upload([{ name: "broken.docx", bytes: "PK nope" }]), "not a valid .docx"],
      [await upload([{ name: "x.txt", bytes: "x" }], {}), "no `workroom` field"],
      [await upload([{ name: "x.txt", bytes: "x" }], { workroom: "{nope" }), "not valid JSON"],
      [
        await upload([{ name: "x.txt", bytes: "x" }], { workroom: JSON.stringify({ title: 3 }) }),
        "title",
      ],
      [
        await upload([{ name: "x.txt", bytes: "x" }], {
          workroom: JSON.stringify(room),
          kinds: "invoice",
        }),
        "not an input kind",
      ],
      [
        await upload([{ name: "x.txt", bytes: "x" }], {
          workroom: [JSON.stringify(room), JSON.stringify({ ...room, title: "Other" })],
        }),
        "the workroom field twice",
      ],
    ];
    for (const [res, text] of cases) {
      expect(res.status, text).toBe(400);
      expect((res.body as unknown as ErrorBody).error.message).toContain(text);
    }
    const json = await api.call<ErrorBody>("POST", "/api/v1/workrooms/uploads", {
      key: api.people.member.key,
      body: room,
    });
    expect([json.status, json.body.error.code]).toEqual([415, "unsupported_media_type"]);
    expect(json.body.error.message).toContain("multipart/form-data");
  });

  it("refuses a broken multipart body with 400 and an oversize field with 413", async () => {
    const broken = async (body: string, type = "multipart/form-data; boundary=x") => {
      const res = await fetch(`${api.url}/api/v1/workrooms/uploads`, {
        method: "POST",
        headers: { authorization: `Bearer ${api.people.member.key}`, "content-type": type },
        body,
      });
      return { status: res.status, body: (await res.json()) as ErrorBody };
    };
    for (const res of [
      await broken("garbage"),
      await broken('--x\r\nContent-Disposition: form-data; name="workroom"\r\n\r\n{}'),
      await broken("x", "multipart/form-data"),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("multipart body cannot be read");
    }
    const big = await upload([], {
      workroom: JSON.stringify({ ...room, goal: "x".repeat(1_100_000) }),
    });
    expect(big.status).toBe(413);
    expect((big.body as unknown as ErrorBody).error.message).toContain("workroom field");
  });

  it("refuses a viewer before reading the files", async () => {
    const { cookie, csrf } = api.people.viewer.session;
    const res = await upload([{ name: "x.txt", bytes: "x" }], undefined, {
      cookie,
      "x-csrf-token": csrf,
    });
    expect(res.status).toBe(403);
  });
});
