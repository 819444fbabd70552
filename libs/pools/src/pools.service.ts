import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, Conflict, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  CostSharing,
  MunicipalityRepository,
  PoolEntity,
  WorkingHours,
  PoolMemberEntity,
  PoolRepository,
  UnitOfWork,
} from '@allmende/database';
import { PoolVisibility } from './pool-visibility';

/** Pools (Kooperationsverbünde): members with join and leave dates, travel matrix, cost sharing. */
@Injectable()
export class PoolsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly pools: PoolRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly audit: AuditLog,
    private readonly visibility: PoolVisibility,
  ) {}

  async create(
    actor: Actor,
    input: { name: string; fieldOfAction: string; costSharing?: CostSharing; costSharingValidFrom?: string },
  ): Promise<PoolEntity> {
    validateCostSharing(input.costSharing);
    return this.uow.run(actor, async () => {
      const pool = await this.pools.insert({
        name: input.name,
        fieldOfAction: input.fieldOfAction,
        costSharing: input.costSharing ?? { key: 'equal' },
        costSharingValidFrom: input.costSharingValidFrom ?? null,
      });
      await this.audit.record(actor, {
        action: 'pool.create',
        entityType: 'pool',
        entityId: pool.id,
        after: pool,
      });
      return pool;
    });
  }

  async get(actor: Actor, id: string): Promise<PoolEntity> {
    return this.uow.run(actor, async () => {
      const pool = await this.pools.findById(id);
      if (!pool || !(await this.visibility.maySeePool(actor, id))) throw new NotFound('Pool', id);
      return pool;
    });
  }

  async list(actor: Actor, limit: number, after?: { name: string; id: string }): Promise<PoolEntity[]> {
    return this.uow.run(actor, async () => {
      const rows = await this.pools.list(limit, after);
      const visible: PoolEntity[] = [];
      for (const p of rows) if (await this.visibility.maySeePool(actor, p.id)) visible.push(p);
      return visible;
    });
  }

  async addMember(
    actor: Actor,
    poolId: string,
    input: { municipalityId: string; joinedOn: string; leftOn?: string },
  ): Promise<PoolMemberEntity> {
    if (input.leftOn && input.leftOn <= input.joinedOn) {
      throw new ValidationFailed([{ field: 'leftOn', message: 'must be after joinedOn' }]);
    }
    return this.uow.run(actor, async () => {
      await this.managedPool(actor, poolId);
      const [m] = await this.municipalities.findByIds([input.municipalityId]);
      if (!m) throw new ValidationFailed([{ field: 'municipalityId', message: 'does not exist' }]);
      const existing = await this.pools.listMembers(poolId);
      const clash = existing.find(
        (e) =>
          e.municipalityId === input.municipalityId &&
          (e.leftOn === null || e.leftOn > input.joinedOn) &&
          (input.leftOn === undefined || input.leftOn > e.joinedOn),
      );
      if (clash)
        throw new Conflict(`${m.name} is already a member of this pool in that period.`, {
          memberId: clash.id,
        });
      const member = await this.pools.addMember({
        poolId,
        municipalityId: input.municipalityId,
        joinedOn: input.joinedOn,
        leftOn: input.leftOn ?? null,
      });
      await this.audit.record(actor, {
        action: 'pool.member.add',
        entityType: 'pool',
        entityId: poolId,
        municipalityId: input.municipalityId,
        after: member,
      });
      return member;
    });
  }

  async members(actor: Actor, poolId: string): Promise<PoolMemberEntity[]> {
    return this.uow.run(actor, async () => {
      if (!(await this.pools.findById(poolId)) || !(await this.visibility.maySeePool(actor, poolId)))
        throw new NotFound('Pool', poolId);
      return this.pools.listMembers(poolId);
    });
  }

  async setTravelTime(
    actor: Actor,
    poolId: string,
    input: { fromMunicipalityId: string; toMunicipalityId: string; minutes: number },
  ): Promise<void> {
    await this.uow.run(actor, async () => {
      await this.managedPool(actor, poolId);
      const found = await this.municipalities.findByIds([input.fromMunicipalityId, input.toMunicipalityId]);
      if (found.length !== new Set([input.fromMunicipalityId, input.toMunicipalityId]).size) {
        throw new ValidationFailed([
          { field: 'fromMunicipalityId', message: 'both municipalities must exist' },
        ]);
      }
      await this.pools.upsertTravelTime({ poolId, ...input });
      await this.audit.record(actor, {
        action: 'pool.travel-time',
        entityType: 'pool',
        entityId: poolId,
        after: input,
      });
    });
  }

  /** Where the pool offers free windows and alternatives; null returns to Mon–Fri 06:00–20:00. */
  async setOperatingHours(actor: Actor, poolId: string, hours: WorkingHours | null): Promise<PoolEntity> {
    return this.uow.run(actor, async () => {
      const pool = await this.managedPool(actor, poolId);
      await this.pools.setOperatingHours(poolId, hours);
      await this.audit.record(actor, {
        action: 'pool.operating-hours',
        entityType: 'pool',
        entityId: poolId,
        before: { operatingHours: pool.operatingHours },
        after: { operatingHours: hours },
      });
      return { ...pool, operatingHours: hours };
    });
  }

  private async managedPool(actor: Actor, poolId: string): Promise<PoolEntity> {
    const pool = await this.pools.findById(poolId);
    if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
    policies.assertCoordinates(actor, poolId);
    return pool;
  }
}

export function validateCostSharing(cs: CostSharing | undefined): void {
  if (!cs) return;
  const errors: { field: string; message: string }[] = [];
  if (cs.key === 'mixed') {
    const mix = cs.mix ?? {};
    const sum = (mix.population ?? 0) + (mix.equal ?? 0) + (mix.usage ?? 0);
    if (sum !== 100)
      errors.push({ field: 'costSharing.mix', message: `must add up to 100 percent (is ${sum})` });
  } else if (cs.mix) errors.push({ field: 'costSharing.mix', message: 'only for key "mixed"' });
  if (cs.key === 'shares') {
    const sum = Object.values(cs.shares ?? {}).reduce((a, b) => a + b, 0);
    if (sum !== 100)
      errors.push({ field: 'costSharing.shares', message: `must add up to 100 percent (is ${sum})` });
  } else if (cs.shares) errors.push({ field: 'costSharing.shares', message: 'only for key "shares"' });
  if (errors.length) throw new ValidationFailed(errors);
}
