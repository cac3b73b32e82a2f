// A deliverable as a client receives it: its file name, its format, and the letterhead's logo.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { Document } from "../domain/document.js";
import { ExportProfileSchema, type ExportProfile } from "../domain/export-profile.js";
import { exportFilename } from "../domain/naming.js";
import { renderDeliverable } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-deliverable-"));
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });

/** A solid PNG of the given size, made here so the test needs no image file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3, 0x40)]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

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
});
