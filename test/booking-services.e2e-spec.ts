import {
  BookingsService,
  CancellationService,
  RescheduleService,
  SeriesService,
  WaitlistService,
} from '@allmende/bookings';
import { BookingConflict, DomainError, ErrorCode, SYSTEM_ACTOR, ValidationFailed } from '@allmende/core';
import { BookingRepository, SolverRunRepository, UnitOfWork, WaitlistRepository } from '@allmende/database';
import { PlanningService } from '@allmende/planning';
import { startTestStack, TestStack } from './support/test-app';
import { Region, seedRegion } from './support/seed';

/**
 * The booking, waitlist and planning services on real PostgreSQL, called as the other services
 * call them: every path into a booking (inside another unit of work too) runs the same
 * validation, conflict translation and alternatives.
 */
describe('booking services (service level, real PostgreSQL)', () => {
  let stack: TestStack;
  let r: Region;
  const actor = SYSTEM_ACTOR;
  const at = (s: string) => new Date(s);
  const service = <T>(type: new (...args: never[]) => T): T => stack.api.get(type);

  beforeAll(async () => {
    stack = await startTestStack();
    r = await seedRegion(stack.api);
  });

  afterAll(async () => {
    await stack.close();
  });

  describe('BookingsService', () => {
    it('validates a booking made inside another unit of work exactly as one of its own', async () => {
      const uow = service(UnitOfWork);
      const bookings = service(BookingsService);
      const reversed = uow.run(actor, () =>
        bookings.create(actor, {
          resourceId: r.sweeperId,
          municipalityId: r.towns.eschwege,
          start: at('2026-03-10T10:00:00+01:00'),
          end: at('2026-03-10T09:00:00+01:00'),
        }),
      );
      await expect(reversed).rejects.toBeInstanceOf(ValidationFailed);
      const past = uow.run(actor, () =>
        bookings.create(actor, {
          resourceId: r.sweeperId,
          municipalityId: r.towns.eschwege,
          start: at('2025-12-01T08:00:00+01:00'),
          end: at('2025-12-01T10:00:00+01:00'),
        }),
      );
      await expect(past).rejects.toMatchObject({ errors: [{ field: 'start' }] });
    });

    it('translates a conflict inside another unit of work, with alternatives, and that unit goes on', async () => {
      const uow = service(UnitOfWork);
      const bookings = service(BookingsService);
      const slot = {
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: at('2026-03-11T08:00:00+01:00'),
        end: at('2026-03-11T12:00:00+01:00'),
      };
      await bookings.create(actor, slot);
      let refused: unknown;
      const kept = await uow.run(actor, async () => {
        refused = await bookings.create(actor, slot).catch((e: unknown) => e);
        // The refused booking is undone alone: the surrounding unit of work still writes.
        return bookings.create(actor, {
          ...slot,
          resourceId: r.sweeper2Id,
          municipalityId: r.towns.wanfried,
        });
      });
      expect(refused).toBeInstanceOf(BookingConflict);
      const alternatives = (refused as DomainError).extra.alternatives as {
        resourceId: string;
        startLocal: string;
      }[];
      expect(alternatives.length).toBeGreaterThan(0);
      expect(alternatives[0].startLocal).toMatch(/\+01:00$/);
      expect((await service(BookingsService).get(actor, kept.booking.id)).status).toBe('active');
    });
  });

  describe('SeriesService', () => {
    it('skips the occurrences the rules refuse, including those in the past', async () => {
      stack.clock.set(at('2026-03-18T12:00:00+01:00'));
      try {
        const outcome = await service(SeriesService).create(
          actor,
          {
            resourceId: r.sweeper2Id,
            municipalityId: r.towns.wanfried,
            start: at('2026-03-16T08:00:00+01:00'),
            end: at('2026-03-16T10:00:00+01:00'),
          },
          'FREQ=DAILY;COUNT=4',
          'skip',
        );
        // 16 and 17 March lie in the past now; 18 March 08:00 too (beyond the grace).
        expect(outcome.created.map((b) => b.startAt.toISOString())).toEqual(['2026-03-19T07:00:00.000Z']);
        expect(outcome.skipped.map((s) => s.code)).toEqual([
          ErrorCode.ValidationFailed,
          ErrorCode.ValidationFailed,
          ErrorCode.ValidationFailed,
        ]);
      } finally {
        stack.clock.set(at('2026-01-01T00:00:00Z'));
      }
    });
  });

  describe('WaitlistService', () => {
    it('offers a freed slot, and accepting it books through the same rules; a taken slot is a translated conflict', async () => {
      const bookings = service(BookingsService);
      const waitlist = service(WaitlistService);
      const slot = { start: at('2026-03-24T08:00:00+01:00'), end: at('2026-03-24T12:00:00+01:00') };
      const first = await bookings.create(actor, {
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        ...slot,
      });
      const entry = await waitlist.join(actor, {
        poolId: r.poolId,
        type: 'street-sweeper',
        resourceId: r.sweeperId,
        municipalityId: r.towns.witzenhausen,
        ...slot,
      });
      expect(entry).toMatchObject({ municipalityName: 'Witzenhausen', resource: { name: 'Kehrmaschine 1' } });
      const { offers } = await service(CancellationService).cancel(actor, first.booking.id);
      expect(offers.map((o) => o.id)).toEqual([entry.entry.id]);

      // Someone else takes the slot first: accepting is a conflict with alternatives, nothing changes.
      const taker = await bookings.create(actor, {
        resourceId: r.sweeperId,
        municipalityId: r.towns.wanfried,
        ...slot,
      });
      const refused = await waitlist.accept(actor, entry.entry.id).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(BookingConflict);
      expect(((refused as DomainError).extra.alternatives as unknown[]).length).toBeGreaterThan(0);
      const still = await stack.api
        .get(UnitOfWork)
        .run(actor, () => service(WaitlistRepository).findById(entry.entry.id));
      expect(still?.status).toBe('offered');

      await service(CancellationService).cancel(actor, taker.booking.id);
      const accepted = await waitlist.accept(actor, entry.entry.id);
      expect(accepted.booking).toMatchObject({ municipalityId: r.towns.witzenhausen, status: 'active' });
      const [listed] = (await waitlist.list(actor, r.poolId, 100)).filter(
        (v) => v.entry.id === entry.entry.id,
      );
      expect(listed.entry.status).toBe('fulfilled');
    });
  });

  describe('PlanningService', () => {
    async function proposal(changes: object[], basis: object): Promise<string> {
      const uow = service(UnitOfWork);
      const runs = service(SolverRunRepository);
      return uow.run(actor, async () => {
        const run = await runs.insert({
          poolId: r.poolId,
          kind: 'proposals',
          periodStart: at('2026-04-01T00:00:00+02:00'),
          periodEnd: at('2026-04-30T00:00:00+02:00'),
          params: {},
          createdBy: null,
        });
        const [p] = await runs.insertProposals([
          {
            runId: run.id,
            poolId: r.poolId,
            kind: 'reassignment',
            changes,
            gain: { requestsServed: 1 },
            explanation: { de: 'Test', en: 'test' },
            investment: null,
            bound: null,
            municipalitiesAffected: [r.towns.eschwege],
            basis: basis as never,
          },
        ]);
        return p.id;
      });
    }

    it('applies a move through the reschedule rules, and refuses one that no longer fits without changing anything', async () => {
      const bookings = service(BookingsService);
      const planning = service(PlanningService);
      const b = await bookings.create(actor, {
        resourceId: r.sweeperId,
        municipalityId: r.towns.eschwege,
        start: at('2026-04-14T08:00:00+02:00'),
        end: at('2026-04-14T10:00:00+02:00'),
      });
      const move = {
        bookingId: b.booking.id,
        role: 'resource',
        fromResourceId: r.sweeperId,
        toResourceId: r.sweeper2Id,
        toStart: Date.parse('2026-04-14T08:00:00+02:00'),
        toEnd: Date.parse('2026-04-14T10:00:00+02:00'),
      };
      const applied = await planning.apply(
        actor,
        await proposal([move], { bookings: { [b.booking.id]: 0 }, requests: {} }),
      );
      expect(applied.status).toBe('applied');
      const moved = await bookings.get(actor, b.booking.id);
      expect(moved).toMatchObject({ resourceId: r.sweeper2Id, sequence: 1 });

      // A move onto a public holiday (Easter Monday) no longer fits: 409, the booking stays.
      const holiday = {
        ...move,
        fromResourceId: r.sweeper2Id,
        toResourceId: r.sweeperId,
        toStart: Date.parse('2026-04-06T08:00:00+02:00'),
        toEnd: Date.parse('2026-04-06T10:00:00+02:00'),
      };
      const id = await proposal([holiday], { bookings: { [b.booking.id]: 1 }, requests: {} });
      await expect(planning.apply(actor, id)).rejects.toMatchObject({ code: ErrorCode.Conflict });
      const unchanged = await stack.api
        .get(UnitOfWork)
        .run(actor, () => service(BookingRepository).findById(b.booking.id));
      expect(unchanged).toMatchObject({ resourceId: r.sweeper2Id, sequence: 1 });
      // The reschedule service gives the reason itself.
      await expect(
        service(RescheduleService).reschedule(actor, b.booking.id, {
          start: at('2026-04-06T08:00:00+02:00'),
          end: at('2026-04-06T10:00:00+02:00'),
        }),
      ).rejects.toMatchObject({ code: ErrorCode.ResourceUnavailable });
    });
  });
});
