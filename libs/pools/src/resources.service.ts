import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, NotFound, ValidationFailed } from '@allmende/core';
import {
  AuditLog,
  BlackoutEntity,
  MunicipalityRepository,
  NewResource,
  PoolRepository,
  ResourceEntity,
  ResourceRepository,
  UnitOfWork,
} from '@allmende/database';
import { PoolVisibility } from './pool-visibility';

/** Machines and staff of a pool, and their blackouts (maintenance, absence). */
@Injectable()
export class ResourcesService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly resources: ResourceRepository,
    private readonly pools: PoolRepository,
    private readonly municipalities: MunicipalityRepository,
    private readonly audit: AuditLog,
    private readonly visibility: PoolVisibility,
  ) {}

  async create(actor: Actor, input: NewResource): Promise<ResourceEntity> {
    const errors: { field: string; message: string }[] = [];
    if (input.kind === 'staff' && input.requiredQualification) {
      errors.push({
        field: 'requiredQualification',
        message: 'only machines require an operator qualification',
      });
    }
    if (input.kind === 'machine' && input.email) {
      errors.push({ field: 'email', message: 'only staff (operators) have an email address' });
    }
    if (input.kind === 'machine' && input.weeklyHours !== null) {
      errors.push({ field: 'weeklyHours', message: 'only staff have weekly working hours' });
    }
    if (errors.length) throw new ValidationFailed(errors);
    return this.uow.run(actor, async () => {
      const pool = await this.pools.findById(input.poolId);
      if (!pool || !(await this.visibility.maySeePool(actor, input.poolId)))
        throw new NotFound('Pool', input.poolId);
      policies.assertCoordinates(actor, input.poolId);
      const [home] = await this.municipalities.findByIds([input.homeMunicipalityId]);
      if (!home) throw new ValidationFailed([{ field: 'homeMunicipalityId', message: 'does not exist' }]);
      const resource = await this.resources.insert(input);
      await this.audit.record(actor, {
        action: 'resource.create',
        entityType: 'resource',
        entityId: resource.id,
        municipalityId: resource.homeMunicipalityId,
        after: resource,
      });
      return resource;
    });
  }

  async get(actor: Actor, id: string): Promise<ResourceEntity> {
    return this.uow.run(actor, async () => {
      const r = await this.resources.findById(id);
      if (!r || !(await this.visibility.maySeePool(actor, r.poolId))) throw new NotFound('Resource', id);
      return r;
    });
  }

  async list(
    actor: Actor,
    filter: { poolId?: string; type?: string; kind?: string },
    limit: number,
    after?: { name: string; id: string },
  ): Promise<ResourceEntity[]> {
    return this.uow.run(actor, async () => {
      const visible = await this.visibility.visiblePoolIds(actor);
      return this.resources.list({ ...filter, ...(visible ? { poolIds: visible } : {}) }, limit, after);
    });
  }

  async addBlackout(
    actor: Actor,
    resourceId: string,
    input: { start: Date; end: Date; reason: string },
  ): Promise<BlackoutEntity> {
    if (input.end <= input.start)
      throw new ValidationFailed([{ field: 'end', message: 'must be after start' }]);
    return this.uow.run(actor, async () => {
      const r = await this.resources.lock(resourceId);
      if (!r || !(await this.visibility.maySeePool(actor, r.poolId)))
        throw new NotFound('Resource', resourceId);
      policies.assertCoordinates(actor, r.poolId);
      const blackout = await this.resources.insertBlackout({
        resourceId,
        startAt: input.start,
        endAt: input.end,
        reason: input.reason,
      });
      await this.audit.record(actor, {
        action: 'resource.blackout',
        entityType: 'resource',
        entityId: resourceId,
        after: blackout,
      });
      return blackout;
    });
  }

  /** Blackouts (maintenance; for staff: absences) overlapping [from, to). */
  async blackouts(actor: Actor, resourceId: string, from: Date, to: Date): Promise<BlackoutEntity[]> {
    if (to <= from) throw new ValidationFailed([{ field: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_BLACKOUT_QUERY_DAYS * 86_400_000) {
      throw new ValidationFailed([
        { field: 'to', message: `the period may span at most ${MAX_BLACKOUT_QUERY_DAYS} days` },
      ]);
    }
    return this.uow.run(actor, async () => {
      const r = await this.resources.findById(resourceId);
      if (!r || !(await this.visibility.maySeePool(actor, r.poolId)))
        throw new NotFound('Resource', resourceId);
      return this.resources.blackoutsOf(resourceId, from, to);
    });
  }

  async removeBlackout(actor: Actor, resourceId: string, blackoutId: string): Promise<void> {
    await this.uow.run(actor, async () => {
      const r = await this.resources.lock(resourceId);
      if (!r || !(await this.visibility.maySeePool(actor, r.poolId)))
        throw new NotFound('Resource', resourceId);
      policies.assertCoordinates(actor, r.poolId);
      const [blackout] = (
        await this.resources.blackoutsOf(resourceId, new Date(0), new Date(8.64e15))
      ).filter((b) => b.id === blackoutId);
      if (!blackout || (await this.resources.deleteBlackout(resourceId, blackoutId)) === 0) {
        throw new NotFound('Blackout', blackoutId);
      }
      await this.audit.record(actor, {
        action: 'resource.blackout.remove',
        entityType: 'resource',
        entityId: resourceId,
        before: blackout,
      });
    });
  }
}

const MAX_BLACKOUT_QUERY_DAYS = 800;
