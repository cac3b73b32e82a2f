// Hours-saved estimate (SPEC 9): what the deliverable would have taken a person, from its size,
// the kinds of agents involved and the revision rounds.

/** A writer drafts about 500 finished words an hour, research and structure included. */
const WORDS_PER_HOUR = 500;
const HOURS_PER_CUSTOM_AGENT = 0.5;
const HOURS_PER_REVISION = 0.5;
const PLANNING_HOURS = 0.5;

export function estimateHoursSaved(
  words: number,
  customAgents: number,
  revisionRounds: number,
): number {
  const hours =
    PLANNING_HOURS +
    words / WORDS_PER_HOUR +
    customAgents * HOURS_PER_CUSTOM_AGENT +
    revisionRounds * HOURS_PER_REVISION;
  return Math.round(hours * 10) / 10;
}
