import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../unit-of-work';
import { CostSharing, PoolEntity, PoolMemberEntity, PoolTravelTimeEntity } from '../entities';

export interface NewPool {
  name: string;
  fieldOfAction: string;
  costSharing: CostSharing;
  costSharingValidFrom: string | null;
}

@Injectable()
export class PoolRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get pools() {
    return this.uow.manager().getRepository(PoolEntity);
  }

  private get members() {
    return this.uow.manager().getRepository(PoolMemberEntity);
  }

  insert(pool: NewPool): Promise<PoolEntity> {
    return this.pools.save(this.pools.create(pool));
  }

  findById(id: string): Promise<PoolEntity | null> {
    return this.pools.findOneBy({ id });
  }

  list(limit: number, after?: { name: string; id: string }): Promise<PoolEntity[]> {
    const qb = this.pools.createQueryBuilder('p').orderBy('p.name').addOrderBy('p.id').limit(limit);
    if (after) qb.where('(p.name, p.id) > (:name, :id)', after);
    return qb.getMany();
  }

  addMember(member: Omit<PoolMemberEntity, 'id' | 'createdAt'>): Promise<PoolMemberEntity> {
    return this.members.save(this.members.create(member));
  }

  listMembers(poolId: string): Promise<PoolMemberEntity[]> {
    return this.members.find({ where: { poolId }, order: { joinedOn: 'ASC', id: 'ASC' } });
  }

  async poolIdsOfMunicipality(municipalityId: string): Promise<string[]> {
    const rows: { pool_id: string }[] = await this.uow
      .manager()
      .query(`SELECT DISTINCT pool_id FROM pool_members WHERE municipality_id = $1`, [municipalityId]);
    return rows.map((r) => r.pool_id);
  }

  travelTimes(poolId: string): Promise<PoolTravelTimeEntity[]> {
    return this.uow.manager().getRepository(PoolTravelTimeEntity).findBy({ poolId });
  }

  async upsertTravelTime(t: PoolTravelTimeEntity): Promise<void> {
    await this.uow
      .manager()
      .getRepository(PoolTravelTimeEntity)
      .upsert(t, ['poolId', 'fromMunicipalityId', 'toMunicipalityId']);
  }

  async setOperatingHours(poolId: string, hours: PoolEntity['operatingHours']): Promise<void> {
    await this.pools.update({ id: poolId }, { operatingHours: hours ?? null });
  }
}
