/**
 * The time "now" for rules that speak of it (no booking in the past, usage only once started).
 * Injected, so tests and demos run on a date they choose instead of the machine's.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock that stands still until moved (tests). */
export class FixedClock extends Clock {
  constructor(private at: Date) {
    super();
  }

  now(): Date {
    return new Date(this.at.getTime());
  }

  set(at: Date): void {
    this.at = at;
  }
}
