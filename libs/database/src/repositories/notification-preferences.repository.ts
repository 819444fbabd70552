import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';

export interface NotificationPreferencesRow {
  userId: string;
  language: 'de' | 'en';
  disabledKinds: string[];
  /** Null: the pool's offsets. */
  reminderOffsetsMinutes: number[] | null;
  updatedAt: Date | null;
}

/**
 * Per-user notification settings; a user without a row has the defaults. The language is the
 * user's one language (`users.language`, also the web app's).
 */
@Injectable()
export class NotificationPreferencesRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Null when there is no such user. */
  async get(userId: string): Promise<NotificationPreferencesRow | null> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT u.id AS user_id, u.language, np.disabled_kinds, np.reminder_offsets_minutes, np.updated_at
         FROM users u LEFT JOIN notification_preferences np ON np.user_id = u.id
        WHERE u.id = $1`,
      [userId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      userId: r.user_id as string,
      language: r.language as 'de' | 'en',
      disabledKinds: (r.disabled_kinds as string[] | null) ?? [],
      reminderOffsetsMinutes: (r.reminder_offsets_minutes as number[] | null) ?? null,
      updatedAt: r.updated_at ? new Date(r.updated_at as string) : null,
    };
  }

  async put(p: Omit<NotificationPreferencesRow, 'updatedAt'>): Promise<void> {
    await this.uow.manager().query(`UPDATE users SET language = $2 WHERE id = $1`, [p.userId, p.language]);
    await this.uow.manager().query(
      `INSERT INTO notification_preferences (user_id, disabled_kinds, reminder_offsets_minutes)
       VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET disabled_kinds = EXCLUDED.disabled_kinds,
         reminder_offsets_minutes = EXCLUDED.reminder_offsets_minutes, updated_at = now()`,
      [p.userId, p.disabledKinds, p.reminderOffsetsMinutes],
    );
  }
}
