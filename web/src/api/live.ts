// Live updates from the server's Server-Sent Events: one EventSource per followed stream. Each
// event refreshes the queries it makes stale (batched per animation frame, so a burst of events is
// one refetch), and callers may watch the events themselves. EventSource reconnects by itself and
// sends Last-Event-ID, so nothing is missed across a dropped connection.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import type { Schemas } from "./client";

export type LiveEvent = Schemas["HistoryEvent"] & { workroom_id: string };

/** Every history event type the engine writes (the SSE `event:` field is the type). */
export const EVENT_TYPES = [
  "workroom.created",
  "workroom.restored",
  "state.changed",
  "plan.created",
  "plan.rejected",
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

function useStream(
  url: string | null,
  staleKeys: (e: LiveEvent) => readonly (readonly unknown[])[],
  onEvent?: (e: LiveEvent) => void,
): StreamStatus {
  const qc = useQueryClient();
  const [status, setStatus] = useState<StreamStatus>("connecting");
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const keysOf = useRef(staleKeys);
  keysOf.current = staleKeys;

  useEffect(() => {
    if (!url) return;
    const source = new EventSource(url);
    const pending = new Map<string, readonly unknown[]>();
    let frame = 0;
    const flush = () => {
      frame = 0;
      for (const key of pending.values()) void qc.invalidateQueries({ queryKey: key });
      pending.clear();
    };
    const receive = (message: MessageEvent<string>) => {
      const event = JSON.parse(message.data) as LiveEvent;
      handler.current?.(event);
      for (const key of keysOf.current(event)) pending.set(JSON.stringify(key), key);
      frame ||= requestAnimationFrame(flush);
    };
    for (const type of EVENT_TYPES) source.addEventListener(type, receive);
    source.onopen = () => setStatus("live");
    source.onerror = () => setStatus("reconnecting");
    return () => {
      cancelAnimationFrame(frame);
      source.close();
    };
  }, [url, qc]);
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

/** Follows every room of the workspace from now: the dashboard, inbox and credits stay current. */
export function useWorkspaceStream(enabled = true): StreamStatus {
  return useStream(enabled ? "/api/v1/stream" : null, (e) => [
    ["workrooms"],
    ["workroom", e.workroom_id],
    ["inbox"],
    ...(e.type === "model.call" || e.type === "state.changed" ? [["credits"]] : []),
  ]);
}
