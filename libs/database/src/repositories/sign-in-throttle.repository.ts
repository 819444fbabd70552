import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export interface ThrottleRule {
  /** Failures within `windowMs` that lock the key out. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

/** Failed sign-ins per key (`account:<email>`, `ip:<address>`) and lock-outs. */
@Injectable()
export class SignInThrottleRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Until when the key is locked out; null when it is not (or no longer). */
  async lockedUntil(key: string, now: Date): Promise<Date | null> {
    const rows: { locked_until: Date }[] = await this.uow
      .manager()
      .query(`SELECT locked_until FROM sign_in_throttle WHERE key = $1 AND locked_until > $2`, [key, now]);
    return rows[0]?.locked_until ?? null;
  }

  /**
   * Counts a failure in one statement (concurrent failures all count); a failure after the window
   * starts a new one. Returns until when the key is now locked out, or null.
   */
  async recordFailure(key: string, now: Date, rule: ThrottleRule): Promise<Date | null> {
    const rows: { locked_until: Date | null }[] = await this.uow.manager().query(
      `INSERT INTO sign_in_throttle AS t (key, failures, window_started_at, locked_until)
            VALUES ($1, 1, $2, CASE WHEN $3::int <= 1 THEN $2::timestamptz + $5 * interval '1 millisecond' END)
       ON CONFLICT (key) DO UPDATE SET
            failures = CASE WHEN t.window_started_at <= $2::timestamptz - $4 * interval '1 millisecond'
                              OR t.locked_until <= $2::timestamptz
                            THEN 1 ELSE t.failures + 1 END,
            window_started_at = CASE WHEN t.window_started_at <= $2::timestamptz - $4 * interval '1 millisecond'
                                       OR t.locked_until <= $2::timestamptz
                                     THEN $2::timestamptz ELSE t.window_started_at END,
            locked_until = CASE
              WHEN t.locked_until > $2::timestamptz THEN t.locked_until
              WHEN t.window_started_at > $2::timestamptz - $4 * interval '1 millisecond'
                   AND (t.locked_until IS NULL OR t.locked_until > $2::timestamptz)
                   AND t.failures + 1 >= $3 THEN $2::timestamptz + $5 * interval '1 millisecond'
              ELSE NULL END
       RETURNING locked_until`,
      [key, now, rule.maxFailures, rule.windowMs, rule.lockMs],
    );
    return rows[0]?.locked_until ?? null;
  }

  async clear(key: string): Promise<void> {
    await this.uow.manager().query(`DELETE FROM sign_in_throttle WHERE key = $1`, [key]);
  }
}
