// The wire shape of the audit log: who (a person, an API key with its name and prefix, or the
// system), what, on which target, with which details, when.
import { z } from "zod";
import type { AuditPage } from "../../app/audit.js";
import { NextBefore } from "./paging.js";

const WhoSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("user"),
      id: z.string(),
      name: z.string().nullable(),
      email: z.string().nullable(),
    }),
    z.object({
      kind: z.literal("api_key"),
      id: z.string(),
      name: z.string().nullable(),
      prefix: z.string().nullable().meta({ description: "The visible start of the key." }),
      user: z
        .object({ id: z.string(), name: z.string() })
        .nullable()
        .meta({ description: "The member who issued the key." }),
    }),
    z.object({
      kind: z.literal("system"),
      id: z.string().meta({ description: "`cli`, `engine`…" }),
    }),
  ])
  .meta({ id: "AuditActor" });

export const AuditEntrySchema = z
  .object({
    id: z.number().int(),
    who: WhoSchema,
    action: z.string().meta({ example: "agent.created" }),
    target: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
  })
  .meta({ id: "AuditEntry" });

export const AuditPageSchema = z
  .object({ entries: z.array(AuditEntrySchema), next_before: NextBefore })
  .meta({ id: "AuditPage" });

export const toAuditPageView = (p: AuditPage): z.input<typeof AuditPageSchema> => ({
  entries: p.entries.map((e) => ({
    id: e.id,
    who: e.who,
    action: e.action,
    target: e.target,
    data: e.data,
    at: new Date(e.at).toISOString(),
  })),
  next_before: p.nextBefore,
});
