// The workroom page's data: the room's detail, its history (every page, oldest first), its inputs
// and the workspace's people, under the key prefixes the live stream invalidates, and the
// lifecycle and people-in-the-loop commands.
import { useInfiniteQuery, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { api, call, type Schemas } from "../../api/client";

export type Room = Schemas["WorkroomDetail"];
export type Task = Schemas["Task"];
export type HistoryEvent = Schemas["HistoryEvent"];
export type Command = "start" | "pause" | "resume" | "replan" | "cancel";

export const roomKey = (id: string) => ["workroom", id] as const;

export function useRoom(id: string) {
  return useQuery({
    queryKey: roomKey(id),
    queryFn: () => call(api.GET("/api/v1/workrooms/{id}", { params: { path: { id } } })),
    retry: (count, e) => count < 2 && !(e instanceof Error && "status" in e && e.status === 404),
  });
}

const PAGE = 200;

/** The whole history, page after page; the stream's invalidation refetches from the first page. */
export function useHistory(id: string) {
  const query = useInfiniteQuery({
    queryKey: ["workroom-events", id],
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      call(
        api.GET("/api/v1/workrooms/{id}/events", {
          params: { path: { id }, query: { after: pageParam, limit: PAGE } },
        }),
      ),
    getNextPageParam: (last) => (last.has_more ? last.next_after : undefined),
  });
  const events = query.data?.pages.flatMap((p) => p.events) ?? [];
  return { ...query, events };
}

export function useInputs(id: string) {
  return useQuery({
    queryKey: ["workroom-inputs", id],
    queryFn: () =>
      call(api.GET("/api/v1/workrooms/{id}/inputs", { params: { path: { id } } })).then(
        (r) => r.inputs,
      ),
    staleTime: Infinity, // a room's inputs never change once created
  });
}

/** Who's who for the history's actors (every role may read the member list). */
export function usePeople(): Map<string, string> {
  const { data } = useQuery({
    queryKey: ["members"],
    queryFn: () => call(api.GET("/api/v1/members")),
  });
  return new Map((data?.members ?? []).map((m) => [m.user.id, m.user.name]));
}

/** Sends a lifecycle command; the answer (the room) refreshes the page at once. */
export function useCommand(id: string) {
  const qc = useQueryClient();
  return useCallback(
    async (command: Command) => {
      const path = { params: { path: { id } } };
      const room = await call(
        command === "start"
          ? api.POST("/api/v1/workrooms/{id}/start", path)
          : command === "pause"
            ? api.POST("/api/v1/workrooms/{id}/pause", path)
            : command === "resume"
              ? api.POST("/api/v1/workrooms/{id}/resume", path)
              : command === "replan"
                ? api.POST("/api/v1/workrooms/{id}/replan", path)
                : api.POST("/api/v1/workrooms/{id}/cancel", path),
      );
      qc.setQueryData<Room>(roomKey(id), (old) => (old ? { ...old, ...room } : old));
      await Promise.all([
        qc.invalidateQueries({ queryKey: roomKey(id) }),
        qc.invalidateQueries({ queryKey: ["workrooms"] }),
      ]);
      return room;
    },
    [id, qc],
  );
}

export type Decision =
  | { type: "approve"; comment?: string }
  | { type: "reject"; comment: string }
  | { type: "answer"; text: string };

export function useDecide(id: string) {
  const qc = useQueryClient();
  return useCallback(
    async (taskId: string, d: Decision) => {
      const params = { path: { id, taskId } };
      const result = await call(
        d.type === "approve"
          ? api.POST("/api/v1/workrooms/{id}/tasks/{taskId}/approve", {
              params,
              body: d.comment ? { comment: d.comment } : {},
            })
          : d.type === "reject"
            ? api.POST("/api/v1/workrooms/{id}/tasks/{taskId}/reject", {
                params,
                body: { comment: d.comment },
              })
            : api.POST("/api/v1/workrooms/{id}/tasks/{taskId}/answer", {
                params,
                body: { text: d.text },
              }),
      );
      await Promise.all([
        qc.invalidateQueries({ queryKey: roomKey(id) }),
        qc.invalidateQueries({ queryKey: ["inbox"] }),
      ]);
      return result;
    },
    [id, qc],
  );
}
