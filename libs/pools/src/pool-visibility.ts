import { Injectable } from '@nestjs/common';
import type { Actor } from '@allmende/core';
import { PoolRepository } from '@allmende/database';

/**
 * Which pools an actor sees: the pools its municipality is a member of (shared resources and their
 * busy time) and, for coordinators, the pools they coordinate. Admin sees all (null).
 */
@Injectable()
export class PoolVisibility {
  constructor(private readonly pools: PoolRepository) {}

  async visiblePoolIds(actor: Actor): Promise<string[] | null> {
    if (actor.role === 'admin') return null;
    const memberOf = actor.municipalityId ? await this.pools.poolIdsOfMunicipality(actor.municipalityId) : [];
    return [...new Set([...memberOf, ...(actor.role === 'coordinator' ? actor.poolIds : [])])];
  }

  async maySeePool(actor: Actor, poolId: string): Promise<boolean> {
    const visible = await this.visiblePoolIds(actor);
    return visible === null || visible.includes(poolId);
  }

  /** The same, given the pools the actor's municipality is a member of (read with the tenant). */
  maySeePoolOf(actor: Actor, poolId: string, memberOf: string[]): boolean {
    return (
      actor.role === 'admin' ||
      memberOf.includes(poolId) ||
      (actor.role === 'coordinator' && actor.poolIds.includes(poolId))
    );
  }
}
