import { Injectable, Optional } from '@nestjs/common';
import { Clock } from '@allmende/core';

/**
 * The present for planning: a run is computed for the instant it was asked for, and nothing is
 * proposed before it. The application's clock (the one the booking rules use) unless a test or
 * demo fixes the planning present on its own (`set`).
 */
@Injectable()
export class PlanningClock {
  private fixed: Date | null = null;

  constructor(@Optional() private readonly clock?: Clock) {}

  now(): Date {
    return this.fixed ? new Date(this.fixed) : (this.clock?.now() ?? new Date());
  }

  /** Fixes the present (null: the application's clock again). */
  set(instant: Date | null): void {
    this.fixed = instant ? new Date(instant) : null;
  }
}
