// Exports read back with real readers: LibreOffice converts every .docx, poppler checks every .pdf.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inlineText, type Document, type List, type ListItem } from "../domain/document.js";
import { longDocument, multilingual, profile, proposal } from "../../test/support/documents.js";
import { renderDocx } from "./docx.js";
import { renderPdf } from "./pdf.js";

const dir = mkdtempSync(join(tmpdir(), "atelya-export-"));
const ARTIFACTS = "test-artifacts";
const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { encoding: "utf8", timeout: 120_000 });
const text = (pdf: string) => run("pdftotext", ["-layout", pdf, "-"]);

/** Every heading, list item and table cell of a document, in reading order. */
function expectedStrings(doc: Document): string[] {
  const items = (l: List): string[] =>
    l.items.flatMap((i) => [inlineText(i.inlines), ...(i.children ? items(i.children) : [])]);
  return doc.sections.flatMap((s) => [
    s.title,
    ...s.blocks.flatMap((b) =>
      b.type === "heading"
        ? [b.text]
        : b.type === "list"
          ? items(b)
          : b.type === "table"
            ? [...b.header, ...b.rows.flat()]
            : [],
    ),
  ]);
}

/** Asserts the strings appear in this order in the text. */
function expectInOrder(haystack: string, needles: string[]): void {
  let at = 0;
  const flat = haystack.replace(/\s+/g, " ");
  for (const n of needles) {
    const i = flat.indexOf(n.replace(/\s+/g, " "), at);
    expect(i, `"${n}" after position ${at}`).toBeGreaterThanOrEqual(0);
    at = i + n.length;
  }
}

/** Lists three levels deep, bullets inside numbers inside bullets, a table, and page breaks. */
function nestedLists(): Document {
  const item = (text: string, children?: List): ListItem => ({ inlines: [{ text }], children });
  const list = (ordered: boolean, items: ListItem[]): List => ({ type: "list", ordered, items });
  return {
    title: "Rollout plan",
    sections: [
      {
        title: "Phases",
        blocks: [
          list(false, [
            item(
              "Phase one",
              list(true, [
                item(
                  "Brief the baristas",
                  list(false, [item("Lisbon stores"), item("Porto stores")]),
                ),
                item("Print the cards"),
              ]),
            ),
            item("Phase two"),
          ]),
          {
            type: "table",
            header: ["Store", "Opens"],
            rows: [
              ["Chiado", "1 Dec"],
              ["Ribeira", "8 Dec"],
            ],
          },
          { type: "page_break" },
        ],
      },
      // Starts page 2; its trailing break must not print an empty page 3.
      {
        title: "Timeline",
        blocks: [
          { type: "paragraph", inlines: [{ text: "Pilot in December." }] },
          { type: "page_break" },
        ],
      },
    ],
  };
}

const DOCS: [string, Document][] = [
  ["proposal", proposal()],
  ["long", longDocument(8)],
  ["multilingual", multilingual()],
  ["nested", nestedLists()],
];

describe("PDF export", () => {
  const files = new Map<string, string>();
  beforeAll(async () => {
    for (const [name, doc] of DOCS) {
      const path = join(dir, `${name}.pdf`);
      writeFileSync(path, await renderPdf(doc, profile()));
      files.set(name, path);
    }
  });

  it.each(DOCS)(
    "%s: passes pdfinfo and reads back every heading, list item and table cell in order",
    (name, doc) => {
      expect(run("pdfinfo", [files.get(name)!])).toMatch(/Pages:\s+\d+/);
      expectInOrder(
        text(files.get(name)!),
        name === "multilingual" ? ["Ελληνικά", "Русский", "Français"] : expectedStrings(doc),
      );
    },
  );

  it("puts the letterhead and `Page 1 of N` on page 1, and a footer on every page", () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run("pdfinfo", [files.get("long")!]))![1]);
    expect(pages).toBeGreaterThan(2);
    const first = run("pdftotext", ["-f", "1", "-l", "1", "-layout", files.get("long")!, "-"]);
    expect(first).toContain("Northwind Studio");
    expect(first).toContain("hello@northwind.studio");
    expect(first).toContain(`Northwind Studio — Page 1 of ${pages}`);
    const last = run("pdftotext", [
      "-f",
      String(pages),
      "-l",
      String(pages),
      files.get("long")!,
      "-",
    ]);
    expect(last).toContain(`Page ${pages} of ${pages}`);
  });

  it("numbers a list nested in a list a, b, as the .docx does", () => {
    expect(text(files.get("nested")!)).toMatch(
      /a\.\s+Brief the baristas[\s\S]*b\.\s+Print the cards/,
    );
  });

  it("starts a new page at a page break, and prints no empty page for a break at the very end", () => {
    expect(run("pdfinfo", [files.get("nested")!])).toMatch(/Pages:\s+2\n/);
    const second = run("pdftotext", ["-f", "2", "-l", "2", files.get("nested")!, "-"]);
    expect(second).toContain("Timeline");
    expect(second).not.toContain("Ribeira");
  });

  it("adds a table of contents with page numbers for more than five sections", () => {
    const toc = run("pdftotext", ["-f", "1", "-l", "1", "-layout", files.get("long")!, "-"]);
    expect(toc).toContain("Contents");
    expect(toc).toMatch(/1\. Section 1: Workstream 1\s+1\n/);
    const eighth = /8\. Section 8: Workstream 8\s+(\d+)/.exec(toc)![1];
    const onThatPage = run("pdftotext", ["-f", eighth!, "-l", eighth!, files.get("long")!, "-"]);
    expect(onThatPage).toContain("Section 8: Workstream 8");
    expect(text(files.get("proposal")!)).not.toContain("Contents");
  });

  it("embeds fonts and renders Greek, Cyrillic, Hebrew and Arabic with real glyphs", () => {
    const fonts = run("pdffonts", [files.get("multilingual")!]);
    expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
    const out = text(files.get("multilingual")!);
    for (const s of [
      "Η πρόταση καλύπτει το πιλοτικό πρόγραμμα.",
      "Предложение охватывает пилотный проект.",
      "Café, façade, élève — São João.",
      "ההצעה מכסה את פרויקט הפיילוט",
    ])
      expect(out).toContain(s);
    // The lam-alef ligature is one glyph for two letters; pdftotext writes them in visual order.
    expect(out.replace(/اال/g, "الا")).toContain("يغطي الاقتراح المشروع التجريبي");
    expect(out).not.toContain("\ufffd");
  });

  it("keeps page 1 as a picture for people to look at", () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const name of ["proposal", "multilingual"]) {
      const png = join(ARTIFACTS, `${name}-page-1`);
      run("pdftoppm", [
        "-png",
        "-r",
        "80",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        files.get(name)!,
        png,
      ]);
      expect(readFileSync(`${png}.png`).subarray(1, 4).toString()).toBe("PNG");
    }
  });
});

describe("DOCX export", () => {
  const pdfs = new Map<string, string>();
  beforeAll(async () => {
    const docx: string[] = [];
    for (const [name, doc] of DOCS) {
      const path = join(dir, `${name}-word.docx`);
      writeFileSync(path, await renderDocx(doc, profile()));
      docx.push(path);
    }
    const profileDir = mkdtempSync(join(tmpdir(), "atelya-lo-"));
    run("soffice", [
      `-env:UserInstallation=file://${profileDir}`,
      "--headless",
      "--convert-to",
      "pdf",
      "--outdir",
      dir,
      ...docx,
    ]);
    for (const [name] of DOCS) pdfs.set(name, join(dir, `${name}-word.pdf`));
  }, 180_000);

  it.each(DOCS.filter(([n]) => n !== "multilingual"))(
    "%s: LibreOffice opens it and shows every heading and table cell",
    (name, doc) => {
      const out = text(pdfs.get(name)!);
      for (const s of expectedStrings(doc))
        expect(out.replace(/\s+/g, " ")).toContain(s.replace(/\s+/g, " "));
      expect(out).toContain("Northwind Studio");
    },
  );

  it("uses real heading styles, list numbering, a TOC field for long documents and the page footer", async () => {
    const unzip = async (doc: Document, accent?: string) => {
      const path = join(dir, "inspect.docx");
      writeFileSync(path, await renderDocx(doc, profile(accent ? { accent_color: accent } : {})));
      return {
        document: run("unzip", ["-p", path, "word/document.xml"]),
        footer: run("sh", ["-c", `unzip -p ${path} 'word/footer*.xml'`]),
      };
    };
    const long = await unzip(longDocument(8));
    expect(long.document).toContain('w:pStyle w:val="Heading1"');
    expect(long.document).toMatch(/TOC \\h \\o &quot;1-1&quot;/);
    expect(long.footer).toContain("PAGE");
    expect(long.footer).toContain("NUMPAGES");
    // The contents are filled in before Word updates them: one linked entry per section.
    expect(long.document.match(/<w:hyperlink [^>]*w:anchor="_Toc/g)?.length).toBe(8);
    const short = await unzip(proposal());
    expect(short.document).toContain("<w:numPr>");
    expect(short.document).not.toMatch(/TOC \\h/);
    const nested = await unzip(nestedLists());
    expect(nested.document).toContain('<w:ilvl w:val="2"/>');
    expect(nested.document).not.toContain("<w:bidiVisual/>");
    const hebrew = await unzip({
      title: "טבלה",
      sections: [
        { title: "מחירים", blocks: [{ type: "table", header: ["פריט", "מחיר"], rows: [] }] },
      ],
    });
    // A Hebrew table starts at the right, and its paragraphs are right to left.
    expect(hebrew.document).toContain("<w:bidiVisual/>");
    expect(hebrew.document).toContain("<w:bidi/>");
    // A white accent still draws the letterhead's rule and the table header: in pale grey.
    const white = (await unzip(proposal(), "#ffffff")).document;
    const colours = (tag: string, attr: string) =>
      [...white.matchAll(new RegExp(`<w:${tag} [^>]*w:${attr}="([0-9A-Fa-f]{6})"`, "g"))].map((m) =>
        m[1]!.toLowerCase(),
      );
    expect(colours("bottom", "color").length).toBeGreaterThan(0);
    expect(colours("shd", "fill").length).toBeGreaterThan(0);
    for (const c of [...colours("bottom", "color"), ...colours("shd", "fill")])
      expect(c).not.toBe("ffffff");
  });

  it("numbers a list nested in a list a, b", () => {
    expect(text(pdfs.get("nested")!)).toMatch(
      /a\.\s+Brief the baristas[\s\S]*b\.\s+Print the cards/,
    );
  });

  it("starts a new page at a page break, and prints no empty page for a break at the very end", () => {
    expect(run("pdfinfo", [pdfs.get("nested")!])).toMatch(/Pages:\s+2\n/);
    const second = run("pdftotext", ["-f", "2", "-l", "2", pdfs.get("nested")!, "-"]);
    expect(second).toContain("Timeline");
    expect(second).not.toContain("Ribeira");
  });

  it("shows a table of contents listing every section of a long document", () => {
    const out = text(pdfs.get("long")!);
    expect(out).toContain("Contents");
    for (let i = 1; i <= 8; i++)
      expect(out.split(`Section ${i}: Workstream ${i}`).length - 1).toBe(2);
  });

  it("keeps page 1 as LibreOffice draws it, for people to look at", () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    for (const name of ["proposal", "multilingual"])
      run("pdftoppm", [
        "-png",
        "-r",
        "80",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        pdfs.get(name)!,
        join(ARTIFACTS, `${name}-docx-page-1`),
      ]);
    expect(
      readFileSync(join(ARTIFACTS, "proposal-docx-page-1.png")).subarray(1, 4).toString(),
    ).toBe("PNG");
  });

  it("renders the multilingual document through LibreOffice with every script intact", () => {
    const out = text(pdfs.get("multilingual")!);
    for (const s of ["Η πρόταση καλύπτει", "Предложение охватывает", "ההצעה מכסה"])
      expect(out).toContain(s);
  });
});
