import { Injectable } from '@nestjs/common';
import { NotificationFactsQuery, NotificationRepository, UnitOfWork } from '@allmende/database';
import { SYSTEM_ACTOR } from '@allmende/core';
import { Audience } from './audience';
import { NotificationQueue } from './notification-queue';

/**
 * Tells a machine's owner (the yard managers of its home municipality) once per due date that
 * its inspection is due within the notice period: an overdue inspection blocks bookings.
 */
@Injectable()
export class InspectionWatch {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly facts: NotificationFactsQuery,
    private readonly ledger: NotificationRepository,
    private readonly queue: NotificationQueue,
  ) {}

  async check(withinDays: number): Promise<{ messages: number }> {
    const queued = await this.uow.run(SYSTEM_ACTOR, async () => {
      const rows = [];
      for (const m of await this.facts.inspectionsDue(withinDays)) {
        const owners = await this.facts.usersOf(m.homeMunicipalityId, 'yard-manager');
        const planned = new Audience('inspection-due')
          .users(owners, {
            type: 'inspection-due',
            resourceName: m.resourceName,
            poolName: m.poolName,
            homeMunicipalityName: m.homeMunicipalityName,
            dueDate: m.nextInspectionDue,
          })
          .list();
        for (const p of planned) {
          rows.push({
            dedupeKey: `inspection.${m.resourceId}.${m.nextInspectionDue}.${p.recipientKey}`,
            kind: p.kind,
            eventId: null,
            bookingId: null,
            userId: p.userId,
            recipientEmail: p.email,
            recipientName: p.name,
            language: p.language,
            facts: p.facts as unknown as Record<string, unknown>,
          });
        }
      }
      return this.ledger.insertMany(rows);
    });
    await this.queue.sends(queued);
    return { messages: queued.length };
  }
}
