// The deliverable's data under the key prefixes the room's stream invalidates (drafts and diffs
// under ["workroom-drafts", id], rounds under ["workroom-revisions", id]), the revision request,
// and the export download.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, call, type Schemas } from "../../../api/client";
import { download } from "../../../api/download";

export type Room = Schemas["WorkroomDetail"];
export type Draft = Schemas["Draft"];
export type DraftDiff = Schemas["DraftDiff"];
export type Revision = Schemas["Revision"];

export function useDraft(id: string, round: number) {
  return useQuery({
    queryKey: ["workroom-drafts", id, round],
    queryFn: () =>
      call(api.GET("/api/v1/workrooms/{id}/drafts/{round}", { params: { path: { id, round } } })),
    enabled: round > 0,
    staleTime: Infinity, // a finished round never changes
  });
}

export function useDiff(id: string, from: number, to: number) {
  return useQuery({
    queryKey: ["workroom-drafts", id, "diff", from, to],
    queryFn: () =>
      call(
        api.GET("/api/v1/workrooms/{id}/diff", {
          params: { path: { id }, query: { from, to } },
        }),
      ),
    enabled: from > 0 && to > 0 && from !== to,
    staleTime: Infinity,
  });
}

export function useRevisions(id: string) {
  return useQuery({
    queryKey: ["workroom-revisions", id],
    queryFn: () => call(api.GET("/api/v1/workrooms/{id}/revisions", { params: { path: { id } } })),
  });
}

export function usePresets() {
  return useQuery({
    queryKey: ["revision-presets"],
    queryFn: () => call(api.GET("/api/v1/revision-presets")).then((r) => r.presets),
    staleTime: 5 * 60_000,
  });
}

export interface RevisionRequest {
  preset_slug: string;
  preset_args: Record<string, string>;
  source: "internal" | "client_feedback";
}

/** Starts a revision round; the room and its rounds refetch at once (the stream follows up). */
export function useRequestRevision(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: RevisionRequest) =>
      call(api.POST("/api/v1/workrooms/{id}/revisions", { params: { path: { id } }, body })),
    onSuccess: async ({ workroom }) => {
      qc.setQueryData<Room>(["workroom", id], (old) => (old ? { ...old, ...workroom } : old));
      await Promise.all([
        qc.invalidateQueries({ queryKey: ["workroom", id] }),
        qc.invalidateQueries({ queryKey: ["workroom-revisions", id] }),
        qc.invalidateQueries({ queryKey: ["credits"] }),
        qc.invalidateQueries({ queryKey: ["workrooms"] }),
      ]);
    },
  });
}

export type ExportFormat = "docx" | "pdf";

/** Downloads one round's export as the server names it; throws the server's error. */
export function downloadExport(id: string, format: ExportFormat, round: number): Promise<string> {
  return download(
    `/api/v1/workrooms/${encodeURIComponent(id)}/exports/${format}?round=${round}`,
    `deliverable-v${round}.${format}`,
  );
}
