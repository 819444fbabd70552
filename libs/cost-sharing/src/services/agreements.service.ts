import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import {
  Actor,
  Conflict,
  DomainError,
  ErrorCode,
  FieldError,
  NotFound,
  ValidationFailed,
} from '@allmende/core';
import {
  AuditLog,
  CostInputsQuery,
  CostSharing,
  CostSharingAgreementRepository,
  PoolRepository,
  StatementRepository,
  UnitOfWork,
} from '@allmende/database';
import { PoolVisibility, validateCostSharing } from '@allmende/pools';
import { CostSettings, termsOf } from '../engine/agreement';
import type { AgreementTerms } from '../engine/facts';

export interface AgreementVersionView {
  /** null: the pool's original agreement, in force from the start. */
  validFrom: string | null;
  terms: AgreementTerms;
  createdAt: Date | null;
}

export type NewAgreement = CostSharing & Partial<CostSettings> & { validFrom: string };

/**
 * The cost-sharing agreement's versions. A new version takes effect from its date and never
 * reaches into a finalized period: past statements do not change.
 */
@Injectable()
export class AgreementsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly pools: PoolRepository,
    private readonly visibility: PoolVisibility,
    private readonly agreements: CostSharingAgreementRepository,
    private readonly statements: StatementRepository,
    private readonly inputs: CostInputsQuery,
    private readonly audit: AuditLog,
  ) {}

  async list(actor: Actor, poolId: string): Promise<AgreementVersionView[]> {
    return this.uow.run(actor, async () => {
      const pool = await this.pools.findById(poolId);
      if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      const stored = await this.agreements.list(poolId);
      return [
        { validFrom: null, terms: termsOf(pool.costSharing), createdAt: pool.createdAt },
        ...stored.map((a) => ({
          validFrom: a.validFrom,
          terms: termsOf(a.terms as unknown as NewAgreement),
          createdAt: a.createdAt,
        })),
      ];
    });
  }

  async add(actor: Actor, poolId: string, input: NewAgreement): Promise<AgreementVersionView> {
    validateCostSharing(input);
    return this.uow.run(actor, async () => {
      const pool = await this.pools.findById(poolId);
      if (!pool || !(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      policies.assertCoordinates(actor, poolId);
      await this.validateSettings(input);
      await this.statements.lockPool(poolId);
      const closed = (await this.statements.finalizedPeriods(poolId)).filter((f) => f.to > input.validFrom);
      if (closed.length > 0)
        throw new DomainError(
          ErrorCode.PeriodFinalized,
          `The period ${closed[closed.length - 1].period} is finalized; a new agreement can take effect from ${
            closed[closed.length - 1].to
          } on.`,
          { finalizedPeriod: closed[closed.length - 1].period },
        );
      const { validFrom, ...terms } = input;
      const row = await this.agreements.insert({ poolId, validFrom, terms, createdBy: actor.userId });
      if (!row) throw new Conflict(`The pool already has an agreement from ${validFrom}.`, { validFrom });
      await this.audit.record(actor, {
        action: 'pool.cost-sharing.agreement',
        entityType: 'pool',
        entityId: poolId,
        after: { validFrom, ...terms },
      });
      return { validFrom, terms: termsOf(terms), createdAt: row.createdAt };
    });
  }

  private async validateSettings(input: NewAgreement): Promise<void> {
    const errors: FieldError[] = [];
    const ids = [input.leadMunicipalityId, input.coordinationHostMunicipalityId].filter(
      (x): x is string => !!x,
    );
    const shareIds = Object.keys(input.shares ?? {});
    const known = new Set(
      (await this.inputs.municipalities([...ids, ...shareIds.filter(isUuid)])).map((m) => m.id),
    );
    if (input.leadMunicipalityId && !known.has(input.leadMunicipalityId))
      errors.push({ field: 'leadMunicipalityId', message: 'is not a municipality' });
    if (input.coordinationHostMunicipalityId && !known.has(input.coordinationHostMunicipalityId))
      errors.push({ field: 'coordinationHostMunicipalityId', message: 'is not a municipality' });
    for (const id of shareIds)
      if (!known.has(id)) errors.push({ field: `shares.${id}`, message: 'is not a municipality' });
    for (const field of ['standaloneAnnualCostCentsByType', 'marketHourlyRateCentsByType'] as const) {
      for (const [type, cents] of Object.entries(input[field] ?? {}))
        if (!Number.isSafeInteger(cents) || cents < 0)
          errors.push({ field: `${field}.${type}`, message: 'must be a whole number of cents ≥ 0' });
    }
    if (input.settlement === 'lead' && !input.leadMunicipalityId)
      errors.push({
        field: 'leadMunicipalityId',
        message: 'is needed to settle through the lead municipality',
      });
    if (errors.length) throw new ValidationFailed(errors);
  }
}

function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
