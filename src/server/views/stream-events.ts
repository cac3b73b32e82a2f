// The JSON of one history event on a live stream. Until the workroom views land (HistoryEventSchema
// in views/workrooms.ts), this is the stream's own minimal view of the same fields.
import { z } from "zod";
import type { HistoryEvent } from "../../domain/types.js";

export const StreamEventSchema = z
  .object({
    workroom_id: z.string(),
    seq: z.number().int(),
    type: z.string(),
    actor: z.string(),
    data: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: "StreamEvent" });
export type StreamEventView = z.infer<typeof StreamEventSchema>;

export const toStreamEventView = (e: HistoryEvent): StreamEventView => ({
  workroom_id: e.workroomId,
  seq: e.seq,
  type: e.type,
  actor: e.actor,
  data: e.data,
  at: new Date(e.at).toISOString(),
});
