import { Injectable } from '@nestjs/common';
import { NotificationPreferencesRepository, UnitOfWork, UserRepository } from '@allmende/database';
import { Actor, DomainError, ErrorCode, FieldError, NotFound, ValidationFailed } from '@allmende/core';
import { Language, LANGUAGES, NOTIFICATION_KINDS, NotificationKind } from './kinds';

/** A user id, or 'me' for the caller. */
export type UserRef = string;

export interface NotificationPreferences {
  userId: string;
  language: Language;
  /** Kinds switched off; everything else is on. */
  disabledKinds: NotificationKind[];
  /** Minutes before a booking's start; null: the pool's offsets. */
  reminderOffsetsMinutes: number[] | null;
}

/** Reminders at most 14 days ahead, at least 5 minutes; up to 5 of them. */
export const REMINDER_OFFSET_LIMITS = { min: 5, max: 14 * 1440, count: 5 };

export function checkReminderOffsets(offsets: number[], field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (offsets.length > REMINDER_OFFSET_LIMITS.count)
    errors.push({ field, message: `at most ${REMINDER_OFFSET_LIMITS.count} offsets` });
  if (
    offsets.some(
      (o) => !Number.isInteger(o) || o < REMINDER_OFFSET_LIMITS.min || o > REMINDER_OFFSET_LIMITS.max,
    )
  )
    errors.push({
      field,
      message: `each offset is whole minutes from ${REMINDER_OFFSET_LIMITS.min} to ${REMINDER_OFFSET_LIMITS.max}`,
    });
  if (new Set(offsets).size !== offsets.length) errors.push({ field, message: 'offsets must differ' });
  return errors;
}

/** A user's notification settings: the user reads and changes their own, an admin anyone's. */
@Injectable()
export class NotificationPreferencesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly preferences: NotificationPreferencesRepository,
    private readonly users: UserRepository,
  ) {}

  async get(actor: Actor, userId: UserRef): Promise<NotificationPreferences> {
    return this.uow.run(actor, async () => {
      const id = await this.target(actor, userId);
      const row = await this.preferences.get(id);
      return {
        userId: id,
        language: row?.language ?? 'de',
        disabledKinds: (row?.disabledKinds ?? []) as NotificationKind[],
        reminderOffsetsMinutes: row?.reminderOffsetsMinutes ?? null,
      };
    });
  }

  async put(
    actor: Actor,
    userId: UserRef,
    input: Omit<NotificationPreferences, 'userId'>,
  ): Promise<NotificationPreferences> {
    const errors: FieldError[] = [];
    if (!LANGUAGES.includes(input.language)) errors.push({ field: 'language', message: 'must be de or en' });
    const unknown = input.disabledKinds.filter((k) => !NOTIFICATION_KINDS.includes(k));
    if (unknown.length)
      errors.push({ field: 'disabledKinds', message: `unknown kinds: ${unknown.join(', ')}` });
    if (input.reminderOffsetsMinutes)
      errors.push(...checkReminderOffsets(input.reminderOffsetsMinutes, 'reminderOffsetsMinutes'));
    if (errors.length) throw new ValidationFailed(errors);
    return this.uow.run(actor, async () => {
      const id = await this.target(actor, userId);
      const prefs = {
        userId: id,
        language: input.language,
        disabledKinds: [...new Set(input.disabledKinds)].sort(),
        reminderOffsetsMinutes: input.reminderOffsetsMinutes
          ? [...input.reminderOffsetsMinutes].sort((a, b) => b - a)
          : null,
      };
      await this.preferences.put(prefs);
      return prefs;
    });
  }

  private async target(actor: Actor, userId: UserRef): Promise<string> {
    if (userId === 'me') {
      if (!actor.userId) {
        throw new DomainError(
          ErrorCode.BadRequest,
          'The installation admin token has no user and so no notification preferences.',
        );
      }
      return actor.userId;
    }
    if (actor.role !== 'admin' && actor.userId !== userId) throw new NotFound('User', userId);
    const user = await this.users.findById(userId);
    if (!user) throw new NotFound('User', userId);
    return user.id;
  }
}
