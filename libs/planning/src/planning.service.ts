import { Inject, Injectable, Logger } from '@nestjs/common';
import { policies } from '@allmende/auth';
import { APP_CONFIG, AppConfig } from '@allmende/config';
import { BookingsService, RescheduleService } from '@allmende/bookings';
import {
  Actor,
  Conflict,
  DomainError,
  ErrorCode,
  NotFound,
  SYSTEM_ACTOR,
  ValidationFailed,
} from '@allmende/core';
import {
  ProposalEntity,
  SolverRunEntity,
  SolverRunKind,
  SolverRunRepository,
  UnitOfWork,
  WaitlistRepository,
  BookingRepository,
  AuditLog,
} from '@allmende/database';
import { JobName, JobProducer, jobIds } from '@allmende/queue';
import { Change, runPoolSolver } from '@allmende/solver';
import { PoolVisibility } from '@allmende/pools';
import { PlanningClock } from './planning-clock';
import { PoolModelLoader } from './pool-model-loader';
import { namesReferenced } from './render/referenced';

const MAX_PERIOD_DAYS = 400;
const WAIT_FOR_DIAGNOSIS_MS = 20_000;
/** A diagnosis searches a plan only to tell where buying or leasing would help. */
const DIAGNOSIS_SECONDS = 4;
const SOLVER_SEED = 1;

export interface RunView {
  run: SolverRunEntity;
  proposals: ProposalEntity[];
}

/**
 * The coordinator's loop: what is short (diagnosis), what would fix it (proposals, computed by the
 * worker in a thread), and applying a fix in one transaction that re-checks everything.
 */
@Injectable()
export class PlanningService {
  private readonly logger = new Logger(PlanningService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: SolverRunRepository,
    private readonly loader: PoolModelLoader,
    private readonly jobs: JobProducer,
    private readonly visibility: PoolVisibility,
    private readonly bookingsService: BookingsService,
    private readonly reschedule: RescheduleService,
    private readonly bookings: BookingRepository,
    private readonly waitlist: WaitlistRepository,
    private readonly audit: AuditLog,
    private readonly clock: PlanningClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async requestRun(
    actor: Actor,
    poolId: string,
    kind: SolverRunKind,
    from: Date,
    to: Date,
    timeLimitSeconds = 10,
  ): Promise<SolverRunEntity> {
    if (to <= from) throw new ValidationFailed([{ field: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
      throw new ValidationFailed([
        { field: 'to', message: `the period may span at most ${MAX_PERIOD_DAYS} days` },
      ]);
    }
    const run = await this.uow.run(actor, async () => {
      if (!(await this.visibility.maySeePool(actor, poolId))) throw new NotFound('Pool', poolId);
      policies.assertCoordinates(actor, poolId);
      return this.runs.insert({
        poolId,
        kind,
        periodStart: from,
        periodEnd: to,
        params: { timeLimitSeconds },
        createdBy: actor.userId,
        clockNow: this.clock.now(),
      });
    });
    await this.jobs.enqueue(JobName.RunSolver, { runId: run.id }, { jobId: jobIds.runSolver(run.id) });
    return run;
  }

  /**
   * A diagnosis (findings, figures, investment advice), answered when the worker has finished it
   * or after `waitMs`, whichever comes first (then still running: poll the run).
   */
  async diagnoseAndWait(
    actor: Actor,
    poolId: string,
    from: Date,
    to: Date,
    waitMs = WAIT_FOR_DIAGNOSIS_MS,
  ): Promise<RunView> {
    const run = await this.requestRun(actor, poolId, 'bottlenecks', from, to, DIAGNOSIS_SECONDS);
    const until = Date.now() + waitMs;
    let view = await this.getRun(actor, run.id);
    while ((view.run.status === 'queued' || view.run.status === 'running') && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      view = await this.getRun(actor, run.id);
    }
    return view;
  }

  async getRun(actor: Actor, runId: string): Promise<RunView> {
    return this.uow.run(actor, async () => {
      const run = await this.runs.findById(runId);
      if (!run || !policies.coordinates(actor, run.poolId)) throw new NotFound('Solver run', runId);
      return { run, proposals: await this.runs.proposalsOf(runId) };
    });
  }

  /** The worker's half: load, solve in a thread, store. Running it twice has one effect. */
  async execute(
    runId: string,
    onProgress: (percent: number) => Promise<void> | void = () => undefined,
  ): Promise<void> {
    const run = await this.uow.run(SYSTEM_ACTOR, () => this.runs.findById(runId));
    if (!run || run.status === 'done' || run.status === 'failed') return;
    await this.uow.run(SYSTEM_ACTOR, () => this.runs.update(runId, { status: 'running', progress: 5 }));
    try {
      // Where a run's time goes (read, solve, store), kept with the run for operators and the bench.
      const t0 = Date.now();
      const loaded = await this.uow.run(SYSTEM_ACTOR, () =>
        this.loader.load(run.poolId, run.periodStart, run.periodEnd, run.clockNow ?? undefined),
      );
      const t1 = Date.now();
      await onProgress(20);
      const timeLimitMs = Number(run.params.timeLimitSeconds ?? 10) * 1000;
      const result = await runPoolSolver(loaded.model, {
        withProposals: run.kind === 'proposals',
        seed: SOLVER_SEED,
        timeLimitMs,
        heapMb: this.config.solverHeapMb,
        onProgress: (p) => void onProgress(p),
      });
      const t2 = Date.now();
      await this.uow.run(SYSTEM_ACTOR, async () => {
        await this.runs.insertProposals(
          result.proposals.map((p) => ({
            runId,
            poolId: run.poolId,
            kind: p.kind,
            changes: p.changes,
            gain: p.gain,
            explanation: null,
            resourceId: p.resourceId ?? null,
            investment: p.investment ?? null,
            bound: p.bound ?? null,
            municipalitiesAffected: p.municipalitiesAffected,
            basis: {
              bookings: Object.fromEntries(
                p.changes
                  .filter((c) => c.bookingId)
                  .map((c) => [c.bookingId!, loaded.bookingSequences[c.bookingId!]]),
              ),
              requests: Object.fromEntries(
                p.changes
                  .filter((c) => c.requestId)
                  .map((c) => [c.requestId!, loaded.requestStatuses[c.requestId!]]),
              ),
            },
          })),
        );
        await this.runs.update(runId, {
          status: 'done',
          progress: 100,
          findings: result.findings,
          figures: result.figures,
          nothingFound: result.nothingFound,
          investments: result.investments,
          names: namesReferenced(loaded.names, result),
          exactChecks: run.kind === 'proposals' ? result.exact : null,
          finishedAt: new Date(),
        });
      });
      await this.uow.run(SYSTEM_ACTOR, () =>
        this.runs.update(runId, {
          params: { ...run.params, timings: { loadMs: t1 - t0, solveMs: t2 - t1, storeMs: Date.now() - t2 } },
        }),
      );
    } catch (e) {
      this.logger.error({ err: e, runId }, 'solver run failed');
      await this.uow.run(SYSTEM_ACTOR, () =>
        this.runs.update(runId, { status: 'failed', error: (e as Error).message, finishedAt: new Date() }),
      );
    }
  }

  /**
   * Applies a proposal in one transaction: every booking it moves must be unchanged since the
   * proposal was computed (else 409, nothing changes), and every change passes the booking rules.
   */
  async apply(actor: Actor, proposalId: string): Promise<ProposalEntity> {
    return this.uow.run(actor, async () => {
      const proposal = await this.runs.lockProposal(proposalId);
      if (!proposal || !policies.coordinates(actor, proposal.poolId))
        throw new NotFound('Proposal', proposalId);
      if (proposal.status !== 'open')
        throw new Conflict(`Proposal ${proposalId} is ${proposal.status} already.`);
      if (proposal.kind === 'investment') {
        throw new DomainError(
          ErrorCode.Conflict,
          'An investment proposal is a recommendation; there is nothing to apply.',
        );
      }
      await this.assertFresh(proposal);
      const pending = toSteps(proposal.changes as Change[]);
      const touched: string[] = [];
      // Steps may depend on each other (one booking leaves a slot another takes): apply what
      // fits, then retry the rest, each in a savepoint; no progress means the plan no longer fits.
      while (pending.length > 0) {
        const before = pending.length;
        for (const step of [...pending]) {
          const done = await this.uow
            .savepoint(() => this.applyStep(actor, step))
            .then(
              (bookingId) => {
                if (bookingId) touched.push(bookingId);
                return true;
              },
              (e: unknown) => {
                if (
                  e instanceof DomainError &&
                  [ErrorCode.BookingConflict, ErrorCode.ResourceUnavailable].includes(e.code)
                ) {
                  return false;
                }
                throw e;
              },
            );
          if (done) pending.splice(pending.indexOf(step), 1);
        }
        if (pending.length === before) {
          throw new Conflict('The proposal no longer fits the calendar; compute new proposals.', {
            unappliedChanges: pending.length,
          });
        }
      }
      await this.runs.markProposal(proposalId, {
        status: 'applied',
        appliedBy: actor.userId,
        appliedAt: new Date(),
      });
      await this.audit.record(actor, {
        action: 'proposal.apply',
        entityType: 'proposal',
        entityId: proposalId,
        after: { changes: proposal.changes, gain: proposal.gain },
      });
      await this.recordApplied(actor, proposal, touched);
      return { ...proposal, status: 'applied' as const, appliedBy: actor.userId, appliedAt: new Date() };
    });
  }

  /** Applies a proposal and returns it with its run (whose names its words need). */
  async applyAndShow(
    actor: Actor,
    proposalId: string,
  ): Promise<{ proposal: ProposalEntity; run: SolverRunEntity }> {
    const proposal = await this.apply(actor, proposalId);
    const run = await this.uow.run(actor, () => this.runs.findById(proposal.runId));
    if (!run) throw new NotFound('Solver run', proposal.runId);
    return { proposal, run };
  }

  private async assertFresh(proposal: ProposalEntity): Promise<void> {
    const ids = Object.keys(proposal.basis.bookings ?? {});
    const current = await this.bookings.findByIds(ids);
    for (const id of ids) {
      const b = current.find((x) => x.id === id);
      if (!b || b.status !== 'active' || b.sequence !== proposal.basis.bookings[id]) {
        throw new Conflict(
          'The proposal is stale: a booking it moves changed since; compute new proposals.',
          {
            staleBookingId: id,
          },
        );
      }
    }
    for (const [id, status] of Object.entries(proposal.basis.requests ?? {})) {
      const entry = await this.waitlist.findById(id);
      if (!entry || entry.status !== status) {
        throw new Conflict('The proposal is stale: a waitlist request it serves changed since.', {
          staleRequestId: id,
        });
      }
    }
  }

  /** The outbox event that tells the pool's coordinators what the proposal changed, for whom. */
  private async recordApplied(actor: Actor, proposal: ProposalEntity, bookingIds: string[]): Promise<void> {
    const [first] = await this.bookings.findByIds(bookingIds.slice(0, 1));
    const municipalityId = actor.municipalityId ?? first?.municipalityId;
    if (!municipalityId) return;
    await this.bookings.recordEvent({
      bookingId: null,
      waitlistEntryId: null,
      municipalityId,
      kind: 'proposal.applied',
      payload: { proposalId: proposal.id, poolId: proposal.poolId, bookingIds: [...new Set(bookingIds)] },
    });
  }

  /** Applies one step; returns the booking it moved or created. */
  private async applyStep(actor: Actor, step: Step): Promise<string | null> {
    switch (step.kind) {
      case 'move':
        // A machine booking's operator bookings move with it (same time and site).
        await this.reschedule.reschedule(actor, step.change.bookingId!, {
          resourceId: step.change.toResourceId,
          start: new Date(step.change.toStart),
          end: new Date(step.change.toEnd),
        });
        return step.change.bookingId!;
      case 'swap-operator': {
        const current = await this.bookings.findById(step.change.bookingId!);
        if (current && current.resourceId !== step.change.toResourceId) {
          await this.reschedule.reschedule(actor, current.id, { resourceId: step.change.toResourceId });
        }
        return current?.operatorForBookingId ?? null;
      }
      case 'serve': {
        const entry = await this.waitlist.findById(step.change.requestId!);
        if (!entry) throw new NotFound('Waitlist entry', step.change.requestId);
        const created = await this.bookingsService.create(actor, {
          resourceId: step.change.toResourceId,
          operatorId: step.operatorId,
          municipalityId: entry.municipalityId,
          siteMunicipalityId: entry.siteMunicipalityId,
          start: new Date(step.change.toStart),
          end: new Date(step.change.toEnd),
          priority: entry.priority,
        });
        await this.waitlist.update(entry.id, { status: 'fulfilled' });
        return created.booking.id;
      }
    }
  }
}

type Step =
  | { kind: 'move'; change: Change }
  | { kind: 'swap-operator'; change: Change }
  | { kind: 'serve'; change: Change; operatorId?: string };

/**
 * Turns the solver's changes into booking operations: machine moves first (their operators follow),
 * then operator swaps; a served request with a pool operator becomes one booking of both.
 */
function toSteps(changes: Change[]): Step[] {
  const steps: Step[] = [];
  for (const c of changes) {
    if (c.bookingId) steps.push({ kind: c.role === 'operator' ? 'swap-operator' : 'move', change: c });
  }
  for (const c of changes) {
    if (!c.requestId || c.role === 'operator') continue;
    const operator = changes.find((o) => o.requestId === c.requestId && o.role === 'operator');
    steps.push({ kind: 'serve', change: c, operatorId: operator?.toResourceId });
  }
  return steps;
}
