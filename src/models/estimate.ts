// Token estimate for hosted models, whose tokenizers are not available offline (Anthropic publishes
// none for current models). It must not undercount: reservations (SPEC 5) are made from it.
// English prose runs about 4 characters per token on current BPE tokenizers; we count 3.5. Text
// outside ASCII (accents, Greek, Cyrillic, CJK) costs far more per character, so each such
// character counts as one token, and characters beyond the BMP (emoji) as two.

/** Per-message allowance for role markers and separators in the provider's chat template. */
const MESSAGE_OVERHEAD = 4;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) ascii++;
    else other += code > 0xffff ? 2 : 1;
  }
  return Math.ceil(ascii / 3.5) + other;
}

/** Prompt tokens of a system prompt and messages, estimated as above. */
export function estimatePromptTokens(req: {
  system: string;
  messages: readonly { content: string }[];
}): number {
  return (
    estimateTokens(req.system) +
    req.messages.reduce(
      (n, m) => n + estimateTokens(m.content) + MESSAGE_OVERHEAD,
      MESSAGE_OVERHEAD,
    )
  );
}
