// Export: one document model rendered to Markdown, .docx and .pdf with the workspace letterhead.
import type { Document } from "../domain/document.js";
import type { ExportProfile } from "../domain/export-profile.js";
import type { ExportFormat } from "../domain/naming.js";
import { renderDocx } from "./docx.js";
import { renderMarkdown } from "./markdown.js";
import { renderPdf, type PdfOptions } from "./pdf.js";

export { renderDocx, renderMarkdown, renderPdf };

export const MIME_TYPES: Record<ExportFormat, string> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
  md: "text/markdown; charset=utf-8",
};

export async function renderDeliverable(
  doc: Document,
  profile: ExportProfile,
  format: ExportFormat,
  options: PdfOptions = {},
): Promise<Buffer> {
  switch (format) {
    case "docx":
      return renderDocx(doc, profile);
    case "pdf":
      return renderPdf(doc, profile, options);
    case "md":
      return Buffer.from(renderMarkdown(doc), "utf8");
  }
}
