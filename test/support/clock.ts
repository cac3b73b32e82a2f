// A clock the test moves by hand (month boundaries, waits) instead of sleeping.
import type { Clock } from "../../src/engine/deps.js";

export class ManualClock implements Clock {
  constructor(private at: Date) {}
  now(): Date {
    return new Date(this.at);
  }
  set(at: Date): void {
    this.at = at;
  }
}
