import { describe, expect, it } from "vitest";
import { DomainError } from "../domain/errors.js";
import { toHttpError } from "./errors.js";

/** An error as Fastify and its plugins raise them: a code of their own and an HTTP status. */
const frameworkError = (code: string, statusCode: number, message: string) =>
  Object.assign(new Error(message), { code, statusCode });

describe("errors as the client sees them", () => {
  it("gives a framework error the code of its status, so clients can branch on it", () => {
    expect(toHttpError(frameworkError("FST_SOMETHING_NEW", 413, "Too big."))).toMatchObject({
      status: 413,
      code: "payload_too_large",
      message: "Too big.",
    });
    expect(
      toHttpError(frameworkError("FST_ERR_VALIDATION", 400, "body/x must be string")),
    ).toMatchObject({
      status: 400,
      code: "invalid_input",
    });
  });

  it("hides what went wrong inside a 500, and keeps it for the log", () => {
    const bug = new TypeError("cannot read properties of undefined (reading 'seq')");
    const e = toHttpError(bug);
    expect([e.status, e.code]).toEqual([500, "internal"]);
    expect(e.message).not.toContain("seq");
    expect(e.internal).toBe(bug);
  });

  it("keeps a domain error's code and message", () => {
    const e = toHttpError(new DomainError("not_found", "No workroom room_1 in this workspace."));
    expect(e).toMatchObject({
      status: 404,
      code: "not_found",
      message: "No workroom room_1 in this workspace.",
    });
  });
});
