// Uploaded files as text: real .docx and .pdf files (written by docx and pdfkit), UTF-8 text and
// Markdown, and the clear refusals for unsupported, damaged and empty files.
import { describe, expect, it } from "vitest";
import {
  MAX_DOCX_UNZIPPED_BYTES,
  declaredUnzippedBytes,
  extractText,
  uploadTypeOf,
} from "../../src/integrations/files/extract-text.js";
import { makeDocx, makeEmptyPdf, makePdf } from "../support/files.js";

const utf8 = (s: string) => new TextEncoder().encode(s);

describe("extracting text from uploads", () => {
  it("reads a .docx paragraph by paragraph", async () => {
    const docx = await makeDocx([
      "Kick-off notes",
      "Dana wants the app to work offline.",
      "IT wants SSO.",
    ]);
    const text = await extractText("notes.docx", docx);
    expect(text).toBe("Kick-off notes\n\nDana wants the app to work offline.\n\nIT wants SSO.");
  });

  it("reads every page of a .pdf in order", async () => {
    const pdf = await makePdf([
      ["Aurora Coffee brief", "Budget is around 40k."],
      ["Pilot in three stores by mid-November."],
    ]);
    const text = await extractText("brief.PDF", pdf);
    expect(text).toContain("Aurora Coffee brief");
    expect(text).toContain("Budget is around 40k.");
    expect(text.indexOf("Budget")).toBeLessThan(text.indexOf("Pilot in three stores"));
  });

  it("reads UTF-8 text and Markdown as they are, without a byte-order mark", async () => {
    expect(await extractText("a.txt", utf8("\uFEFFCafé — ünïcode\r\nline two\n"))).toBe(
      "Café — ünïcode\nline two",
    );
    expect(await extractText("b.md", utf8("# Title\n\n- one\n- two\n"))).toBe(
      "# Title\n\n- one\n- two",
    );
  });

  it("refuses an unsupported type, naming the supported ones", async () => {
    expect(() => uploadTypeOf("logo.png")).toThrow(/\.txt, \.md, \.docx and \.pdf/);
    await expect(extractText("sheet.xlsx", utf8("x"))).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("supported file types"),
    });
  });

  it("refuses damaged files and files without text", async () => {
    await expect(extractText("broken.docx", utf8("not a zip"))).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("not a valid .docx"),
    });
    await expect(extractText("broken.pdf", utf8("%PDF-1.4 garbage"))).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("not a valid PDF"),
    });
    await expect(extractText("scan.pdf", await makeEmptyPdf())).rejects.toMatchObject({
      message: expect.stringContaining("no text layer"),
    });
    await expect(
      extractText("latin1.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9])),
    ).rejects.toMatchObject({
      message: expect.stringContaining("not UTF-8"),
    });
    await expect(extractText("bin.txt", new Uint8Array([0x41, 0, 0x42]))).rejects.toMatchObject({
      message: expect.stringContaining("binary"),
    });
    await expect(extractText("empty.md", utf8("  \n "))).rejects.toMatchObject({
      message: expect.stringContaining("no text"),
    });
  });

  it("refuses a .docx that declares it unpacks to more than the limit, before inflating it", async () => {
    const docx = await makeDocx(["Small text."]);
    const declared = declaredUnzippedBytes(docx)!;
    expect(declared).toBeGreaterThan(docx.length / 2);
    expect(declared).toBeLessThan(MAX_DOCX_UNZIPPED_BYTES);
    // Rewrite the first central-directory entry's uncompressed size, as a zip bomb declares it.
    const bomb = Buffer.from(docx);
    const end = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const entry = bomb.readUInt32LE(end + 16);
    bomb.writeUInt32LE(MAX_DOCX_UNZIPPED_BYTES + 1, entry + 24);
    await expect(extractText("bomb.docx", bomb)).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("unpacks to more than 200 MB"),
    });
  });

  it("refuses text over the limit with input_limit, naming the file", async () => {
    const line = "Quarterly figures and the notes that explain them, line after line. ".repeat(4);
    const pdf = await makePdf(
      Array.from({ length: 40 }, () => Array.from({ length: 12 }, () => line)),
    );
    const whole = await extractText("report.pdf", pdf);
    expect(whole.length).toBeGreaterThan(100_000);
    await expect(extractText("report.pdf", pdf, { maxBytes: 20_000 })).rejects.toMatchObject({
      code: "input_limit",
      message: expect.stringMatching(/"report\.pdf" alone is over the 20,000 bytes .*at least/),
    });
    await expect(
      extractText("a.txt", utf8("x".repeat(11)), { maxBytes: 10 }),
    ).rejects.toMatchObject({
      code: "input_limit",
    });
  });
});
