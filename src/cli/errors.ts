// A CLI error: printed as one line. Exit code 2 (bad input) unless it says otherwise, as a room
// that stopped short of its deliverable does (3).
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** Exit code of everything but bad input: a room that failed, say. */
export const FAILED = 1;

/** Exit code of a run that ended with the room paused and no deliverable written. */
export const STOPPED_SHORT = 3;
