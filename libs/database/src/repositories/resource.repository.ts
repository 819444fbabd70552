import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { BlackoutEntity, InspectionEntity, ResourceEntity } from '../entities';
import { resourceFromRow } from './rows';

export type NewResource = Omit<
  ResourceEntity,
  'id' | 'createdAt' | 'updatedAt' | 'active' | 'inspectionIntervalMonths' | 'retiredAt' | 'email'
> & { inspectionIntervalMonths?: number | null; email?: string | null };

export type ResourceChange = Partial<
  Pick<
    ResourceEntity,
    | 'name'
    | 'homeMunicipalityId'
    | 'attributes'
    | 'qualifications'
    | 'requiredQualification'
    | 'hourlyRateCents'
    | 'perUseCents'
    | 'annualFixedCostCents'
    | 'transportSpeedKmh'
    | 'nextInspectionDue'
    | 'inspectionIntervalMonths'
    | 'weeklyHours'
    | 'workingHours'
    | 'active'
    | 'retiredAt'
  >
>;

@Injectable()
export class ResourceRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get resources() {
    return this.uow.manager().getRepository(ResourceEntity);
  }

  insert(resource: NewResource): Promise<ResourceEntity> {
    return this.resources.save(
      this.resources.create({
        ...resource,
        inspectionIntervalMonths: resource.inspectionIntervalMonths ?? null,
        retiredAt: null,
        active: true,
      }),
    );
  }

  async update(id: string, change: ResourceChange): Promise<ResourceEntity> {
    if (Object.keys(change).length > 0) await this.resources.save({ ...change, id });
    return (await this.findById(id))!;
  }

  insertInspection(i: Omit<InspectionEntity, 'id' | 'createdAt'>): Promise<InspectionEntity> {
    const repo = this.uow.manager().getRepository(InspectionEntity);
    return repo.save(repo.create(i));
  }

  inspections(resourceId: string): Promise<InspectionEntity[]> {
    return this.uow
      .manager()
      .getRepository(InspectionEntity)
      .find({ where: { resourceId }, order: { inspectedOn: 'DESC', createdAt: 'DESC' } });
  }

  /**
   * What takes a pool's machines out of service in [from, to): an inspection falling due (the
   * machine may not be used after its due day) and retirements. For availability and the
   * bottleneck findings, before it bites.
   */
  async outOfServiceIn(
    poolId: string,
    from: Date,
    to: Date,
  ): Promise<{ inspectionsDue: ResourceEntity[]; retired: ResourceEntity[] }> {
    const qb = this.resources
      .createQueryBuilder('r')
      .where('r.pool_id = :poolId', { poolId })
      .orderBy('r.name')
      .addOrderBy('r.id');
    const [inspectionsDue, retired] = await Promise.all([
      qb
        .clone()
        .andWhere('r.active AND r.next_inspection_due IS NOT NULL')
        .andWhere(`r.next_inspection_due < (CAST(:to AS timestamptz) AT TIME ZONE 'Europe/Berlin')::date`, {
          to,
        })
        .getMany(),
      qb
        .clone()
        .andWhere('r.retired_at IS NOT NULL AND r.retired_at >= :from AND r.retired_at < :to', { from, to })
        .getMany(),
    ]);
    return { inspectionsDue, retired };
  }

  findBlackout(resourceId: string, blackoutId: string): Promise<BlackoutEntity | null> {
    return this.uow.manager().getRepository(BlackoutEntity).findOneBy({ id: blackoutId, resourceId });
  }

  deleteBlackout(resourceId: string, blackoutId: string): Promise<number> {
    return this.uow
      .manager()
      .getRepository(BlackoutEntity)
      .delete({ id: blackoutId, resourceId })
      .then((r) => r.affected ?? 0);
  }

  blackoutsOf(resourceId: string, from: Date, to: Date): Promise<BlackoutEntity[]> {
    return this.blackoutsOverlapping([resourceId], from, to);
  }

  findById(id: string): Promise<ResourceEntity | null> {
    return this.resources.findOneBy({ id });
  }

  findByIds(ids: string[]): Promise<ResourceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.resources
      .createQueryBuilder('r')
      .where('r.id = ANY(:ids)', { ids: [...new Set(ids)] })
      .getMany();
  }

  /**
   * Locks the resource row for the rest of the transaction. Every booking write takes this lock,
   * so the transport legs to the neighbouring bookings are computed from a stable calendar.
   */
  async lock(id: string): Promise<ResourceEntity | null> {
    return (await this.lockMany([id]))[0] ?? null;
  }

  /** Locks several resources in id order (a fixed order avoids deadlocks). */
  async lockMany(ids: string[]): Promise<ResourceEntity[]> {
    // One statement; rows are locked in the order they are returned, by id, so two transactions
    // locking overlapping sets cannot deadlock on them.
    // As JSON: a prepared statement's result type must not change when a migration adds a column.
    const rows = await this.uow.query<{ r: Record<string, unknown> }>(
      'allmende_lock_resources',
      'SELECT row_to_json(resources) AS r FROM resources WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
      [[...new Set(ids)]],
    );
    return rows.map((row) => resourceFromRow(row.r));
  }

  listByPoolAndType(poolId: string, type: string, kind?: 'machine' | 'staff'): Promise<ResourceEntity[]> {
    return this.resources.find({
      where: { poolId, type, active: true, ...(kind ? { kind } : {}) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** Active resources of a pool (of one kind), by name. */
  listByPool(poolId: string, kind?: 'machine' | 'staff'): Promise<ResourceEntity[]> {
    return this.resources.find({
      where: { poolId, active: true, ...(kind ? { kind } : {}) },
      order: { name: 'ASC', id: 'ASC' },
    });
  }

  /** Staff of a pool holding a qualification. */
  qualifiedStaff(poolId: string, qualification: string): Promise<ResourceEntity[]> {
    return this.resources
      .createQueryBuilder('r')
      .where('r.pool_id = :poolId AND r.kind = :kind AND r.active AND :q = ANY(r.qualifications)', {
        poolId,
        kind: 'staff',
        q: qualification,
      })
      .orderBy('r.name')
      .addOrderBy('r.id')
      .getMany();
  }

  list(
    filter: { poolId?: string; type?: string; kind?: string; poolIds?: string[] },
    limit: number,
    after?: { name: string; id: string },
  ): Promise<ResourceEntity[]> {
    const qb = this.resources
      .createQueryBuilder('r')
      .where('r.active')
      .orderBy('r.name')
      .addOrderBy('r.id')
      .limit(limit);
    if (filter.poolId) qb.andWhere('r.pool_id = :poolId', { poolId: filter.poolId });
    if (filter.poolIds) qb.andWhere('r.pool_id = ANY(:poolIds)', { poolIds: filter.poolIds });
    if (filter.type) qb.andWhere('r.type = :type', { type: filter.type });
    if (filter.kind) qb.andWhere('r.kind = :kind', { kind: filter.kind });
    if (after) qb.andWhere('(r.name, r.id) > (:name, :id)', after);
    return qb.getMany();
  }

  insertBlackout(b: Omit<BlackoutEntity, 'id' | 'createdAt'>): Promise<BlackoutEntity> {
    const repo = this.uow.manager().getRepository(BlackoutEntity);
    return repo.save(repo.create(b));
  }

  blackoutsOverlapping(resourceIds: string[], from: Date, to: Date): Promise<BlackoutEntity[]> {
    return this.uow
      .manager()
      .getRepository(BlackoutEntity)
      .createQueryBuilder('b')
      .where('b.resource_id = ANY(:ids)', { ids: resourceIds })
      .andWhere(`tstzrange(b.start_at, b.end_at, '[)') && tstzrange(:from, :to, '[)')`, { from, to })
      .orderBy('b.start_at')
      .getMany();
  }
}
