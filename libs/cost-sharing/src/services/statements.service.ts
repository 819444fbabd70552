import { Inject, Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { Actor, Conflict, DomainError, ErrorCode, SYSTEM_ACTOR } from '@allmende/core';
import {
  AuditLog,
  BookingRepository,
  CostInputsQuery,
  PoolEntity,
  PoolRepository,
  StatementRepository,
  UnitOfWork,
} from '@allmende/database';
import { versionOn } from '../engine/agreement';
import { statementChecksum } from '../engine/checksum';
import type { PeriodFacts } from '../engine/facts';
import { localMidnight, Period, previousMonth } from '../engine/period';
import type { Language } from '../render/format';
import { renderPoolStatements } from '../render/render-statements';
import {
  MemberSavings,
  PoolStatements,
  STATEMENT_ISSUED_EVENT,
  StatementIssuedPayload,
} from '../statement-document';
import { Clock, COST_SHARING_CLOCK } from './clock';
import { StatementCalculator } from './statement-calculator';
import { periodOrFail, StatementAccess } from './statement-reach';

/** The statements JSON: the shared document (with how the settlement was found). */
export type StatementsView = PoolStatements;

export interface SavingsReport {
  poolId: string;
  poolName: string;
  period: string;
  from: string;
  to: string;
  finalized: boolean;
  language: Language;
  members: (MemberSavings & { municipalityId: string; municipalityName: string })[];
}

export interface MonthlyRunResult {
  period: string;
  issued: { poolId: string; statements: number }[];
  alreadyIssued: string[];
}

/**
 * Statements per pool and period: computed live while the period is open, read from the
 * finalized facts once it is closed. Finalizing numbers and freezes them and puts one
 * statement.issued event per member into the outbox, in the same transaction.
 */
@Injectable()
export class StatementsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly access: StatementAccess,
    private readonly calculator: StatementCalculator,
    private readonly statements: StatementRepository,
    private readonly pools: PoolRepository,
    private readonly inputs: CostInputsQuery,
    private readonly bookings: BookingRepository,
    private readonly audit: AuditLog,
    @Inject(COST_SHARING_CLOCK) private readonly clock: Clock,
  ) {}

  async get(
    actor: Actor,
    poolId: string,
    periodLabel: string | undefined,
    lang: Language,
  ): Promise<StatementsView> {
    const period = periodOrFail(periodLabel);
    return this.uow.run(actor, async () => {
      const reach = await this.access.reach(actor, poolId);
      const { facts, issue } = await this.factsOf(reach.pool, period);
      const only = reach.onlyMunicipalityId;
      return renderPoolStatements(facts, reach.pool, lang, issue, only ? (id) => id === only : undefined);
    });
  }

  /** What pooling saves each member (Nutzen der Kooperation), as its own report. */
  async savingsReport(
    actor: Actor,
    poolId: string,
    periodLabel: string | undefined,
    lang: Language,
  ): Promise<SavingsReport> {
    const doc = await this.get(actor, poolId, periodLabel, lang);
    return {
      poolId: doc.poolId,
      poolName: doc.poolName,
      period: doc.period,
      from: doc.from,
      to: doc.to,
      finalized: doc.finalized,
      language: doc.language,
      members: doc.statements.map((s) => ({
        municipalityId: s.municipalityId,
        municipalityName: s.municipalityName,
        ...s.savings!,
      })),
    };
  }

  /** The facts of a period: the frozen ones once finalized, else computed now. */
  async factsOf(
    pool: PoolEntity,
    period: Period,
  ): Promise<{
    facts: PeriodFacts;
    issue: { finalizedAt: Date | null; numbers: Record<string, { number: string; checksum: string }> };
  }> {
    const stored = await this.statements.findPeriod(pool.id, period.label);
    if (stored) {
      const numbers: Record<string, { number: string; checksum: string }> = {};
      for (const s of stored.statements)
        numbers[s.municipalityId] = { number: s.number, checksum: s.checksum };
      return { facts: stored.facts as PeriodFacts, issue: { finalizedAt: stored.finalizedAt, numbers } };
    }
    return {
      facts: await this.calculator.compute(pool, period, { corrections: true }),
      issue: { finalizedAt: null, numbers: {} },
    };
  }

  /** Finalizes a period: the pool's coordinator, or finance of the lead municipality. */
  async finalize(
    actor: Actor,
    poolId: string,
    periodLabel: string | undefined,
    lang: Language,
  ): Promise<StatementsView> {
    const period = periodOrFail(periodLabel);
    return this.uow.run(actor, async () => {
      const reach = await this.access.reach(actor, poolId);
      const versions = await this.calculator.versions(reach.pool);
      const lead = versionOn(versions, lastDay(period)).terms.leadMunicipalityId;
      const allowed =
        policies.coordinates(actor, poolId) ||
        (actor.role === 'finance' && lead !== null && actor.municipalityId === lead);
      if (!allowed)
        throw new DomainError(
          ErrorCode.Forbidden,
          'Only the pool’s coordinators or finance staff of its lead municipality may finalize statements.',
        );
      const done = await this.finalizeInside(actor, reach.pool, period);
      if (!done)
        throw new DomainError(ErrorCode.PeriodFinalized, `The period ${period.label} is already finalized.`, {
          period: period.label,
        });
      const only = reach.onlyMunicipalityId;
      return renderPoolStatements(
        done.facts,
        reach.pool,
        lang,
        done.issue,
        only ? (id) => id === only : undefined,
      );
    });
  }

  /**
   * The monthly run: last month's statements of every pool with members, each pool in its own
   * transaction. A pool whose month is finalized already is left alone: run twice, issued once.
   */
  async issueLastMonth(): Promise<MonthlyRunResult> {
    const period = previousMonth(this.clock());
    const poolIds = await this.uow.run(SYSTEM_ACTOR, () =>
      this.inputs.poolsWithMembers(period.from, period.to),
    );
    const result: MonthlyRunResult = { period: period.label, issued: [], alreadyIssued: [] };
    for (const poolId of poolIds) {
      const done = await this.uow.run(SYSTEM_ACTOR, async () => {
        const pool = await this.pools.findById(poolId);
        return pool ? this.finalizeInside(SYSTEM_ACTOR, pool, period) : null;
      });
      if (done) result.issued.push({ poolId, statements: done.facts.statements.length });
      else result.alreadyIssued.push(poolId);
    }
    return result;
  }

  /** Null when the period is finalized already (nothing written). Runs in the caller's unit of work. */
  private async finalizeInside(actor: Actor, pool: PoolEntity, period: Period) {
    if (localMidnight(period.to) > this.clock())
      throw new Conflict(
        `The period ${period.label} is not over yet; it can be finalized from ${period.to}.`,
      );
    await this.statements.lockPool(pool.id);
    const finalized = await this.statements.finalizedPeriods(pool.id);
    if (finalized.some((f) => f.period === period.label)) return null;
    const overlapping = finalized.find((f) => f.from < period.to && period.from < f.to);
    if (overlapping)
      throw new Conflict(
        `The period ${period.label} overlaps the finalized period ${overlapping.period}; finalize periods of one kind.`,
        { finalizedPeriod: overlapping.period },
      );
    const facts = await this.calculator.compute(pool, period, { corrections: true });
    const byMember = new Map(facts.statements.map((s) => [s.municipalityId, s]));
    const inserted = await this.statements.insertFinalized({
      poolId: pool.id,
      period: period.label,
      periodKind: period.kind,
      from: period.from,
      to: period.to,
      year: period.year,
      facts,
      finalizedBy: actor.userId,
      finalizedByToken: actor.tokenName,
      statements: facts.statements.map((s) => {
        const correctionCredits = s.lines.reduce(
          (a, l) => a + (l.kind === 'credit' && l.reason === 'correction' ? l.amountCents : 0),
          0,
        );
        return {
          municipalityId: s.municipalityId,
          totalCents: s.totalCents,
          creditsCents: s.creditsCents,
          netCents: s.netCents,
          baseOwedCents: s.usageCents + s.fixedCents,
          baseCreditsCents: s.creditsCents - correctionCredits,
          checksum: (number: string) =>
            statementChecksum({
              poolId: pool.id,
              period: period.label,
              number,
              statement: byMember.get(s.municipalityId),
            }),
        };
      }),
      corrections: facts.statements.flatMap((s) =>
        s.lines.flatMap((l) =>
          l.kind === 'adjustment'
            ? [
                {
                  correctedPeriod: l.period,
                  municipalityId: s.municipalityId,
                  owedCents: l.amountCents,
                  creditsCents: 0,
                },
              ]
            : l.kind === 'credit' && l.reason === 'correction'
              ? [
                  {
                    correctedPeriod: l.period,
                    municipalityId: s.municipalityId,
                    owedCents: 0,
                    creditsCents: l.amountCents,
                  },
                ]
              : [],
        ),
      ),
    });
    if (!inserted) return null;
    for (const n of inserted.numbers) {
      const payload: StatementIssuedPayload = {
        poolId: pool.id,
        municipalityId: n.municipalityId,
        period: period.label,
        statementNumber: n.number,
      };
      await this.bookings.recordEvent({
        bookingId: null,
        waitlistEntryId: null,
        municipalityId: n.municipalityId,
        kind: STATEMENT_ISSUED_EVENT,
        payload: { ...payload },
      });
    }
    await this.audit.record(actor, {
      action: 'statements.finalize',
      entityType: 'pool',
      entityId: pool.id,
      after: {
        period: period.label,
        poolTotalCents: facts.poolTotalCents,
        statements: inserted.numbers.map((n) => ({
          municipalityId: n.municipalityId,
          number: n.number,
          checksum: n.checksum,
        })),
      },
    });
    const numbers: Record<string, { number: string; checksum: string }> = {};
    for (const n of inserted.numbers) numbers[n.municipalityId] = { number: n.number, checksum: n.checksum };
    return { facts, issue: { finalizedAt: inserted.finalizedAt, numbers } };
  }
}

function lastDay(period: Period): string {
  return new Date(Date.parse(`${period.to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
