// A client that uploads files to make a workroom, loses the response (a server killed mid-answer)
// and retries makes one room, not two, as with a JSON create: the same form with the same
// `Idempotency-Key` answers the first room (`Idempotent-Replayed`); the key with another form
// (another field, another file's contents, or a JSON create) is refused with 409. On both stores,
// with concurrent retries. The key was ignored: each retry made a room.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type ApiWorld } from "../support/api.js";
import { makeDocx } from "../support/files.js";

interface Room {
  id: string;
  title: string;
}
interface ErrorBody {
  error: { code: string; message: string };
}

const workroom = (title: string) => ({ title, deliverables: ["Proposal"] });

describe.each(["sqlite", "postgres"] as const)(
  "creating a workroom from files once (%s)",
  (dialect) => {
    let api: ApiWorld;
    let docx: Uint8Array;
    beforeAll(async () => {
      api = await startApi(dialect);
      docx = await makeDocx(["Brief", "Aurora Coffee wants a Q4 loyalty proposal."]);
    });
    afterAll(async () => api?.close());

    async function upload(
      title: string,
      key: string | undefined,
      o: { kinds?: string; file?: Uint8Array | string; apiKey?: string } = {},
    ) {
      const form = new FormData();
      form.set("workroom", JSON.stringify(workroom(title)));
      if (o.kinds) form.set("kinds", o.kinds);
      form.append("files", new Blob([o.file ?? docx]), "brief.docx");
      const res = await fetch(`${api.url}/api/v1/workrooms/uploads`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${o.apiKey ?? api.people.member.key}`,
          ...(key ? { "idempotency-key": key } : {}),
        },
        body: form,
      });
      return {
        status: res.status,
        replayed: res.headers.get("idempotent-replayed"),
        body: (await res.json()) as Room & ErrorBody,
      };
    }
    const titles = async () =>
      (
        await api.call<{ items: Room[] }>("GET", "/api/v1/workrooms?limit=100", {
          key: api.people.member.key,
        })
      ).body.items.map((r) => r.title);

    it("answers a retried upload with the room the first one made", async () => {
      const first = await upload("Retried upload", "upload-1");
      expect(first.status).toBe(201);
      expect(first.replayed).toBeNull();
      const again = await upload("Retried upload", "upload-1");
      expect(again.status).toBe(201);
      expect(again.replayed).toBe("true");
      expect(again.body.id).toBe(first.body.id);
      expect((await titles()).filter((t) => t === "Retried upload")).toHaveLength(1);
    });

    it("refuses the key with another form, another file or a JSON create, and makes nothing", async () => {
      await upload("Keyed upload", "upload-2");
      const otherTitle = await upload("Another title", "upload-2");
      expect(otherTitle.status).toBe(409);
      expect(otherTitle.body.error.message).toContain("use a new key for a new workroom");
      const otherKinds = await upload("Keyed upload", "upload-2", { kinds: "brief" });
      expect(otherKinds.status).toBe(409);
      // Another file under the same name is another request (its contents are hashed).
      const otherFile = await upload("Keyed upload", "upload-2", {
        file: await makeDocx(["Brief", "Aurora Coffee wants a Q4 loyalty proposal.", ""]),
      });
      expect(otherFile.status).toBe(409);
      const json = await api.call<ErrorBody>("POST", "/api/v1/workrooms", {
        key: api.people.member.key,
        body: { ...workroom("Keyed upload"), inputs: [{ kind: "brief", content: "Text." }] },
        headers: { "idempotency-key": "upload-2" },
      });
      expect(json.status).toBe(409);
      expect((await titles()).filter((t) => t === "Keyed upload")).toHaveLength(1);
      expect(await titles()).not.toContain("Another title");
    });

    it("makes one room of concurrent retries", async () => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => upload("Concurrent upload", "upload-3")),
      );
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      expect(answers.filter((a) => a.replayed === "true")).toHaveLength(4);
      expect((await titles()).filter((t) => t === "Concurrent upload")).toHaveLength(1);
    });

    it("makes a room per upload without a key, and keeps keys apart between workspaces", async () => {
      await upload("Unkeyed upload", undefined);
      await upload("Unkeyed upload", undefined);
      expect((await titles()).filter((t) => t === "Unkeyed upload")).toHaveLength(2);
      const mine = await upload("Shared key upload", "upload-4");
      const theirs = await upload("Shared key upload", "upload-4", { apiKey: api.outsider.key });
      expect(theirs.status).toBe(201);
      expect(theirs.replayed).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  },
);
