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

/** Per-user notification settings; a user without a row has the defaults. */
@Injectable()
export class NotificationPreferencesRepository {
  constructor(private readonly uow: UnitOfWork) {}

  async get(userId: string): Promise<NotificationPreferencesRow | null> {
    const rows: Record<string, unknown>[] = await this.uow.manager().query(
      `SELECT user_id, language, disabled_kinds, reminder_offsets_minutes, updated_at
           FROM notification_preferences WHERE user_id = $1`,
      [userId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      userId: r.user_id as string,
      language: r.language as 'de' | 'en',
      disabledKinds: r.disabled_kinds as string[],
      reminderOffsetsMinutes: (r.reminder_offsets_minutes as number[] | null) ?? null,
      updatedAt: new Date(r.updated_at as string),
    };
  }

  async put(p: Omit<NotificationPreferencesRow, 'updatedAt'>): Promise<void> {
    await this.uow.manager().query(
      `INSERT INTO notification_preferences (user_id, language, disabled_kinds, reminder_offsets_minutes)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id) DO UPDATE SET language = EXCLUDED.language, disabled_kinds = EXCLUDED.disabled_kinds,
         reminder_offsets_minutes = EXCLUDED.reminder_offsets_minutes, updated_at = now()`,
      [p.userId, p.language, p.disabledKinds, p.reminderOffsetsMinutes],
    );
  }
}
