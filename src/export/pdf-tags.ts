// The PDF's accessibility structure (a tagged PDF): each piece of drawing is paired with the element
// it belongs to (heading, paragraph, list item, table cell) in reading order, for screen readers and
// reflow, and decoration (letterhead, footer, rules, fills) is marked as an artifact they skip.
// pdfkit writes the structure tree and the marked content; these helpers only do the pairing.
type Pdf = PDFKit.PDFDocument;
export type Element = PDFKit.PDFStructureElement;

/** A new element of `type` under `parent`, its children to be added by the caller. */
export function group(pdf: Pdf, parent: Element, type: string, lang?: string): Element {
  const element = pdf.struct(type, lang ? { lang } : {});
  parent.add(element);
  return element;
}

/**
 * Marks what `draw` draws as content of `element` (of `type`). Content that runs over a page
 * stays in it: pages are started with `continueOnNewPage`, which carries the marking over.
 */
export function mark(pdf: Pdf, element: Element, type: string, draw: () => void): void {
  const content = pdf.markStructureContent(type);
  draw();
  pdf.endMarkedContent();
  element.add(content);
}

/** A new element of `type` under `parent` holding what `draw` draws, ended. */
export function leaf(pdf: Pdf, parent: Element, type: string, draw: () => void): Element {
  const element = group(pdf, parent, type);
  mark(pdf, element, type, draw);
  element.end();
  return element;
}

/** Marks what `draw` draws as an artifact: page furniture, a rule, a fill. */
export function artifact(pdf: Pdf, draw: () => void, type: "Pagination" | "Layout" = "Layout") {
  pdf.markContent("Artifact", { type });
  draw();
  pdf.endMarkedContent();
}
