import { Injectable } from '@nestjs/common';
import { NotificationRepository, NotificationRow, NotificationStatus, UnitOfWork } from '@allmende/database';
import { Actor, Conflict, NotFound } from '@allmende/core';
import { NotificationQueue } from './notification-queue';

/** The admin's view of the ledger: what was sent, what failed; a failed row can be retried. */
@Injectable()
export class NotificationAdminService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly ledger: NotificationRepository,
    private readonly queue: NotificationQueue,
  ) {}

  list(
    actor: Actor,
    filter: { status?: NotificationStatus; bookingId?: string },
    limit: number,
    after?: { updatedAt: string; id: string },
  ): Promise<NotificationRow[]> {
    return this.uow.run(actor, () => this.ledger.list(filter, limit, after));
  }

  async retry(actor: Actor, id: string): Promise<NotificationRow> {
    const queued = await this.uow.run(actor, async () => {
      const row = await this.ledger.findById(id);
      if (!row) throw new NotFound('Notification', id);
      const again = await this.ledger.retry(id);
      if (!again)
        throw new Conflict(`Notification ${id} is ${row.status}; only failed notifications can be retried.`);
      return again;
    });
    await this.queue.sends([queued]);
    return (await this.uow.run(actor, () => this.ledger.findById(id)))!;
  }
}
