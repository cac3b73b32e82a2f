// The workspace export profile (SPEC 6): the letterhead every exported deliverable carries.
import { z } from "zod";

/** The first bytes of each image type, as base64 (PNG's 8-byte signature, JPEG's FF D8 FF). */
const LOGO_SIGNATURES = { "image/png": "iVBORw0KGgo", "image/jpeg": "/9j/" } as const;

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
    .object({
      mime: z.enum(["image/png", "image/jpeg"]),
      base64: z
        .string()
        .min(1)
        .max(
          2_000_000,
          "the logo is over 1.5 MB: export a smaller PNG or JPEG (a few hundred pixels wide is enough)",
        )
        .regex(/^[A-Za-z0-9+/]+={0,2}$/, "the logo must be base64 without a data: prefix"),
    })
    // A file renamed from .webp or .svg would otherwise only fail when a client's export is made.
    .refine((l) => l.base64.startsWith(LOGO_SIGNATURES[l.mime]), {
      message:
        "the logo's bytes are not the image type given: save it as PNG or JPEG and set it again",
    })
    .nullable()
    .default(null),
  /** A4 (most of the world) or US Letter (the United States and Canada). */
  paper_size: z.enum(["a4", "letter"]).default("a4"),
});
export type ExportProfile = z.infer<typeof ExportProfileSchema>;
export type PaperSize = ExportProfile["paper_size"];

export const defaultExportProfile = (companyName = "Your agency"): ExportProfile =>
  ExportProfileSchema.parse({ company_name: companyName });

/** The contact line of the letterhead: the parts that are filled, joined. */
export const contactLine = (p: ExportProfile): string =>
  [p.email, p.phone, p.website].filter(Boolean).join("  ·  ");
