import { Injectable } from '@nestjs/common';
import { policies } from '@allmende/auth';
import type { Actor } from '@allmende/core';
import { BookingRepository, PlacementContextQuery, UnitOfWork } from '@allmende/database';
import { BookingCalendar, LOOKBACK_MINUTES } from './booking-calendar';
import { BookingAccess } from './booking-access';
import { assertAvailable, BookingEntry, BookingPlacement, viewOf } from './booking-placement';
import type { BookingOutcome, BookingRequest } from './booking-request';
import type { BookingView } from './booking-views';
import { OperatorAssignment } from './operator-assignment';
import { addMinutes, localDays } from './time';

/** At most this many creates share a transaction. */
const MAX_BATCH = 32;
/** Transactions (batches or single creates) one tenant runs at a time in this process while others wait. */
const RUNNING_PER_TENANT = 2;
/**
 * While one transaction of a tenant runs, the next starts once this many creates wait (or the
 * running one ends): bigger batches cost PostgreSQL and the API less per booking.
 */
const NEXT_BATCH_FROM = 4;

/** A create waiting for its batch; `alone` runs it in a transaction of its own (BookingsService). */
interface Waiting {
  actor: Actor;
  request: BookingRequest;
  alone: () => Promise<BookingOutcome>;
  resolve: (outcome: BookingOutcome) => void;
  reject: (error: unknown) => void;
}

interface TenantQueue {
  waiting: Waiting[];
  running: number;
  scheduled: boolean;
}

/**
 * Creates of one tenant that arrive while others of it are running share a transaction: one
 * statement locks their resources and reads every calendar, one writes every booking with its
 * trail, and one COMMIT ends them all. PostgreSQL then starts the executor of each statement and
 * flushes its log once per batch instead of once per booking (a batch of 8 costs it about as much
 * as two single creates).
 *
 * Each request's answer is the one it would have had on its own: a batch takes only plain creates
 * (no operator named, normal priority, not inside another unit of work), each resource at most
 * once, and books only those that pass every check as they would alone. Any other (one whose
 * machine needs an operator, a conflict, a rule that refuses it, a resource not found) is run
 * afterwards in a transaction of its own, which gives its real answer with alternatives. A batch
 * the database refuses as a whole (a concurrent write the exclusion constraint caught at COMMIT,
 * a value out of range) is undone whole, and each of its requests runs alone. Only a lost
 * connection is every request's answer, as it would be alone (503, retriable).
 *
 * A request waits for a batch only while its tenant has a transaction running: alone (nothing
 * running) it is run at once; otherwise it joins the next batch, which starts when NEXT_BATCH_FROM
 * requests wait (at most RUNNING_PER_TENANT transactions at a time) or when a running one ends.
 */
@Injectable()
export class CreateBatches {
  private readonly tenants = new Map<string, TenantQueue>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly context: PlacementContextQuery,
    private readonly calendar: BookingCalendar,
    private readonly access: BookingAccess,
    private readonly operators: OperatorAssignment,
    private readonly placement: BookingPlacement,
    private readonly bookings: BookingRepository,
  ) {}

  /** Whether a create may share a transaction with others (else it runs alone, as always). */
  takes(request: BookingRequest): boolean {
    return !request.operatorId && (request.priority ?? 'normal') === 'normal' && !this.uow.active();
  }

  /** Runs a create in the next batch of its tenant, or alone (`alone`) when nothing else is waiting. */
  submit(
    actor: Actor,
    request: BookingRequest,
    alone: () => Promise<BookingOutcome>,
  ): Promise<BookingOutcome> {
    const key = tenantKey(actor);
    let queue = this.tenants.get(key);
    if (!queue) {
      queue = { waiting: [], running: 0, scheduled: false };
      this.tenants.set(key, queue);
    }
    const q = queue;
    return new Promise<BookingOutcome>((resolve, reject) => {
      q.waiting.push({ actor, request, alone, resolve, reject });
      if (!q.scheduled) {
        // Requests that arrive in the same turn of the event loop join the same batch.
        q.scheduled = true;
        setImmediate(() => {
          q.scheduled = false;
          this.drain(key, q);
        });
      }
    });
  }

  private drain(key: string, queue: TenantQueue): void {
    while (queue.running < RUNNING_PER_TENANT && queue.waiting.length > 0) {
      if (queue.running > 0 && queue.waiting.length < NEXT_BATCH_FROM) break;
      const batch = takeBatch(queue.waiting);
      queue.running++;
      const run = batch.length === 1 ? this.runAlone(batch[0]) : this.runBatch(batch);
      void run.finally(() => {
        queue.running--;
        if (queue.waiting.length > 0) this.drain(key, queue);
        else if (queue.running === 0 && !queue.scheduled) this.tenants.delete(key);
      });
    }
  }

  private async runAlone(w: Waiting): Promise<void> {
    try {
      w.resolve(await w.alone());
    } catch (e) {
      w.reject(e);
    }
  }

  private async runBatch(batch: Waiting[]): Promise<void> {
    let booked: { waiting: Waiting; view: BookingView }[] = [];
    let alone: Waiting[] = [];
    try {
      await this.uow.run(
        batch[0].actor,
        async () => {
          // Run again from the start when PostgreSQL chose the batch as a deadlock victim.
          booked = [];
          alone = [];
          const read = await this.context.lockAndReadMany(batch.map((w) => placementQuery(w.request)));
          const entries: {
            waiting: Waiting;
            entry: BookingEntry;
            finish: (b: BookingView['booking']) => BookingView;
          }[] = [];
          for (const [i, w] of batch.entries()) {
            const { locked: machine, context } = read.items[i];
            const r = w.request;
            const siteId = r.siteMunicipalityId ?? r.municipalityId;
            try {
              if (
                !machine ||
                !context ||
                this.operators.needsOperator(machine) ||
                !(await this.access.mayUse(w.actor, machine, read.memberPoolIds))
              ) {
                alone.push(w);
                continue;
              }
              policies.assertCanActFor(w.actor, r.municipalityId, machine.poolId);
              const where = { siteId, start: r.start, end: r.end, bookerMunicipalityId: r.municipalityId };
              const placement = await this.calendar.placeIn(machine, where, context);
              if (placement.conflicts.length > 0) {
                alone.push(w);
                continue;
              }
              assertAvailable(machine, placement, r.start, r.end, 'normal');
              const placed = { ...r, siteMunicipalityId: siteId, priority: 'normal' as const };
              entries.push({
                waiting: w,
                entry: this.placement.entryFor(w.actor, machine, placed, placement, null),
                finish: (b) => viewOf(b, machine, placement),
              });
            } catch {
              // Refused: alone, it gets its answer (with alternatives where there are).
              alone.push(w);
            }
          }
          if (entries.length === 0) return;
          const inserted = await this.bookings.insertRecordedMany(
            entries.map((e) => e.entry),
            { last: true },
          );
          booked = entries.map((e, i) => ({ waiting: e.waiting, view: e.finish(inserted[i]) }));
        },
        { tenantInFirstStatement: true },
      );
    } catch (e) {
      if (connectionLost(e)) {
        for (const w of batch) w.reject(e);
        return;
      }
      // Refused as a whole (nothing of it was written): each request on its own.
      booked = [];
      alone = batch;
    }
    for (const { waiting, view } of booked)
      waiting.resolve({ booking: view.booking, operatorBooking: null, displaced: [], view });
    for (const w of alone) await this.runAlone(w);
  }
}

/** Requests of the same tenant settings (role, municipality, pools, user) share a transaction. */
function tenantKey(actor: Actor): string {
  return [actor.role, actor.municipalityId ?? '', actor.poolIds.join(','), actor.userId ?? ''].join('|');
}

/**
 * The next batch: up to MAX_BATCH waiting requests, first come first, each resource once (a
 * second request for a resource waits for the next batch), in resource id order (the lock order).
 */
function takeBatch(waiting: Waiting[]): Waiting[] {
  const taken: Waiting[] = [];
  const resources = new Set<string>();
  for (let i = 0; i < waiting.length && taken.length < MAX_BATCH;) {
    const w = waiting[i];
    if (resources.has(w.request.resourceId)) {
      i++;
      continue;
    }
    resources.add(w.request.resourceId);
    taken.push(w);
    waiting.splice(i, 1);
  }
  return taken.sort((a, b) => (a.request.resourceId < b.request.resourceId ? -1 : 1));
}

function placementQuery(r: BookingRequest) {
  const days = localDays(r.start, r.end);
  return {
    resourceId: r.resourceId,
    start: r.start,
    end: r.end,
    lookbackFrom: addMinutes(r.start, -LOOKBACK_MINUTES),
    siteId: r.siteMunicipalityId ?? r.municipalityId,
    bookerMunicipalityId: r.municipalityId,
    firstDay: days[0],
    lastDay: days[days.length - 1],
  };
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The database could not be asked (no SQLSTATE: a refused or broken connection; or class 08
 * connection exception, 53 insufficient resources, 57 operator intervention, 58 system error):
 * every request of the batch would have met it alone too.
 */
function connectionLost(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SQLSTATE.test(code)) return true;
  return ['08', '53', '57', '58'].includes(code.slice(0, 2));
}
