import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, DomainError, ErrorCode, NotFound, ValidationFailed } from '@allmende/core';
import { PoolEntity, PoolRepository } from '@allmende/database';
import { PoolVisibility } from '@allmende/pools';
import { parsePeriod, Period } from '../engine/period';

/** Whose statements a caller sees in a pool: all (coordinator, admin) or its own municipality's. */
export interface StatementReach {
  pool: PoolEntity;
  /** Undefined: every member; else the one municipality the caller may see. */
  onlyMunicipalityId?: string;
}

@Injectable()
export class StatementAccess {
  constructor(
    private readonly pools: PoolRepository,
    private readonly visibility: PoolVisibility,
  ) {}

  /** Finance (and a coordinator of another pool) sees its own municipality's statement only. */
  async reach(actor: Actor, poolId: string): Promise<StatementReach> {
    const pool = await this.pools.findById(poolId);
    if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
    if (policies.coordinates(actor, poolId)) return { pool };
    if (actor.municipalityId && (actor.role === 'finance' || actor.role === 'coordinator'))
      return { pool, onlyMunicipalityId: actor.municipalityId };
    throw new DomainError(
      ErrorCode.Forbidden,
      'Statements are for finance staff and the pool’s coordinators.',
    );
  }
}

export function periodOrFail(label: string | undefined, field = 'period'): Period {
  const period = label === undefined ? null : parsePeriod(label);
  if (!period)
    throw new ValidationFailed([
      {
        field,
        message: 'must be a month (2026-11), a quarter (2026-Q4) or a year (2026) between 2000 and 2100',
      },
    ]);
  return period;
}
