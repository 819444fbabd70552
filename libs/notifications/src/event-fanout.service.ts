import { Injectable } from '@nestjs/common';
import {
  NotificationFactsQuery,
  NotificationRepository,
  ReminderRepository,
  UnitOfWork,
} from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { EventPlanner } from './event-planner';
import { NotificationQueue } from './notification-queue';
import { ReminderPlanner } from './reminder-planner';

/**
 * One outbox event → its ledger rows (one per kind and recipient, keyed so a second run adds
 * nothing) and, for a booking, its reminders brought in line with the booking as it is now; then
 * the send jobs. Running it twice sends nothing twice.
 */
@Injectable()
export class EventFanout {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly facts: NotificationFactsQuery,
    private readonly planner: EventPlanner,
    private readonly reminderPlanner: ReminderPlanner,
    private readonly ledger: NotificationRepository,
    private readonly reminders: ReminderRepository,
    private readonly queue: NotificationQueue,
  ) {}

  async handle(eventId: string): Promise<{ messages: number }> {
    const queued = await this.uow.run(SYSTEM_ACTOR, async () => {
      const event = await this.facts.event(eventId);
      if (!event) return [];
      const planned = await this.planner.plan(event);
      const rows = await this.ledger.insertMany(
        planned.map((m) => ({
          dedupeKey: `event.${event.id}.${m.kind}.${m.recipientKey}`,
          kind: m.kind,
          eventId: event.id,
          bookingId: m.facts.type === 'booking' ? m.facts.booking.id : null,
          userId: m.userId,
          recipientEmail: m.email,
          recipientName: m.name,
          language: m.language,
          facts: m.facts,
          dueAt: event.createdAt,
        })),
      );
      if (event.bookingId) {
        const booking = await this.facts.booking(event.bookingId);
        if (booking) {
          await this.reminders.replacePending(
            booking.id,
            await this.reminderPlanner.desired(booking, new Date()),
          );
        }
      }
      await this.facts.markFannedOut(event.id);
      return rows;
    });
    await this.queue.sends(queued);
    return { messages: queued.length };
  }
}
