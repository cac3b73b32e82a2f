// The workspace export profile (SPEC 6): the letterhead every exported deliverable carries.
import { z } from "zod";

export const ExportProfileSchema = z.object({
  company_name: z.string().trim().min(1).max(120),
  tagline: z.string().trim().max(200).default(""),
  address: z.string().trim().max(300).default(""),
  email: z.string().trim().max(200).default(""),
  phone: z.string().trim().max(60).default(""),
  website: z.string().trim().max(200).default(""),
  accent_color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "accent colour is a hex value like #0f766e")
    .default("#0f766e"),
  logo: z
    .object({ mime: z.enum(["image/png", "image/jpeg"]), base64: z.string().min(1).max(2_000_000) })
    .nullable()
    .default(null),
});
export type ExportProfile = z.infer<typeof ExportProfileSchema>;

export const defaultExportProfile = (companyName = "Your agency"): ExportProfile =>
  ExportProfileSchema.parse({ company_name: companyName });

/** The contact line of the letterhead: the parts that are filled, joined. */
export const contactLine = (p: ExportProfile): string =>
  [p.email, p.phone, p.website].filter(Boolean).join("  ·  ");

/** Right-to-left scripts (Hebrew, Arabic and their supplements). */
export const isRtl = (text: string): boolean =>
  /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(text);
