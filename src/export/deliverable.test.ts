// A deliverable as a client receives it: its file name, its format, and the letterhead's logo.
import { execFileSync } from "node:child_process";
import { crc32 } from "node:zlib";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { ExportProfileSchema, type ExportProfile } from "../domain/export-profile.js";
import { exportFilename } from "../domain/naming.js";
import { png } from "../../test/support/images.js";
import { renderDeliverable } from "./index.js";
import { logoProblem, MAX_LOGO_SIDE } from "./logo.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-deliverable-"));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });

const profile = (logo: ExportProfile["logo"] = null) =>
  ExportProfileSchema.parse({ company_name: "Aurora Agency", accent_color: "#7c3aed", logo });

const doc = (): Document => ({
  title: "Aurora Coffee — Q4 Proposal!",
  sections: [{ title: "Scope", blocks: [{ type: "paragraph", inlines: [{ text: "Pilot." }] }] }],
});

describe("deliverable files", () => {
  it("names round 1 and round 2 exports after the title, as SPEC 6 shows", () => {
    expect(exportFilename(doc().title, 1, "docx")).toBe("aurora-coffee-q4-proposal-v1.docx");
    expect(exportFilename(doc().title, 2, "pdf")).toBe("aurora-coffee-q4-proposal-v2.pdf");
  });

  it("renders each format as that kind of file, which its reader opens", async () => {
    const docx = await renderDeliverable(doc(), profile(), "docx");
    const pdf = await renderDeliverable(doc(), profile(), "pdf");
    const md = await renderDeliverable(doc(), profile(), "md");
    const pdfPath = join(dir, exportFilename(doc().title, 2, "pdf"));
    const docxPath = join(dir, exportFilename(doc().title, 1, "docx"));
    writeFileSync(pdfPath, pdf);
    writeFileSync(docxPath, docx);
    expect(run("pdfinfo", [pdfPath])).toMatch(/Title:\s+Aurora Coffee — Q4 Proposal!/);
    expect(run("unzip", ["-l", docxPath])).toContain("word/document.xml");
    expect(md.toString("utf8")).toMatch(
      /^# Aurora Coffee — Q4 Proposal!\n\n## Scope\n\nPilot\.\n$/,
    );
  });

  it("prints on US Letter when the letterhead asks for it, and on A4 by default", async () => {
    const wide: Document = {
      ...doc(),
      sections: [
        {
          title: "Fees",
          blocks: [{ type: "table", header: ["Item", "Fee"], rows: [["Design", "€ 4,000"]] }],
        },
      ],
    };
    const sizes = async (p: ExportProfile) => {
      const pdfPath = join(dir, `${p.paper_size}.pdf`);
      const docxPath = join(dir, `${p.paper_size}.docx`);
      writeFileSync(pdfPath, await renderDeliverable(wide, p, "pdf"));
      writeFileSync(docxPath, await renderDeliverable(wide, p, "docx"));
      const xml = run("unzip", ["-p", docxPath, "word/document.xml"]);
      const grid = [...xml.matchAll(/<w:gridCol w:w="(\d+)"\/>/g)].map((m) => Number(m[1]));
      return {
        pdf: /Page size:\s+(.*)/.exec(run("pdfinfo", [pdfPath]))![1],
        docxPage: /<w:pgSz [^>]*>/.exec(xml)![0],
        docxTable: grid.reduce((a, b) => a + b, 0),
      };
    };
    expect(await sizes(profile())).toEqual({
      pdf: expect.stringMatching(/^595\.28 x 841\.89 pts \(A4\)/),
      docxPage: expect.stringMatching(/w:w="11906" w:h="16838"/),
      docxTable: 11_906 - 2 * 1_440,
    });
    const letter = ExportProfileSchema.parse({ ...profile(), paper_size: "letter" });
    expect(await sizes(letter)).toEqual({
      pdf: expect.stringMatching(/^612 x 792 pts \(letter\)/),
      docxPage: expect.stringMatching(/w:w="12240" w:h="15840"/),
      // The table spans the wider page's text area, between the same inch margins.
      docxTable: 12_240 - 2 * 1_440,
    });
  });

  it("names the agency as the .docx's author and last editor (Word's File → Info)", async () => {
    const path = join(dir, "properties.docx");
    writeFileSync(path, await renderDeliverable(doc(), profile(), "docx"));
    const core = run("unzip", ["-p", path, "docProps/core.xml"]);
    expect(core).toContain("<dc:creator>Aurora Agency</dc:creator>");
    expect(core).toContain("<cp:lastModifiedBy>Aurora Agency</cp:lastModifiedBy>");
    expect(core).not.toContain("Un-named");
  });

  it("puts the logo on the letterhead at its own proportions", async () => {
    const logo = { mime: "image/png" as const, base64: png(300, 100).toString("base64") };
    const pdfPath = join(dir, "logo.pdf");
    writeFileSync(pdfPath, await renderDeliverable(doc(), profile(logo), "pdf"));
    expect(run("pdfimages", ["-list", pdfPath])).toMatch(/^\s+1\s+0 image\s+300\s+100\s/m);
    const docxPath = join(dir, "logo.docx");
    writeFileSync(docxPath, await renderDeliverable(doc(), profile(logo), "docx"));
    expect(run("unzip", ["-l", docxPath])).toMatch(/word\/media\/\S+\.png/);
    const xml = run("unzip", ["-p", docxPath, "word/document.xml"]);
    const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"/.exec(xml)!;
    expect(Number(cx) / Number(cy)).toBeCloseTo(3, 1);
  });

  it("turns a JPEG logo stored sideways upright in the .docx, as the PDF does (EXIF orientation)", async () => {
    // A 400×200 JPEG, and the same with an EXIF orientation of 6: seen turned a quarter clockwise,
    // 200 wide and 400 tall, as pdfkit and browsers draw it.
    const jpeg = readFileSync(new URL("../../test/fixtures/logo-landscape.jpg", import.meta.url));
    const ifd = [0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0];
    const exif = Buffer.from([...Buffer.from("Exif\0\0MM\0\x2a\0\0\0\x08", "binary"), ...ifd]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, exif.length + 2]), exif]);
    const sideways = Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
    const drawing = async (data: Buffer) => {
      const logo = { mime: "image/jpeg" as const, base64: data.toString("base64") };
      const path = join(dir, "jpeg-logo.docx");
      writeFileSync(path, await renderDeliverable(doc(), profile(logo), "docx"));
      const xml = run("unzip", ["-p", path, "word/document.xml"]);
      const [, cx, cy] = /<wp:extent cx="(\d+)" cy="(\d+)"/.exec(xml)!;
      return { cx: Number(cx), cy: Number(cy), rot: /<a:xfrm rot="(\d+)"/.exec(xml)?.[1] };
    };
    const upright = await drawing(jpeg);
    expect(upright.rot).toBeUndefined();
    expect(upright.cx / upright.cy).toBeCloseTo(2, 1);
    // Turned a quarter: the stored image is drawn 2:1 and rotated 90°, so it is seen 1:2, and as
    // tall as the letterhead's box allows (56 px, the upright one's height too).
    const turned = await drawing(sideways);
    expect(turned.rot).toBe(String(90 * 60_000));
    expect(turned.cx / turned.cy).toBeCloseTo(2, 1);
    expect(turned.cx).toBe(upright.cy);
  });

  it("breaks a long link inside its table cell instead of running over the next column", async () => {
    const url =
      "https://example.com/briefs/aurora/q4/loyalty-relaunch/final-approved-version-2.pdf";
    const table: Document = {
      title: "Links",
      sections: [
        {
          title: "Sources",
          blocks: [{ type: "table", header: ["Source", "Due"], rows: [[url, "Week 4"]] }],
        },
      ],
    };
    const path = join(dir, "table.pdf");
    writeFileSync(path, await renderDeliverable(table, profile(), "pdf"));
    const xml = run("pdftotext", ["-bbox", path, "-"]);
    const words = [...xml.matchAll(/<word xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>([^<]*)</g)];
    const due = words.find((w) => w[3] === "Week")!;
    const parts = words.filter((w) => /example|\.pdf|\//.test(w[3]!));
    expect(parts.map((w) => w[3]).join("")).toBe(url);
    for (const w of parts) expect(Number(w[2])).toBeLessThan(Number(due[1]));
  });

  it("refuses a logo whose bytes are not the image type it claims", () => {
    const result = ExportProfileSchema.safeParse({
      company_name: "Aurora Agency",
      logo: { mime: "image/png", base64: Buffer.from("GIF89a....").toString("base64") },
    });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("save it as PNG or JPEG");
  });

  it("finds a logo cut short or damaged, and takes a whole one", () => {
    const whole = png(300, 100);
    expect(logoProblem("image/png", whole)).toBeNull();
    expect(logoProblem("image/png", whole.subarray(0, 200))).toContain("cut short");
    const flipped = Buffer.from(whole);
    flipped[60] = flipped[60]! ^ 0xff;
    expect(logoProblem("image/png", flipped)).toContain("damaged (its IDAT chunk is damaged)");
    const jfifHeaderOnly = Buffer.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x10,
      ...Buffer.from("JFIF"),
    ]);
    expect(logoProblem("image/jpeg", jfifHeaderOnly)).toContain("cut short");
  });

  it("refuses a logo of more pixels than a letterhead needs, without decompressing it", () => {
    expect(logoProblem("image/png", png(MAX_LOGO_SIDE, 2))).toBeNull();
    expect(logoProblem("image/png", png(MAX_LOGO_SIDE + 1, 2))).toBe(
      `the logo is ${MAX_LOGO_SIDE + 1}×2 pixels; a logo may have at most ${MAX_LOGO_SIDE} on a side and 4 megapixels in all: scale it down (a few hundred pixels is plenty) and set it again`,
    );
    // A small file whose header claims a size (its chunk checksum made right).
    const claiming = (width: number, height: number) => {
      const file = png(300, 100);
      file.writeUInt32BE(width, 16);
      file.writeUInt32BE(height, 20);
      file.writeUInt32BE(crc32(file.subarray(12, 29)), 29);
      return file;
    };
    // A banner fits; a square of the largest side does not (it decoded for seconds).
    expect(logoProblem("image/png", png(4000, 1000))).toBeNull();
    expect(logoProblem("image/png", claiming(MAX_LOGO_SIDE, MAX_LOGO_SIDE))).toContain(
      `${MAX_LOGO_SIDE}×${MAX_LOGO_SIDE} pixels`,
    );
    // A few hundred bytes that claim 60,000 × 60,000 pixels of zeros: 10 GB once inflated.
    expect(logoProblem("image/png", claiming(60_000, 60_000))).toContain("60000×60000 pixels");
    const frame = [
      0xff,
      0xc0,
      0x00,
      0x11,
      0x08,
      0x13,
      0x88,
      0x00,
      0x10,
      ...Array<number>(11).fill(0),
    ];
    const hugeJpeg = Buffer.from([0xff, 0xd8, ...frame]);
    expect(logoProblem("image/jpeg", hugeJpeg)).toContain("16×5000 pixels");
  });

  it("reads a PNG whose image data is split over several chunks", () => {
    const whole = png(300, 100);
    const idat = whole.indexOf("IDAT") - 4;
    const length = whole.readUInt32BE(idat);
    const data = whole.subarray(idat + 8, idat + 8 + length);
    const chunk = (body: Buffer) => {
      const out = Buffer.alloc(body.length + 12);
      out.writeUInt32BE(body.length, 0);
      out.write("IDAT", 4, "latin1");
      body.copy(out, 8);
      out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
      return out;
    };
    const half = Math.floor(length / 2);
    const split = Buffer.concat([
      whole.subarray(0, idat),
      chunk(data.subarray(0, half)),
      chunk(data.subarray(half)),
      whole.subarray(idat + 12 + length),
    ]);
    expect(logoProblem("image/png", split)).toBeNull();
    expect(
      logoProblem(
        "image/png",
        Buffer.concat([split.subarray(0, idat), split.subarray(idat + 12 + half)]),
      ),
    ).toContain("(its image data does not decompress)");
  });

  it("leaves a damaged logo saved earlier out of both formats instead of failing the export", async () => {
    const damaged = {
      mime: "image/png" as const,
      base64: png(300, 100).subarray(0, 200).toString("base64"),
    };
    const pdfPath = join(dir, "damaged-logo.pdf");
    writeFileSync(pdfPath, await renderDeliverable(doc(), profile(damaged), "pdf"));
    expect(run("pdftotext", [pdfPath, "-"])).toContain("Aurora Agency");
    expect(run("pdfimages", ["-list", pdfPath])).not.toMatch(/^\s+1\s+0 image/m);
    const docxPath = join(dir, "damaged-logo.docx");
    writeFileSync(docxPath, await renderDeliverable(doc(), profile(damaged), "docx"));
    expect(run("unzip", ["-l", docxPath])).not.toContain("word/media/");
  });
});
