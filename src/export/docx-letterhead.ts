// The letterhead and running footer of the .docx: company name, tagline, address and contact on
// page 1 with the logo floated to the right at its own proportions, an accent rule under them, and
// `Company — Page n of m` from PAGE/NUMPAGES fields at the foot of every page.
import {
  AlignmentType,
  BorderStyle,
  Footer,
  HorizontalPositionAlign,
  HorizontalPositionRelativeFrom,
  ImageRun,
  PageNumber,
  Paragraph,
  TextRun,
  TextWrappingSide,
  TextWrappingType,
  VerticalPositionRelativeFrom,
  type ParagraphChild,
} from "docx";
import { contactLine, type ExportProfile } from "../domain/export-profile.js";
import { accentForText } from "./colour.js";
import { isRtlParagraph } from "./direction.js";
import { fitInside, isQuarterTurned, jpegOrientation, uprightSize } from "./image-size.js";

export const MUTED = "5F6368";
export const hex = (c: string) => c.replace("#", "").toUpperCase();
const bidi = (text: string) => (isRtlParagraph(text) ? { bidirectional: true } : {});

/** What each EXIF orientation asks of the stored image: a flip, then a turn clockwise. */
const ORIENTATIONS: Record<
  number,
  { rotation?: number; flip?: { horizontal?: boolean; vertical?: boolean } }
> = {
  1: {},
  2: { flip: { horizontal: true } },
  3: { rotation: 180 },
  4: { flip: { vertical: true } },
  5: { rotation: 270, flip: { horizontal: true } },
  6: { rotation: 90 },
  7: { rotation: 90, flip: { horizontal: true } },
  8: { rotation: 270 },
};

function logo(p: ExportProfile): ParagraphChild[] {
  if (!p.logo) return [];
  const data = Buffer.from(p.logo.base64, "base64");
  // A JPEG stored sideways (EXIF orientation) is turned upright, as the PDF and browsers show it:
  // it fits the box as seen, and Word turns the stored image (flip first, then rotation). Without
  // a readable size, a fixed box would stretch it; fall back to a square.
  const orientation = p.logo.mime === "image/png" ? 1 : jpegOrientation(data);
  const turned = isQuarterTurned(orientation);
  const seen = uprightSize(data, p.logo.mime) ?? { width: 1, height: 1 };
  const size = fitInside(seen, { width: 150, height: 56 });
  const { rotation, flip } = ORIENTATIONS[orientation]!;
  return [
    new ImageRun({
      type: p.logo.mime === "image/png" ? "png" : "jpg",
      data,
      transformation: {
        ...(turned ? { width: size.height, height: size.width } : size),
        ...(rotation ? { rotation } : {}),
        ...(flip ? { flip } : {}),
      },
      altText: { name: "Logo", title: p.company_name, description: `${p.company_name} logo` },
      floating: {
        horizontalPosition: {
          relative: HorizontalPositionRelativeFrom.MARGIN,
          align: HorizontalPositionAlign.RIGHT,
        },
        verticalPosition: { relative: VerticalPositionRelativeFrom.PARAGRAPH, offset: 0 },
        wrap: { type: TextWrappingType.SQUARE, side: TextWrappingSide.LEFT },
      },
    }),
  ];
}

export function letterhead(p: ExportProfile): Paragraph[] {
  const small = (text: string, size: number, italics = false) =>
    new Paragraph({
      children: [new TextRun({ text, size, italics, color: MUTED })],
      spacing: { after: 0 },
      ...bidi(text),
    });
  return [
    new Paragraph({
      children: [
        ...logo(p),
        new TextRun({
          text: p.company_name,
          bold: true,
          size: 36,
          color: hex(accentForText(p.accent_color)),
        }),
      ],
      spacing: { after: 20 },
      ...bidi(p.company_name),
    }),
    ...(p.tagline ? [small(p.tagline, 20, true)] : []),
    ...[p.address, contactLine(p)].filter(Boolean).map((line) => small(line, 17)),
    new Paragraph({
      text: "",
      border: {
        bottom: { style: BorderStyle.SINGLE, size: 12, color: hex(p.accent_color), space: 4 },
      },
      spacing: { after: 360 },
    }),
  ];
}

export const footer = (p: ExportProfile) =>
  new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        border: { top: { style: BorderStyle.SINGLE, size: 4, color: "D0D0D0", space: 6 } },
        children: [
          new TextRun({
            children: [
              `${p.company_name} — Page `,
              PageNumber.CURRENT,
              " of ",
              PageNumber.TOTAL_PAGES,
            ],
            size: 16,
            color: MUTED,
          }),
        ],
      }),
    ],
  });
