import { Injectable } from '@nestjs/common';
import { BookingFacts, DesiredReminder, NotificationFactsQuery } from '@allmende/database';
import { bookerFirst, emailKey, userKey } from './audience';

/**
 * The reminders a booking should have now: for the booker and the booking municipality's yard
 * managers (or, for an operator's booking, the operator), at each of their offsets (their own,
 * else the pool's) before the start, none due in the past. Cancelled and displaced: none.
 */
@Injectable()
export class ReminderPlanner {
  constructor(private readonly facts: NotificationFactsQuery) {}

  async desired(b: BookingFacts, now: Date): Promise<DesiredReminder[]> {
    if (b.status !== 'active' || b.startAt <= now) return [];
    const poolOffsets = b.poolReminderOffsetsMinutes;
    const at = (offset: number) => new Date(b.startAt.getTime() - offset * 60_000);
    const out: DesiredReminder[] = [];
    const seen = new Set<string>();
    const add = (r: Omit<DesiredReminder, 'dueAt' | 'offsetMinutes' | 'startAt'>, offsets: number[]) => {
      const address = r.recipientEmail.toLowerCase();
      if (seen.has(address)) return;
      seen.add(address);
      for (const offset of new Set(offsets)) {
        const dueAt = at(offset);
        if (dueAt > now) out.push({ ...r, offsetMinutes: offset, startAt: b.startAt, dueAt });
      }
    };
    if (b.operatorForBookingId || b.resourceKind === 'staff') {
      if (b.resourceEmail) {
        add(
          {
            recipientKey: emailKey(b.resourceEmail),
            userId: null,
            recipientEmail: b.resourceEmail,
            recipientName: b.resourceName,
            language: 'de',
          },
          poolOffsets,
        );
      }
      if (b.operatorForBookingId) return out;
    }
    const booker = b.createdBy ? await this.facts.user(b.createdBy) : null;
    for (const u of bookerFirst(booker, await this.facts.usersOf(b.municipalityId, 'yard-manager'))) {
      if (u.disabledKinds.includes('reminder')) continue;
      add(
        {
          recipientKey: userKey(u.id),
          userId: u.id,
          recipientEmail: u.email,
          recipientName: u.name,
          language: u.language,
        },
        u.reminderOffsetsMinutes ?? poolOffsets,
      );
    }
    return out;
  }
}
