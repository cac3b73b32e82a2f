// Server-Sent Events: one hub per server follows the bus once and fans history events out to every
// open stream. Clients are indexed by room and by workspace; when a room's history grows
// (`room_changed`, which on PostgreSQL arrives from every process over LISTEN/NOTIFY) the hub reads
// the new events ONCE from the store, formats each message once, and writes it to every interested
// client, so 1,000 followers of a room cost one query and 1,000 socket writes per event.
//
// No gaps, no duplicates: a connecting client is registered (and starts buffering live events)
// BEFORE its backlog is read from the history; the backlog is written, then the buffer, and every
// write is filtered by the last seq the client has of that room. A room's seq is gapless and
// commit-ordered (appends lock the room row), so "everything after my last seq" is exact. That
// also makes a bus reconnect harmless: streams stay open and every followed room is read again.
//
// A stream lasts longer than the request that opened it: before writing live events (and every few
// seconds while idle) the hub asks again whether its caller still may read the workspace (session
// not signed out, key not revoked, still a member). The answer is shared by the streams of one
// caller and kept `accessTtlMs`; a "no" ends the stream. Every replica asks the database itself.
import type { ServerResponse } from "node:http";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { AppDeps } from "../app/context.js";
import type { StreamAccess } from "../app/streams.js";
import type { HistoryEvent, Workroom } from "../domain/types.js";
import type { BusMessage } from "../engine/bus.js";
import { poolExec } from "../engine/deps.js";
import { listEvents } from "../store/events.js";
import { listWorkspaceEvents, roomPositions, type FeedPosition } from "../store/event-feed.js";
import { errorBody } from "./errors.js";
import { toStreamEventView } from "./views/stream-events.js";

const PAGE = 500;

type RoomRef = Pick<Workroom, "id" | "workspaceId">;

export interface HubOptions {
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs?: number;
  /** A client this far behind (bytes unsent) is dropped; it resumes with Last-Event-ID. */
  maxBufferedBytes?: number;
  /** How long a caller's "still allowed" answer is trusted before it is asked again (and how
   *  often idle streams are checked). 0 asks before every write (tests). */
  accessTtlMs?: number;
}

/** One caller's answer to "may you still read?": asked at `at`, shared by their streams. */
interface Grant {
  at: number;
  answer: Promise<boolean>;
}

interface Pending {
  roomId: string;
  seq: number;
  message: Message;
}

interface Client {
  reply: FastifyReply;
  raw: ServerResponse;
  /** Asked again while the stream is open: a caller signed out or removed loses it. */
  access: StreamAccess;
  workspaceId: string;
  /** The room followed, or null for the whole workspace. */
  roomId: string | null;
  /** The last seq this client has, per room. */
  seen: Map<string, number>;
  /** False until a workspace client knows where each room stands (it then counts for reads). */
  positioned: boolean;
  /** Live events that arrived while the backlog was being written. */
  buffer: Pending[] | null;
  /** Headers sent (until then nothing may be written, and errors are still JSON answers). */
  started: boolean;
  closed: boolean;
}

/** One history event, formatted lazily for each kind of stream (once, whatever the fan-out). */
class Message {
  private data?: string;
  private room?: string;
  private workspace?: string;
  constructor(private readonly event: HistoryEvent) {}
  private json(): string {
    return (this.data ??= JSON.stringify(toStreamEventView(this.event)));
  }
  forRoom(): string {
    return (this.room ??= `id: ${this.event.seq}\nevent: ${this.event.type}\ndata: ${this.json()}\n\n`);
  }
  forWorkspace(): string {
    return (this.workspace ??= `id: ${this.event.workroomId}:${this.event.seq}\nevent: ${this.event.type}\ndata: ${this.json()}\n\n`);
  }
}

interface Feed {
  workspaceId: string;
  running: boolean;
  again: boolean;
}

export class StreamHub {
  private readonly byRoom = new Map<string, Set<Client>>();
  private readonly byWorkspace = new Map<string, Set<Client>>();
  private readonly feeds = new Map<string, Feed>();
  private readonly grants = new Map<string, Grant>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly sweeper: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly accessTtl: number;
  private sweeping = false;
  private closed = false;

  constructor(
    private readonly deps: AppDeps,
    options: HubOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1_048_576;
    this.unsubscribe = deps.bus.subscribe((m) => this.onMessage(m));
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    this.accessTtl = options.accessTtlMs ?? 5_000;
    this.sweeper = setInterval(() => void this.sweep(), Math.max(this.accessTtl, 25));
    this.sweeper.unref();
  }

  private *clients(): Iterable<Client> {
    for (const set of [...this.byRoom.values(), ...this.byWorkspace.values()]) yield* set;
  }

  /** Open streams (for tests and the benchmark). */
  get size(): number {
    let n = 0;
    for (const set of this.byWorkspace.values()) n += set.size;
    for (const set of this.byRoom.values()) n += set.size;
    return n;
  }

  /** Streams one room: its history after `afterSeq` (0: all of it), then live events. */
  async serveRoom(
    reply: FastifyReply,
    room: RoomRef,
    afterSeq: number,
    access: StreamAccess,
  ): Promise<void> {
    const c = this.register(reply, access, room.workspaceId, room.id);
    if (!c) return this.closed ? closing(reply) : undefined;
    c.seen.set(room.id, afterSeq);
    this.start(c);
    try {
      const ex = poolExec(this.deps);
      for (let more = true; more && !c.closed;) {
        if (!(await this.admit(c))) return;
        const page = await listEvents(ex, room, {
          afterSeq: c.seen.get(room.id) ?? 0,
          limit: PAGE,
        });
        for (const e of page) await this.writeNow(c, e.workroomId, e.seq, new Message(e));
        more = page.length === PAGE;
      }
      this.flush(c);
    } catch (e) {
      this.fail(c, e);
    }
  }

  /**
   * Streams every room of a workspace: the history after the event at `after` when resuming (null:
   * from now), then live events of every room, old and new.
   */
  async serveWorkspace(
    reply: FastifyReply,
    workspaceId: string,
    after: FeedPosition | null,
    access: StreamAccess,
  ): Promise<void> {
    const c = this.register(reply, access, workspaceId, null);
    if (!c) return this.closed ? closing(reply) : undefined;
    const ex = poolExec(this.deps);
    // "From now" is when the client gets its headers: where rooms stand is read before that.
    try {
      for (const [roomId, seq] of await roomPositions(ex, workspaceId)) c.seen.set(roomId, seq);
    } catch (e) {
      this.remove(c);
      throw e;
    }
    c.positioned = true;
    this.start(c);
    try {
      let from: FeedPosition | { row: number } | null = after;
      for (let more = true; from && more && !c.closed;) {
        if (!(await this.admit(c))) return;
        const page = await listWorkspaceEvents(ex, workspaceId, from, PAGE);
        // Where rooms stand now does not filter the replay: it is what the client missed.
        for (const e of page.events)
          await this.writeNow(c, e.workroomId, e.seq, new Message(e), false);
        from = page.next;
        more = page.more;
      }
      this.flush(c);
    } catch (e) {
      this.fail(c, e);
    }
  }

  /** Ends every stream (server shutdown) and stops following the bus. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    clearInterval(this.heartbeat);
    clearInterval(this.sweeper);
    for (const set of [...this.byRoom.values(), ...this.byWorkspace.values()])
      for (const c of set) this.drop(c);
  }

  /** Registers a client: from here on it buffers live events, before any history is read. */
  private register(
    reply: FastifyReply,
    access: StreamAccess,
    workspaceId: string,
    roomId: string | null,
  ): Client | null {
    if (this.closed) return null;
    // HEAD (Fastify answers it for every GET) gets the headers and ends: nothing to hold open.
    if (reply.request.method === "HEAD") {
      reply.hijack();
      reply.raw.writeHead(200, { "content-type": "text/event-stream; charset=utf-8" });
      reply.raw.end();
      return null;
    }
    // The request was authenticated just now: that is a fresh answer for this caller.
    this.grants.set(access.key, { at: performance.now(), answer: Promise.resolve(true) });
    const c: Client = {
      reply,
      raw: reply.raw,
      access,
      workspaceId,
      roomId,
      seen: new Map(),
      positioned: roomId !== null,
      buffer: [],
      started: false,
      closed: false,
    };
    const index = roomId === null ? this.byWorkspace : this.byRoom;
    const key = roomId ?? workspaceId;
    let set = index.get(key);
    if (!set) index.set(key, (set = new Set()));
    set.add(c);
    c.raw.on("close", () => this.remove(c));
    return c;
  }

  /** Sends the headers: the stream is open from the client's point of view. */
  private start(c: Client): void {
    c.reply.hijack();
    c.raw.writeHead(200, {
      ...(c.reply.getHeaders() as Record<string, string>),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // nginx and similar proxies would otherwise hold events back in their buffer.
      "x-accel-buffering": "no",
    });
    // The first bytes go out at once, so the client knows the stream is open.
    c.raw.write("retry: 3000\n: connected\n\n");
    c.started = true;
  }

  private remove(c: Client): void {
    c.closed = true;
    const index = c.roomId === null ? this.byWorkspace : this.byRoom;
    const key = c.roomId ?? c.workspaceId;
    const set = index.get(key);
    set?.delete(c);
    if (set?.size === 0) index.delete(key);
  }

  private drop(c: Client): void {
    this.remove(c);
    if (c.started) c.raw.end();
    else c.raw.destroy();
  }

  private fail(c: Client, e: unknown): void {
    this.deps.log.warn({ err: e }, "event stream failed; the client will resume");
    this.drop(c);
  }

  /** Writes the backlog, waiting for a slow client instead of buffering the whole history. */
  private async writeNow(
    c: Client,
    roomId: string,
    seq: number,
    m: Message,
    filter = true,
  ): Promise<void> {
    const seen = c.seen.get(roomId) ?? 0;
    if (c.closed || (filter && seq <= seen)) return;
    c.seen.set(roomId, Math.max(seen, seq));
    if (!c.raw.write(c.roomId === null ? m.forWorkspace() : m.forRoom()))
      await new Promise<void>((resolve) => {
        c.raw.once("drain", resolve);
        c.raw.once("close", resolve);
      });
  }

  private flush(c: Client): void {
    const buffered = c.buffer ?? [];
    c.buffer = null;
    for (const p of buffered) this.deliver(c, p.roomId, p.seq, p.message);
  }

  private deliver(c: Client, roomId: string, seq: number, m: Message): void {
    if (c.closed || seq <= (c.seen.get(roomId) ?? 0)) return;
    if (c.buffer) {
      c.buffer.push({ roomId, seq, message: m });
      return;
    }
    c.seen.set(roomId, seq);
    c.raw.write(c.roomId === null ? m.forWorkspace() : m.forRoom());
    if (c.raw.writableLength > this.maxBuffered) this.drop(c);
  }

  /**
   * Whether the client's caller still may read the workspace; a "no" ends its stream. The answer
   * is asked again once it is `accessTtl` old (one query for all the caller's streams).
   */
  private async admit(c: Client): Promise<boolean> {
    const now = performance.now();
    let grant = this.grants.get(c.access.key);
    if (!grant || now - grant.at >= this.accessTtl) {
      const answer = c.access.stillAllowed().catch((e: unknown) => {
        // Not knowing is not a yes: the client resumes from the history once it can be asked.
        this.deps.log.warn({ err: e }, "checking a stream's caller failed; the stream ends");
        return false;
      });
      grant = { at: now, answer };
      this.grants.set(c.access.key, grant);
    }
    const ok = await grant.answer;
    if (!ok && !c.closed) this.drop(c);
    return ok && !c.closed;
  }

  /** Asks again for idle streams too, so a revoked caller's stream ends without waiting for events. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.closed) return;
    this.sweeping = true;
    try {
      const clients = [...this.clients()];
      const inUse = new Set(clients.map((c) => c.access.key));
      for (const key of this.grants.keys()) if (!inUse.has(key)) this.grants.delete(key);
      await Promise.all(clients.filter((c) => c.started).map((c) => this.admit(c)));
    } finally {
      this.sweeping = false;
    }
  }

  private beat(): void {
    for (const set of [...this.byRoom.values(), ...this.byWorkspace.values()])
      for (const c of set) if (c.started) c.raw.write(": heartbeat\n\n");
  }

  private *interested(roomId: string, workspaceId: string): Iterable<Client> {
    yield* this.byRoom.get(roomId) ?? [];
    yield* this.byWorkspace.get(workspaceId) ?? [];
  }

  private onMessage(m: BusMessage): void {
    if (this.closed) return;
    if (m.type === "bus_reconnected") {
      void this.catchUp();
      return;
    }
    if (m.type === "room_changed") this.wake(m.workroomId, m.workspaceId);
  }

  /** A room's history grew: read its new events for its followers (one read at a time per room). */
  private wake(roomId: string, workspaceId: string): void {
    if (!this.byRoom.has(roomId) && !this.byWorkspace.has(workspaceId)) return;
    const feed = this.feeds.get(roomId);
    if (feed) {
      feed.again = true;
      return;
    }
    const fresh: Feed = { workspaceId, running: true, again: true };
    this.feeds.set(roomId, fresh);
    void this.run(roomId, fresh);
  }

  /**
   * The bus was away (PostgreSQL): what other processes committed meanwhile was never announced.
   * Streams stay open and are caught up from the history instead: every followed room is read
   * again, and for a workspace's streams every room that stands past what they have (new rooms
   * too). Only streams whose catch-up read fails end; their clients resume with Last-Event-ID.
   */
  private async catchUp(): Promise<void> {
    for (const [roomId, set] of this.byRoom) {
      const [first] = set;
      if (first) this.wake(roomId, first.workspaceId);
    }
    const ex = poolExec(this.deps);
    await Promise.all(
      [...this.byWorkspace.keys()].map(async (workspaceId) => {
        try {
          for (const [roomId, seq] of await roomPositions(ex, workspaceId))
            if (seq > (this.lowestSeen(roomId, workspaceId) ?? 0)) this.wake(roomId, workspaceId);
        } catch (e) {
          this.deps.log.warn({ err: e }, "catching streams up after a bus reconnect failed");
          for (const c of [...(this.byWorkspace.get(workspaceId) ?? [])]) this.drop(c);
        }
      }),
    );
  }

  /** Reads a room's new events once and writes them to every client; one read at a time per room. */
  private async run(roomId: string, feed: Feed): Promise<void> {
    // The bus carries plain strings; the ids come from our own history writes.
    const room = { id: roomId, workspaceId: feed.workspaceId } as RoomRef;
    try {
      while (feed.again && !this.closed) {
        feed.again = false;
        const after = this.lowestSeen(roomId, feed.workspaceId);
        if (after === null) break;
        for (let from = after, more = true; more;) {
          const page = await listEvents(poolExec(this.deps), room, { afterSeq: from, limit: PAGE });
          // Asked after the read, so an event committed after a removal never reaches the removed.
          await Promise.all(
            [...this.interested(roomId, feed.workspaceId)].map((c) => this.admit(c)),
          );
          for (const e of page) {
            const message = new Message(e);
            for (const c of this.interested(roomId, feed.workspaceId))
              this.deliver(c, roomId, e.seq, message);
          }
          from = page.at(-1)?.seq ?? from;
          more = page.length === PAGE;
        }
      }
    } catch (e) {
      // Followers of this room would miss events: end their streams so they resume from the history.
      this.deps.log.warn({ err: e }, "reading new events for streams failed");
      for (const c of [...this.interested(roomId, feed.workspaceId)]) this.drop(c);
    } finally {
      this.feeds.delete(roomId);
    }
  }

  /** The lowest seq any follower has of the room (where one read serves them all); null: none. */
  private lowestSeen(roomId: string, workspaceId: string): number | null {
    let low: number | null = null;
    let unpositioned = false;
    for (const c of this.interested(roomId, workspaceId)) {
      if (!c.positioned) {
        unpositioned = true;
        continue;
      }
      const seen = c.seen.get(roomId) ?? 0;
      if (low === null || seen < low) low = seen;
    }
    // A workspace client still reading where rooms stand needs the events from its own position:
    // read the room from the start rather than risk a gap (this lasts one query).
    return unpositioned ? 0 : low;
  }
}

/** A stream asked for while the server stops: 503 with Retry-After, the client tries again. */
function closing(reply: FastifyReply): void {
  const body = errorBody(
    {
      status: 503,
      code: "unavailable",
      message: "The server is stopping; connect again in a moment.",
    },
    reply.request.id,
  );
  // Written raw, as the stream it stands in for would have been.
  reply.hijack();
  reply.raw.writeHead(503, {
    // The security headers and the request id, set when the request came in.
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "application/json; charset=utf-8",
    "retry-after": "1",
    connection: "close",
  });
  reply.raw.end(JSON.stringify(body));
}

declare module "fastify" {
  interface FastifyInstance {
    /** The server's live-event hub. */
    streams: StreamHub;
  }
}

/** Gives the server its hub; open streams end when the server closes, so it stops promptly. */
export function registerStreams(app: FastifyInstance, deps: AppDeps, options?: HubOptions): void {
  const hub = new StreamHub(deps, options);
  app.decorate("streams", hub);
  // preClose runs before Fastify waits for in-flight requests, and an open stream is one.
  app.addHook("preClose", async () => hub.close());
}
