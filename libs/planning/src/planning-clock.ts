import { Injectable } from '@nestjs/common';

/**
 * The present for planning: a run is computed for the instant it was asked for, and nothing is
 * proposed before it. Tests and demos replace it (Nest provider override, or `set`).
 */
@Injectable()
export class PlanningClock {
  private fixed: Date | null = null;

  now(): Date {
    return this.fixed ? new Date(this.fixed) : new Date();
  }

  /** Fixes the present (null: the system clock again). */
  set(instant: Date | null): void {
    this.fixed = instant ? new Date(instant) : null;
  }
}
