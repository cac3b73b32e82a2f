// Keyset paging for newest-first listings (ledger, audit log): `limit` rows older than `before`,
// and the response's `next_before` continues where the page ended.
import { z } from "zod";

export const PAGE_DEFAULT = 50;

export const pageQuery = (max: number) =>
  z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(max)
      .optional()
      .meta({ description: `Rows per page, 1–${max} (default ${PAGE_DEFAULT}).` }),
    before: z.coerce
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: "The `next_before` of the previous page." }),
  });

export const NextBefore = z
  .number()
  .int()
  .nullable()
  .meta({ description: "Pass as `before` for the next (older) page; null on the last page." });

/** The page options a use case takes, without keys the caller left out. */
export const pageOptions = (q: { limit?: number | undefined; before?: number | undefined }) => ({
  ...(q.limit !== undefined ? { limit: q.limit } : {}),
  ...(q.before !== undefined ? { before: q.before } : {}),
});
