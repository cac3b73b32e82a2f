// Exports are drawn in a render thread (render-thread.ts), not on the server's event loop: the
// files are the ones drawn in place, a renderer's error comes back in its own words, and a file
// past the thread's memory cap is stopped instead of taking the process with it.
import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { longDocument, profile, proposal } from "../../test/support/documents.js";
import { renderDeliverable } from "./index.js";
import { DEFAULT_RENDER_LIMITS, renderInThread } from "./render-thread.js";

/** pdfkit stamps the moment of drawing, and the file's ID is made from it; two drawings of a
 *  document differ only there. */
const undated = (pdf: Buffer | Uint8Array) =>
  Buffer.from(pdf)
    .toString("latin1")
    .replace(/\(D:\d+Z\)/, "")
    .replace(/\/ID \[<\w+> <\w+>\]/, "");
/** A .docx's parts but the core properties, which carry the moment of drawing. */
const undatedParts = (docx: Buffer | Uint8Array) =>
  Object.entries(unzipSync(new Uint8Array(docx)))
    .filter(([name]) => name !== "docProps/core.xml")
    .map(([name, data]) => [name, Buffer.from(data).toString("base64")]);

describe("drawing exports in the render thread", () => {
  it("gives the same .pdf, .docx and Markdown as drawing them in place", async () => {
    const doc = longDocument(8);
    const p = profile();
    for (const format of ["pdf", "docx", "md"] as const) {
      const [threaded, inPlace] = await Promise.all([
        renderInThread({ doc, profile: p, format }),
        renderDeliverable(doc, p, format),
      ]);
      if (threaded.kind !== "file") throw new Error(`${format}: ${JSON.stringify(threaded)}`);
      if (format === "pdf") expect(undated(threaded.bytes)).toBe(undated(inPlace));
      else if (format === "docx")
        expect(undatedParts(threaded.bytes)).toEqual(undatedParts(inPlace));
      else expect(Buffer.from(threaded.bytes).equals(inPlace)).toBe(true);
      expect(threaded.logoLeftOut).toBe(false);
    }
  }, 60_000);

  it("says so when the profile's logo cannot be drawn", async () => {
    const damaged = { mime: "image/png" as const, base64: "iVBORw0KGgoAAAANSUhEUgAA" };
    const outcome = await renderInThread({
      doc: proposal(),
      profile: profile({ logo: damaged }),
      format: "docx",
    });
    expect(outcome).toMatchObject({ kind: "file", logoLeftOut: true });
  }, 60_000);

  it("hands back the renderer's own error when a file cannot be drawn", async () => {
    const outcome = await renderInThread({
      doc: proposal(),
      profile: profile(),
      format: "pdf",
      options: { fontDir: "/nowhere/fonts" },
    });
    expect(outcome.kind).toBe("failed");
    expect(outcome).toMatchObject({
      message: expect.stringContaining("PDF export needs the font /nowhere/fonts/"),
    });
  }, 60_000);

  it("stops a file that needs more memory than the thread may take", async () => {
    const outcome = await renderInThread(
      { doc: longDocument(120), profile: profile(), format: "pdf" },
      { ...DEFAULT_RENDER_LIMITS, heapMb: 16 },
    );
    expect(outcome.kind).toBe("too_large");
  }, 60_000);
});
