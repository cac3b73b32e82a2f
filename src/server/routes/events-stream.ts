// Live events as Server-Sent Events: one room's history, or every room of the caller's workspace.
// A client resumes with `Last-Event-ID` (EventSource sends it by itself on reconnect) or, when it
// cannot set headers, `?last_event_id=`. Authorization and not_found happen before the stream
// opens, so a refused request gets the usual JSON error.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { DomainError } from "../../domain/errors.js";
import { MAX_EVENT_SEQ } from "../../domain/types.js";
import { openRoomStream, openWorkspaceStream, streamAccess } from "../../app/streams.js";
import type { Principal } from "../principal.js";
import { defineRoute, type Route } from "../route.js";

const ResumeQuery = z.object({
  last_event_id: z
    .string()
    .optional()
    .describe("Resume after this event id, for clients that cannot send the Last-Event-ID header."),
});

const EVENT_FORMAT =
  "Each message is `id`, `event` (the history event's type, e.g. `state.changed`, `task.succeeded`) and `data` (a JSON StreamEvent: workroom_id, seq, type, actor, data, at). A comment line every 15 s keeps the connection open.";

function lastEventId(request: FastifyRequest, query: { last_event_id?: string | undefined }) {
  const header = request.headers["last-event-id"];
  const value = (typeof header === "string" ? header : undefined) ?? query.last_event_id;
  return value === undefined || value.trim() === "" ? null : value.trim();
}

/** How the stream's caller signed in, asked again while the stream stays open. */
const holder = (p: Principal) =>
  p.kind === "session"
    ? { kind: "session" as const, sessionId: p.sessionId }
    : { kind: "api_key" as const, keyHash: p.keyHash };

const SEQ = /^\d{1,15}$/;
const isSeq = (text: string) => SEQ.test(text) && Number(text) <= MAX_EVENT_SEQ;

function parseRoomResume(value: string | null): number {
  if (value === null) return 0;
  if (!isSeq(value))
    throw new DomainError(
      "invalid_input",
      `Last-Event-ID of a room stream is the seq of its last event (a whole number up to ${MAX_EVENT_SEQ}), not "${value}".`,
    );
  return Number(value);
}

function parseWorkspaceResume(value: string | null): { workroomId: string; seq: number } | null {
  if (value === null) return null;
  const at = value.lastIndexOf(":");
  const seq = value.slice(at + 1);
  if (at <= 0 || !isSeq(seq))
    throw new DomainError(
      "invalid_input",
      `Last-Event-ID of the workspace stream is "<workroom id>:<seq>" of its last event (seq up to ${MAX_EVENT_SEQ}), not "${value}".`,
    );
  return { workroomId: value.slice(0, at), seq: Number(seq) };
}

const roomStream = defineRoute({
  method: "GET",
  path: "/api/v1/workrooms/:id/stream",
  operationId: "streamWorkroom",
  summary: "Follow one workroom's history live (Server-Sent Events)",
  description: `Without Last-Event-ID the whole history is sent first, then live events; with it, only the events after that seq. ${EVENT_FORMAT} Message ids are the event's seq.`,
  tags: ["events"],
  auth: "workspace",
  errors: ["503"],
  action: "workroom.read",
  params: z.object({ id: z.string() }),
  query: ResumeQuery,
  response: {
    kind: "stream",
    contentType: "text/event-stream",
    description: "The room's history events, as they happen",
  },
  handler: async ({ deps, principal, actor, params, query, request, reply }) => {
    const after = parseRoomResume(lastEventId(request, query));
    const room = await openRoomStream(deps, actor, params.id);
    const access = streamAccess(deps, holder(principal), actor);
    await request.server.streams.serveRoom(reply, room, after, access);
  },
});

const workspaceStream = defineRoute({
  method: "GET",
  path: "/api/v1/stream",
  operationId: "streamWorkspace",
  summary: "Follow every workroom of the workspace live (Server-Sent Events)",
  description: `Live events of every room, including rooms created after the stream opened (\`workroom.created\`) and state changes (\`state.changed\`). Without Last-Event-ID the stream starts from now; with it, the workspace's history after that event is sent first. ${EVENT_FORMAT} Message ids are \`<workroom id>:<seq>\`.`,
  tags: ["events"],
  auth: "workspace",
  errors: ["503"],
  action: "workroom.read",
  query: ResumeQuery,
  response: {
    kind: "stream",
    contentType: "text/event-stream",
    description: "The workspace's history events, as they happen",
  },
  handler: async ({ deps, principal, actor, query, request, reply }) => {
    const resume = parseWorkspaceResume(lastEventId(request, query));
    const { workspaceId, after } = await openWorkspaceStream(deps, actor, resume);
    const access = streamAccess(deps, holder(principal), actor);
    await request.server.streams.serveWorkspace(reply, workspaceId, after, access);
  },
});

export const routes: readonly Route[] = [roomStream, workspaceStream];
