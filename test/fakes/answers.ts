// What the fake provider servers answer: the scripted model's answer to the same prompt, so the
// engine gets valid plans and documents over real HTTP. Token counts are fixed per purpose.
import { scriptedAnswer } from "../../src/models/scripted.js";
import type { CallPurpose } from "../../src/models/gateway.js";
import type { ReceivedRequest, Reply } from "./provider-server.js";

export function purposeOf(text: string): CallPurpose {
  if (text.includes("You are the Planner")) return "plan";
  if (text.includes("revising a client deliverable")) return "revise";
  if (text.includes("Return the document as JSON")) return "compose";
  if (text.includes("house style")) return "style_extract";
  return "task";
}

export const TOKENS: Record<
  CallPurpose,
  { inputTokens: number; outputTokens: number; cachedTokens: number }
> = {
  plan: { inputTokens: 1_200, outputTokens: 350, cachedTokens: 0 },
  task: { inputTokens: 900, outputTokens: 420, cachedTokens: 200 },
  compose: { inputTokens: 2_400, outputTokens: 1_800, cachedTokens: 0 },
  revise: { inputTokens: 2_000, outputTokens: 600, cachedTokens: 0 },
  rewrite: { inputTokens: 900, outputTokens: 400, cachedTokens: 0 },
  style_extract: { inputTokens: 700, outputTokens: 300, cachedTokens: 0 },
};

export function scriptedReply(req: ReceivedRequest): Reply {
  const purpose = purposeOf(req.text);
  return { text: scriptedAnswer(purpose, req.text), ...TOKENS[purpose] };
}
