// redact_pii (SPEC 2): e-mail addresses, phone numbers and card/IBAN-like numbers are masked in
// inputs before any model sees them. The counts go to the history; the values never do.

export interface Redaction {
  text: string;
  counts: { email: number; phone: number; card: number; iban: number };
}

const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b/g;
const CARD = /\b(?:\d[ -]?){12,18}\d\b/g;
// International (+351 912 345 678) or grouped local numbers ((555) 123-4567, 020 7946 0958);
// dates, years and plain amounts do not match.
const PHONE =
  /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}\b|\+\d{8,14}\b/g;

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
  const s = raw.replace(/ /g, "");
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const v = /\d/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

const looksLikeDate = (s: string) =>
  /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/.test(s.trim());

export function redactPii(input: string): Redaction {
  const counts = { email: 0, phone: 0, card: 0, iban: 0 };
  let text = input.replace(EMAIL, () => (counts.email++, "[email]"));
  text = text.replace(IBAN, (m) => (ibanValid(m) ? (counts.iban++, "[iban]") : m));
  text = text.replace(CARD, (m) => {
    const digits = m.replace(/\D/g, "");
    return digits.length >= 13 && digits.length <= 19 && luhn(digits)
      ? (counts.card++, "[card]")
      : m;
  });
  text = text.replace(PHONE, (m) => {
    const digits = m.replace(/\D/g, "");
    if (digits.length < 8 || digits.length > 15 || looksLikeDate(m)) return m;
    counts.phone++;
    return "[phone]";
  });
  return { text, counts };
}
