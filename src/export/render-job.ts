// One export drawn from plain data: what the render thread (render-thread.ts) runs for each file.
import type { Document } from "../domain/document.js";
import type { ExportProfile } from "../domain/export-profile.js";
import type { ExportFormat } from "../domain/naming.js";
import { renderDeliverable } from "./index.js";
import { drawableLogo } from "./logo.js";
import type { PdfOptions } from "./pdf.js";

export interface RenderJob {
  doc: Document;
  profile: ExportProfile;
  format: ExportFormat;
  options?: PdfOptions;
}

export interface RenderedFile {
  bytes: Uint8Array;
  /** The profile has a logo that cannot be drawn (damaged, or too large), so the file has none. */
  logoLeftOut: boolean;
}

export async function renderJob(job: RenderJob): Promise<RenderedFile> {
  const bytes = await renderDeliverable(job.doc, job.profile, job.format, job.options);
  return { bytes, logoLeftOut: !!job.profile.logo && !drawableLogo(job.profile) };
}
