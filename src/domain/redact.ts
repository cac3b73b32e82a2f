// redact_pii (SPEC 2): e-mail addresses, phone numbers and card/IBAN-like numbers are masked in
// inputs before any model sees them. The counts go to the history; the values never do.
// Cards must pass the Luhn check and IBANs the mod-97 check, so order numbers stay; phone numbers
// are told apart from dates, year ranges and amounts by their shape and the words around them.

export interface Redaction {
  text: string;
  counts: { email: number; phone: number; card: number; iban: number };
}

const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/gi;
const CARD = /(?<![\w.,+])(?:\d[ -]?){12,18}\d(?![\w]|[.,]\d)/g;
// How card numbers are written: unbroken, in fours, or 4-6-5 (American Express).
const CARD_SHAPE = /^(?:\d+|\d{4}(?:([ -])\d{4}){2,3}(?:\1\d{1,3})?|\d{4}([ -])\d{6}\2\d{4,5})$/;
// Grouped numbers: international, where the groups after the country code may be of 1 to 6 digits
// (+33 6 12 34 56 78, +44 7700 900123, +49 30 901820), or national, from a first group of 2 to 5
// digits (07700 900123, 020 7946 0958) or an area code in brackets ((555) 123-4567); never inside
// a word or a longer number.
const PHONE =
  /(?<![\w+])\+\d{1,3}(?:[\s.-]?\(\d{1,4}\))?[\s.-]?\d{1,6}(?:[\s.-]\d{1,6}){1,5}(?![\w]|[.,/-]\d)|(?<![\w+.,/-])(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,6}){1,5}(?![\w]|[.,/-]\d)|(?<![\w+])\+\d{8,14}\b/g;
// An unbroken run of digits is a phone number only when a word says so ("tel 5551234567").
const LABELLED_PHONE = /\b(tel|phone|mobile|cell|call|fax|whatsapp)(\.?:?\s*)(\d{8,15})\b/gi;
const CURRENCY_BEFORE = /(?:[€$£¥]|\b(?:EUR|USD|GBP|CHF|JPY|CAD|AUD))\s?$/i;
const UNIT_AFTER =
  /^\s?(?:[€$£¥%]|(?:EUR|USD|GBP|CHF|JPY|CAD|AUD|k|m|bn|million|billion|thousand|units|people|users|visitors|words|hours|days)\b)/i;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, "").toUpperCase();
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

const isYear = (g: string) => g.length === 4 && Number(g) >= 1900 && Number(g) <= 2100;

/** Shapes of grouped digits that are not phone numbers: dates (with a time), year ranges, amounts
 *  with thousands separators. */
function notAPhone(match: string): boolean {
  const groups = match.match(/\d+/g) ?? [];
  const [a = "", b = "", c = ""] = groups;
  const day = (g: string) => g.length <= 2 && Number(g) >= 1 && Number(g) <= 31;
  const month = (g: string) => g.length <= 2 && Number(g) >= 1 && Number(g) <= 12;
  const isoDate = isYear(a) && month(b) && day(c);
  const localDate = day(a) && day(b) && (c.length === 2 || isYear(c));
  if (match.startsWith("+") || match.includes("(")) return false;
  if ((groups.length === 3 || groups.length === 4) && (isoDate || localDate)) return true;
  // 1 250 000 or 1.250.000: an amount; phone numbers that look like this have 8 digits or more.
  if (/^\d{1,3}(?:([ .])\d{3})(?:\1\d{3})*$/.test(match) && groups.join("").length < 8) return true;
  // 2024 2025 2026: years listed.
  return groups.length >= 2 && groups.every(isYear);
}

/** Masks e-mail addresses, phone numbers, card numbers and IBANs; counts what it masked. */
export function redactPii(input: string): Redaction {
  const counts = { email: 0, phone: 0, card: 0, iban: 0 };
  let text = input.replace(EMAIL, () => (counts.email++, "[email]"));
  text = text.replace(IBAN, (m) => (ibanValid(m) ? (counts.iban++, "[iban]") : m));
  text = text.replace(CARD, (m) => {
    const digits = m.replace(/\D/g, "");
    return digits.length >= 13 && digits.length <= 19 && CARD_SHAPE.test(m) && luhn(digits)
      ? (counts.card++, "[card]")
      : m;
  });
  text = text.replace(PHONE, (m, offset: number, whole: string) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15 || notAPhone(m)) return m;
    const amount =
      CURRENCY_BEFORE.test(whole.slice(Math.max(0, offset - 4), offset)) ||
      UNIT_AFTER.test(whole.slice(offset + m.length, offset + m.length + 12));
    if (amount) return m;
    counts.phone++;
    return "[phone]";
  });
  text = text.replace(LABELLED_PHONE, (_m, word: string, sep: string) => {
    counts.phone++;
    return `${word}${sep}[phone]`;
  });
  return { text, counts };
}
