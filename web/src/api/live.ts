// Live updates from the server's Server-Sent Events: one EventSource per followed stream. Each
// event refreshes the queries it can change (batched per animation frame, so a burst of events is
// one refetch; the workspace stream refetches a query at most every few seconds while events keep
// coming, and once more after the last), and callers may watch the events themselves.
// EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed across a dropped
// connection; a stream this code opens again (after an error answer, or when the device comes back
// online) resumes after the last event it had, with `?last_event_id=`.
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { confirmSession } from "../app/session";
import { ApiError, type Schemas } from "./client";

export type LiveEvent = Schemas["HistoryEvent"] & { workroom_id: string };

/** Every history event type the engine writes (the SSE `event:` field is the type). */
export const EVENT_TYPES = [
  "workroom.created",
  "workroom.restored",
  "state.changed",
  "plan.created",
  "plan.rejected",
  "tools.unreachable",
  "tasks.discarded",
  "task.started",
  "task.succeeded",
  "task.failed",
  "task.retried",
  "step.interrupted",
  "approval.requested",
  "approval.granted",
  "approval.rejected",
  "question.asked",
  "question.answered",
  "wait.started",
  "model.call",
  "model.retry",
  "model.rate_limited",
  "tool.called",
  "draft.created",
  "revision.requested",
  "revision.refunded",
  "deliverable.exported",
  "budget.cap_changed",
  "budget.reservation_refused",
  "budget.threshold_crossed",
  "inputs.redacted",
  "style.banned_phrases",
  "style.required_sections_missing",
] as const;

export type StreamStatus = "connecting" | "live" | "reconnecting";

/** How long a failed stream or a failed read waits before trying the server again. */
const RETRY_MS = 4_000;

/**
 * How often the workspace stream refetches one query at most while events keep coming. A dashboard
 * follows every room of the workspace: refetched on each event, with thirty rooms running it sent
 * a few requests a second, each reading the workspace's rooms, and slowed the server for everyone.
 */
const WORKSPACE_REFRESH_MS = 2_000;

function useStream(
  url: string | null,
  staleKeys: (e: LiveEvent) => readonly (readonly unknown[])[],
  onEvent?: (e: LiveEvent) => void,
  refreshEveryMs = 0,
): StreamStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const keysOf = useRef(staleKeys);
  keysOf.current = staleKeys;

  useEffect(() => {
    if (!url) return;
    let source: EventSource;
    let lost = false;
    let reopen = 0;
    let lastId = "";
    let wentOffline = !navigator.onLine;
    const pending = new Map<string, readonly unknown[]>();
    let frame = 0;
    // Per query key: when it was last refreshed, and the refresh due once `refreshEveryMs` has
    // passed since (it reads what every event meanwhile changed: the last state always shows).
    const refreshed = new Map<string, number>();
    const due = new Map<string, number>();
    const refresh = (id: string, key: readonly unknown[]) => {
      refreshed.set(id, performance.now());
      void qc.invalidateQueries({ queryKey: key });
    };
    const flush = () => {
      frame = 0;
      const now = performance.now();
      for (const [id, key] of pending) {
        if (due.has(id)) continue;
        const wait = (refreshed.get(id) ?? -Infinity) + refreshEveryMs - now;
        if (wait <= 0) refresh(id, key);
        else
          due.set(
            id,
            window.setTimeout(() => {
              due.delete(id);
              refresh(id, key);
            }, wait),
          );
      }
      pending.clear();
    };
    const receive = (message: MessageEvent<string>) => {
      if (message.lastEventId) lastId = message.lastEventId;
      const event = JSON.parse(message.data) as LiveEvent;
      handler.current?.(event);
      for (const key of keysOf.current(event)) pending.set(JSON.stringify(key), key);
      frame ||= requestAnimationFrame(flush);
    };
    const open = () => {
      source = new EventSource(lastId ? `${url}?last_event_id=${encodeURIComponent(lastId)}` : url);
      for (const type of EVENT_TYPES) source.addEventListener(type, receive);
      source.onopen = () => {
        setStatus("live");
        // Back after an outage: whatever failed to load meanwhile, or a stream opened afresh
        // (without Last-Event-ID) missed, is read again.
        if (lost) void qc.invalidateQueries();
        lost = false;
      };
      source.onerror = () => {
        lost = true;
        setStatus("reconnecting");
        // EventSource retries a dropped connection itself, but gives up on an error answer: a
        // server shutting down answers 503, and one whose session ended answers 401, which the
        // stream cannot see. Ask whether the session still holds (if not, the app goes to
        // sign-in), and open a new stream a little later.
        if (source.readyState === EventSource.CLOSED) {
          confirmSession(qc);
          reopen = window.setTimeout(open, RETRY_MS);
        }
      };
    };
    // A connection that went down with the network may never say so (a phone's offline mode):
    // back online, the stream is opened again where it left off, and the page read again.
    const offline = () => void (wentOffline = true);
    const online = () => {
      if (!wentOffline) return;
      wentOffline = false;
      lost = true;
      window.clearTimeout(reopen);
      source.close();
      open();
    };
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    open();
    return () => {
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
      window.clearTimeout(reopen);
      cancelAnimationFrame(frame);
      for (const timer of due.values()) window.clearTimeout(timer);
      source.close();
    };
  }, [url, qc, refreshEveryMs]);
  return status;
}

/** Follows one workroom: its detail, history and drafts stay current. */
export function useWorkroomStream(id: string, onEvent?: (e: LiveEvent) => void): StreamStatus {
  return useStream(
    `/api/v1/workrooms/${encodeURIComponent(id)}/stream`,
    (e) => [
      ["workroom", e.workroom_id],
      ["workroom-events", e.workroom_id],
      ...(e.type === "draft.created" || e.type === "revision.requested"
        ? [
            ["workroom-revisions", e.workroom_id],
            ["workroom-drafts", e.workroom_id],
          ]
        : []),
      ...(e.type === "model.call" ? [["credits"]] : []),
    ],
    onEvent,
  );
}

type EventType = (typeof EVENT_TYPES)[number];

/** Events that change a room as the room lists show it: its state, cap, cost, or a new room. */
const LISTED = new Set<EventType>([
  "workroom.created",
  "workroom.restored",
  "state.changed",
  "budget.cap_changed",
]);
/** Events that charge or refund credits. */
const CHARGED = new Set<EventType>(["model.call", "revision.requested", "revision.refunded"]);
/** Events that open or close an approval or a question, or take a room in or out of the inbox. */
const ASKED = new Set<EventType>([
  "workroom.restored",
  "state.changed",
  "plan.created",
  "tasks.discarded",
  "approval.requested",
  "approval.granted",
  "approval.rejected",
  "question.asked",
  "question.answered",
]);

/** What an event of the workspace stream can change, beyond its room's own detail. */
function workspaceKeys(e: LiveEvent): (readonly unknown[])[] {
  const type = e.type as EventType;
  const keys: (readonly unknown[])[] = [["workroom", e.workroom_id]];
  if (LISTED.has(type) || CHARGED.has(type)) keys.push(["workrooms"]);
  if (ASKED.has(type)) keys.push(["inbox"]);
  if (CHARGED.has(type) || type === "state.changed") keys.push(["credits"]);
  return keys;
}

/** Follows every room of the workspace from now: the dashboard, inbox and credits stay current. */
export function useWorkspaceStream(enabled = true): StreamStatus {
  return useStream(
    enabled ? "/api/v1/stream" : null,
    workspaceKeys,
    undefined,
    WORKSPACE_REFRESH_MS,
  );
}

const unreachable = (e: unknown) => e instanceof ApiError && e.status === 0;

const subscribeOnline = (changed: () => void) => {
  window.addEventListener("online", changed);
  window.addEventListener("offline", changed);
  return () => {
    window.removeEventListener("online", changed);
    window.removeEventListener("offline", changed);
  };
};

/**
 * Whether the browser says it has no network and the server has not answered since. Offline,
 * reads wait for nothing to fail and a stream may not notice it is cut, so the browser's word
 * counts; but a server on this very machine still answers, which one read of the session shows.
 */
function useOfflineUnanswered(qc: QueryClient): boolean {
  const offline = useSyncExternalStore(subscribeOnline, () => !navigator.onLine);
  const [answered, setAnswered] = useState(false);
  useEffect(() => {
    setAnswered(false);
    if (!offline) return;
    let current = true;
    const since = Date.now();
    void qc.refetchQueries({ queryKey: ["session"], type: "active" }).then(() => {
      const state = qc.getQueryState(["session"]);
      if (current && state?.status === "success" && state.dataUpdatedAt >= since) setAnswered(true);
    });
    return () => void (current = false);
  }, [offline, qc]);
  return offline && !answered;
}

/**
 * Whether the server is out of reach: the browser says it is offline (and the server has not
 * answered anyway), the workspace stream is reconnecting, or a read shown on screen last failed
 * because the server could not be reached. While it is, those reads are tried again every few
 * seconds, and at once when the browser is back online (the streams catch up by themselves when
 * they reopen).
 */
export function useConnectionLost(stream: StreamStatus): boolean {
  const qc = useQueryClient();
  const cache = qc.getQueryCache();
  const offline = useOfflineUnanswered(qc);
  const failing = useSyncExternalStore(
    (changed) => cache.subscribe(changed),
    () =>
      cache
        .getAll()
        .some(
          (q) =>
            q.state.status === "error" && unreachable(q.state.error) && q.getObserversCount() > 0,
        ),
  );
  useEffect(() => {
    if (!failing) return;
    const retry = () =>
      void qc.refetchQueries({
        type: "active",
        predicate: (q) => q.state.status === "error" && unreachable(q.state.error),
      });
    const timer = window.setInterval(retry, RETRY_MS);
    window.addEventListener("online", retry);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener("online", retry);
    };
  }, [failing, qc]);
  return offline || failing || stream === "reconnecting";
}
