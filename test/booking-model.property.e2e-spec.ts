import * as fc from 'fast-check';
import request from 'supertest';
import { BookingsService, CancellationService, RescheduleService } from '@allmende/bookings';
import { DomainError, ErrorCode, SYSTEM_ACTOR } from '@allmende/core';
import { ResourcesService } from '@allmende/pools';
import { adminAuth, Region, seedRegion } from './support/seed';
import { startTestStack, TestStack } from './support/test-app';

/**
 * Random create/cancel/reschedule sequences against the real engine and a simple in-memory model:
 * a calendar is valid when, in start order, every booking can be reached from the one before
 * (end + travel ≤ start). Both must accept and refuse the same operations, and the database must
 * end with the model's bookings and never an overlap.
 */
const DAY = Date.parse('2026-09-08T04:00:00Z'); // a Tuesday, 06:00 in Hesse, no holiday
const QUARTER = 15 * 60_000;
const TRAVEL_QUARTERS = 2; // the pool's matrix: 30 minutes between the two towns

type Site = 0 | 1;
type Op =
  | { kind: 'create'; site: Site; start: number; length: number }
  | { kind: 'cancel'; target: number }
  | { kind: 'reschedule'; target: number; start: number; length: number };

interface ModelBooking {
  id: string;
  site: Site;
  start: number;
  end: number;
}

function valid(bookings: ModelBooking[]): boolean {
  const sorted = [...bookings].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1];
    const q = sorted[i];
    if (p.end + (p.site === q.site ? 0 : TRAVEL_QUARTERS) > q.start) return false;
  }
  return true;
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      site: fc.constantFrom<Site>(0, 1),
      start: fc.integer({ min: 0, max: 40 }),
      length: fc.integer({ min: 1, max: 8 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('cancel' as const), target: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      target: fc.nat(),
      start: fc.integer({ min: 0, max: 40 }),
      length: fc.integer({ min: 1, max: 8 }),
    }),
  },
);

describe('booking engine against a model (property-based, 1000 runs)', () => {
  jest.setTimeout(600_000);
  let stack: TestStack;
  let r: Region;

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
    for (const [from, to] of [
      [r.towns.eschwege, r.towns.witzenhausen],
      [r.towns.witzenhausen, r.towns.eschwege],
    ]) {
      await request(stack.api.getHttpServer())
        .put(`/api/v1/pools/${r.poolId}/travel-times`)
        .set(adminAuth)
        .send({ fromMunicipalityId: from, toMunicipalityId: to, minutes: 30 })
        .expect(204);
    }
  });

  afterAll(async () => {
    await stack.close();
  });

  it('accepts exactly what the model accepts and never overlaps', async () => {
    const engine = stack.api.get(BookingsService);
    const rescheduling = stack.api.get(RescheduleService);
    const cancellation = stack.api.get(CancellationService);
    const resources = stack.api.get(ResourcesService);
    const sites = [r.towns.eschwege, r.towns.witzenhausen];
    const at = (q: number) => new Date(DAY + q * QUARTER);
    let run = 0;

    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 8 }), async (ops) => {
        run += 1;
        const machine = await resources.create(SYSTEM_ACTOR, {
          poolId: r.poolId,
          kind: 'machine',
          name: `Prop ${run}`,
          type: `prop-${run}`,
          homeMunicipalityId: r.towns.eschwege,
          attributes: {},
          qualifications: [],
          requiredQualification: null,
          hourlyRateCents: 0,
          perUseCents: 0,
          annualFixedCostCents: 0,
          transportSpeedKmh: null,
          nextInspectionDue: null,
          weeklyHours: null,
          workingHours: null,
        });
        const model: ModelBooking[] = [];
        const created: ModelBooking[] = [];
        for (const op of ops) {
          let accepted: boolean;
          let expected: boolean;
          const refused = (e: unknown) => {
            if (e instanceof DomainError && e.code === ErrorCode.BookingConflict) return false;
            throw e;
          };
          switch (op.kind) {
            case 'create': {
              const candidate = { id: '', site: op.site, start: op.start, end: op.start + op.length };
              expected = valid([...model, candidate]);
              accepted = await engine
                .create(SYSTEM_ACTOR, {
                  resourceId: machine.id,
                  municipalityId: r.towns.eschwege,
                  siteMunicipalityId: sites[op.site],
                  start: at(candidate.start),
                  end: at(candidate.end),
                })
                .then((o) => {
                  candidate.id = o.booking.id;
                  return true;
                }, refused);
              if (accepted) {
                model.push(candidate);
                created.push(candidate);
              }
              break;
            }
            case 'cancel': {
              if (created.length === 0) continue;
              const target = created[op.target % created.length];
              expected = true;
              accepted = await cancellation.cancel(SYSTEM_ACTOR, target.id).then(() => true, refused);
              const i = model.indexOf(target);
              if (i >= 0) model.splice(i, 1);
              break;
            }
            case 'reschedule': {
              const live = created.filter((c) => model.includes(c));
              if (live.length === 0) continue;
              const target = live[op.target % live.length];
              const moved = { ...target, start: op.start, end: op.start + op.length };
              expected = valid([...model.filter((m) => m !== target), moved]);
              accepted = await rescheduling
                .reschedule(SYSTEM_ACTOR, target.id, { start: at(moved.start), end: at(moved.end) })
                .then(() => true, refused);
              if (accepted) Object.assign(target, moved);
              break;
            }
          }
          if (accepted !== expected) {
            throw new Error(
              `engine ${accepted ? 'accepted' : 'refused'} ${JSON.stringify(op)}; model says ${expected}`,
            );
          }
        }
        const active = await engine.list(SYSTEM_ACTOR, { resourceId: machine.id, status: 'active' }, 100);
        const actual = active.map((b) => `${b.id}@${(b.startAt.getTime() - DAY) / QUARTER}`).sort();
        expect(actual).toEqual(model.map((m) => `${m.id}@${m.start}`).sort());
        // Blocked intervals never overlap (what the exclusion constraint guarantees).
        const blocked = active
          .map((b) => [b.blockedStart.getTime(), b.blockedEnd.getTime()])
          .sort((a, b) => a[0] - b[0]);
        for (let i = 1; i < blocked.length; i++)
          expect(blocked[i][0]).toBeGreaterThanOrEqual(blocked[i - 1][1]);
      }),
      { numRuns: 1000, seed: 20261124 },
    );
    expect(run).toBeGreaterThanOrEqual(1000);
  });
});
