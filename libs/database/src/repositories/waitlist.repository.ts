import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { WaitlistEntryEntity } from '../entities';

export type NewWaitlistEntry = Omit<
  WaitlistEntryEntity,
  'id' | 'createdAt' | 'updatedAt' | 'status' | 'offer'
>;

@Injectable()
export class WaitlistRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get entries() {
    return this.uow.manager().getRepository(WaitlistEntryEntity);
  }

  insert(entry: NewWaitlistEntry): Promise<WaitlistEntryEntity> {
    return this.entries.save(this.entries.create({ ...entry, status: 'waiting', offer: null }));
  }

  findById(id: string): Promise<WaitlistEntryEntity | null> {
    return this.entries.findOneBy({ id });
  }

  /** Waiting entries of a type in a pool, first come first served (emergencies first). */
  waiting(poolId: string, resourceType: string): Promise<WaitlistEntryEntity[]> {
    return this.entries
      .createQueryBuilder('w')
      .where(`w.pool_id = :poolId AND w.resource_type = :resourceType AND w.status = 'waiting'`, {
        poolId,
        resourceType,
      })
      .orderBy(`CASE w.priority WHEN 'emergency' THEN 0 ELSE 1 END`)
      .addOrderBy('w.created_at')
      .addOrderBy('w.id')
      .getMany();
  }

  /** Unmet demand of a pool in a period, for the solver. */
  waitingInPool(poolId: string, from: Date, to: Date): Promise<WaitlistEntryEntity[]> {
    return this.entries
      .createQueryBuilder('w')
      .where(`w.pool_id = :poolId AND w.status = 'waiting' AND w.start_at < :to AND w.end_at > :from`, {
        poolId,
        from,
        to,
      })
      .orderBy('w.created_at')
      .addOrderBy('w.id')
      .getMany();
  }

  list(
    filter: { poolId?: string; municipalityId?: string; poolIds?: string[] },
    limit: number,
  ): Promise<WaitlistEntryEntity[]> {
    const qb = this.entries
      .createQueryBuilder('w')
      .where('true')
      .orderBy('w.created_at')
      .addOrderBy('w.id')
      .limit(limit);
    if (filter.poolId) qb.andWhere('w.pool_id = :poolId', { poolId: filter.poolId });
    if (filter.municipalityId) qb.andWhere('w.municipality_id = :m', { m: filter.municipalityId });
    if (filter.poolIds) qb.andWhere('w.pool_id = ANY(:poolIds)', { poolIds: filter.poolIds });
    return qb.getMany();
  }

  async update(id: string, patch: Partial<WaitlistEntryEntity>): Promise<void> {
    await this.entries.save({ ...patch, id });
  }
}
