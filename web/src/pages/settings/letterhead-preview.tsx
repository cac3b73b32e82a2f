// A live mock of page 1 of an exported deliverable: the letterhead as the PDF and .docx draw it
// (name, tagline, address and contact on the left, the logo on the right, an accent rule), a
// heading, a table header, and the footer `Company — Page 1 of 3`. The colours are the export's
// own (src/export/colour.ts): the accent darkened for text until it reads on white, and white or
// near-black text on an accent fill. The page is paper, so it stays white in the dark theme too.
import { accentForFill, accentForText, textOn } from "../../../../src/export/colour";
import { cn } from "../../ui/cn";

export interface LetterheadDraft {
  company_name: string;
  tagline: string;
  address: string;
  email: string;
  phone: string;
  website: string;
  accent_color: string;
  logo: { mime: "image/png" | "image/jpeg"; base64: string } | null;
  paper_size: "a4" | "letter";
}

/** The page's proportions: A4 210 × 297 mm, US Letter 8.5 × 11 in. */
const PAGE_SHAPE = { a4: "aspect-[210/297]", letter: "aspect-[8.5/11]" } as const;

const HEX = /^#[0-9a-fA-F]{6}$/;
/** The exports' fallback when no valid accent is set yet (ExportProfileSchema's default). */
export const DEFAULT_ACCENT = "#0f766e";

/** The contact line as the exports join it (domain/export-profile.ts `contactLine`). */
const contactLine = (p: LetterheadDraft) =>
  [p.email, p.phone, p.website].filter(Boolean).join("  ·  ");

// The export's greys (src/export/pdf.ts: INK and MUTED), so the preview reads like the file.
const PAPER = "#ffffff";
const INK = "#222222";
const MUTED = "#5f6368";
const HAIRLINE = "#d0d0d0";
// Arial in .docx (LibreOffice: Liberation Sans), DejaVu Sans in the PDF.
const EXPORT_FONT = 'Arial, "Liberation Sans", "DejaVu Sans", Helvetica, sans-serif';

function TextLines({ widths }: { widths: number[] }) {
  return (
    <div aria-hidden className="flex flex-col gap-1.5">
      {widths.map((w, i) => (
        <div
          key={i}
          className="h-1.5 rounded-full"
          style={{ width: `${w}%`, background: "#e6e6e6" }}
        />
      ))}
    </div>
  );
}

export function LetterheadPreview({ draft }: { draft: LetterheadDraft }) {
  const chosen = HEX.test(draft.accent_color) ? draft.accent_color : DEFAULT_ACCENT;
  // As the exports draw it: a near-white accent darkened for rules and fills, more for text.
  const accent = accentForFill(chosen);
  const accentText = accentForText(chosen);
  const company = draft.company_name.trim() || "Your agency";
  const contact = contactLine(draft);
  return (
    <figure
      aria-label="Letterhead preview"
      className="flex flex-col gap-2"
      data-accent={chosen.toLowerCase()}
      data-paper={draft.paper_size}
    >
      <div
        className={cn(
          "mx-auto flex w-full max-w-md flex-col overflow-hidden rounded-sm border border-border p-[7%] shadow-md",
          PAGE_SHAPE[draft.paper_size],
        )}
        style={{ background: PAPER, color: INK, fontFamily: EXPORT_FONT }}
      >
        <header className="flex items-start justify-between gap-4">
          <div className="min-w-0 flex-1">
            <p
              data-part="company"
              className="text-lg leading-tight font-bold break-words"
              style={{ color: accentText }}
            >
              {company}
            </p>
            {draft.tagline && (
              <p className="mt-0.5 text-[0.7rem] italic" style={{ color: MUTED }}>
                {draft.tagline}
              </p>
            )}
            <div className="mt-1 flex flex-col text-[0.6rem] leading-snug" style={{ color: MUTED }}>
              {draft.address && <p className="whitespace-pre-line">{draft.address}</p>}
              {contact && <p className="whitespace-pre-wrap">{contact}</p>}
            </div>
          </div>
          {draft.logo && (
            <img
              src={`data:${draft.logo.mime};base64,${draft.logo.base64}`}
              alt={`${company} logo`}
              className="max-h-12 max-w-[35%] object-contain object-right"
            />
          )}
        </header>
        <div data-part="rule" className="mt-2 h-[2px] w-full" style={{ background: accent }} />
        <p className="mt-5 text-base font-bold" style={{ color: "#111111" }}>
          The deliverable’s title
        </p>
        {/* Unnumbered, as the exports draw section headings (only their contents number them). */}
        <p className="mt-3 text-sm font-bold" style={{ color: accentText }}>
          A section heading
        </p>
        <div className="mt-2">
          <TextLines widths={[100, 96, 98, 70]} />
        </div>
        <div className="mt-3 flex gap-2">
          <span
            aria-hidden
            className="w-[3px] shrink-0 rounded-full"
            style={{ background: accent }}
          />
          <div className="flex-1">
            <TextLines widths={[90, 60]} />
          </div>
        </div>
        <div
          className="mt-4 overflow-hidden rounded-[2px] text-[0.6rem]"
          style={{ border: `1px solid ${HAIRLINE}` }}
        >
          <div
            data-part="table-header"
            className="grid grid-cols-3 gap-2 px-2 py-1 font-bold"
            style={{ background: accent, color: textOn(accent) }}
          >
            <span>Phase</span>
            <span>Weeks</span>
            <span>Owner</span>
          </div>
          {[0, 1].map((row) => (
            <div
              key={row}
              className="grid grid-cols-3 gap-2 px-2 py-1"
              style={{ background: row % 2 ? "#f4f6f6" : PAPER }}
            >
              <span>{row ? "Launch" : "Discovery"}</span>
              <span>{row ? "3" : "2"}</span>
              <span>{company}</span>
            </div>
          ))}
        </div>
        <div className="mt-3">
          <TextLines widths={[100, 92, 40]} />
        </div>
        <footer
          data-part="footer"
          className="mt-auto pt-1.5 text-center text-[0.55rem]"
          style={{ borderTop: `0.5px solid ${HAIRLINE}`, color: MUTED }}
        >
          {company} — Page 1 of 3
        </footer>
      </div>
      <figcaption className="text-center text-xs text-muted">
        Page 1 of an exported deliverable. Every page carries the footer; .docx uses Arial, the PDF
        DejaVu Sans.
      </figcaption>
    </figure>
  );
}
