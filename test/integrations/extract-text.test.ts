// Uploaded files as text: real .docx and .pdf files (written by docx and pdfkit), UTF-8 text and
// Markdown, and the clear refusals for unsupported, damaged, empty and hostile files (bombs kept
// small by lowering the limits).
import { describe, expect, it } from "vitest";
import { extractText, uploadTypeOf } from "../../src/integrations/files/extract-text.js";
import {
  commentedContent,
  makeDocx,
  makeEmptyPdf,
  makeLyingDocx,
  makePdf,
  makeStreamPdf,
} from "../support/files.js";

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

  it("refuses a .docx whose text and markup unpack past the limit, whatever sizes its zip declares", async () => {
    // 2 MB of document.xml in a zip that says the part is 5,000 bytes.
    const bomb = await makeLyingDocx(2);
    expect(bomb.length).toBeLessThan(50_000);
    await expect(
      extractText("bomb.docx", bomb, { limits: { docxUnpackedBytes: 1_048_576 } }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/^Cannot read "bomb\.docx": .*unpack to more than 1 MB/),
    });
    // Under the limit, the same lying file is read: the count, not the declared size, decides.
    const text = await extractText("bomb.docx", bomb, { limits: { docxUnpackedBytes: 4_194_304 } });
    expect(text.startsWith("A A A")).toBe(true);
  });

  it("refuses a PDF whose pages unpack past the limit, before pdf.js decodes them", async () => {
    const small = makeStreamPdf(commentedContent(0));
    expect(await extractText("hello.pdf", small)).toBe("Hello");
    const bomb = makeStreamPdf(commentedContent(3));
    expect(bomb.length).toBeLessThan(50_000);
    await expect(
      extractText("bomb.pdf", bomb, { limits: { pdfUnpackedBytes: 1_048_576 } }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(
        /^Cannot read "bomb\.pdf": its pages unpack to more than 1 MB/,
      ),
    });
  });

  it("stops reading a file past the reading thread's time, and reads the next one", async () => {
    // Labelled as an image, the stream is not counted beforehand: only the thread's limits stop it.
    const bomb = makeStreamPdf(commentedContent(4), " /Subtype /Image");
    await expect(extractText("bomb.pdf", bomb, { limits: { timeoutMs: 1 } })).rejects.toMatchObject(
      {
        code: "invalid_input",
        message: expect.stringContaining('"bomb.pdf": reading it took longer than'),
      },
    );
    // A fresh thread reads the next file.
    expect(await extractText("next.pdf", await makePdf([["After the bomb."]]))).toBe(
      "After the bomb.",
    );
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
