import { Injectable } from '@nestjs/common';
import { NotificationFactsQuery, UnitOfWork } from '@allmende/database';
import { policies } from '@allmende/auth';
import { Actor, NotFound, ValidationFailed } from '@allmende/core';
import { PoolVisibility } from '@allmende/pools';
import { checkReminderOffsets } from './notification-preferences.service';

export interface PoolNotificationSettings {
  poolId: string;
  /** Minutes before a booking's start; users may override them. */
  reminderOffsetsMinutes: number[];
}

/** A pool's default reminder offsets: members read them, its coordinators change them. */
@Injectable()
export class PoolNotificationSettingsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly facts: NotificationFactsQuery,
    private readonly visibility: PoolVisibility,
  ) {}

  get(actor: Actor, poolId: string): Promise<PoolNotificationSettings> {
    return this.uow.run(actor, async () => {
      const offsets = await this.facts.poolReminderOffsets(poolId);
      if (!offsets || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      return { poolId, reminderOffsetsMinutes: offsets };
    });
  }

  async put(actor: Actor, poolId: string, offsets: number[]): Promise<PoolNotificationSettings> {
    const errors = checkReminderOffsets(offsets, 'reminderOffsetsMinutes');
    if (errors.length) throw new ValidationFailed(errors);
    return this.uow.run(actor, async () => {
      if (
        !(await this.facts.poolReminderOffsets(poolId)) ||
        !(await this.visibility.maySeePool(actor, poolId))
      )
        throw new NotFound('Pool', poolId);
      policies.assertCoordinates(actor, poolId);
      const sorted = [...offsets].sort((a, b) => b - a);
      await this.facts.setPoolReminderOffsets(poolId, sorted);
      return { poolId, reminderOffsetsMinutes: sorted };
    });
  }
}
