import type { INestApplicationContext } from '@nestjs/common';
import { UsageService } from '@allmende/bookings';
import type { Actor } from '@allmende/core';
import { AgreementsService } from '@allmende/cost-sharing';
import { BookingRepository, UnitOfWork } from '@allmende/database';
import { DEMO_POOLS, demoJoinedOn } from '@allmende/pools';

/**
 * The demo's cost sharing: each pool's settings (host of the coordination unit, lead, settlement,
 * transport and market rates) as an agreement from its first membership, and recorded usage for
 * four of five past machine bookings (75–95 % of the booked hours, as machines idle while set up),
 * so the past months' statements show recorded and estimated usage side by side. `now` is the
 * demo's today: bookings that have ended by then are past.
 */
export async function loadDemoCostSharing(
  app: INestApplicationContext,
  actor: Actor,
  poolIds: Map<string, string>,
  municipalityId: (ags: string) => string,
  now: Date,
): Promise<{ usageRecorded: number }> {
  const agreements = app.get(AgreementsService);
  for (const p of DEMO_POOLS) {
    if (!p.costSettings) continue;
    const s = p.costSettings;
    await agreements.add(actor, poolIds.get(p.key)!, {
      validFrom: p.members.map((m) => demoJoinedOn(m.joinedOn, now)).sort()[0],
      ...p.costSharing,
      coordinationHostMunicipalityId: municipalityId(s.hostAgs),
      leadMunicipalityId: municipalityId(s.leadAgs),
      settlement: s.settlement,
      ...(s.transportRateCentsPerKm !== undefined
        ? { transportRateCentsPerKm: s.transportRateCentsPerKm }
        : {}),
      ...(s.marketHourlyRateCentsByType
        ? { marketHourlyRateCentsByType: s.marketHourlyRateCentsByType }
        : {}),
    });
  }
  const uow = app.get(UnitOfWork);
  const past = await uow.run(actor, () =>
    app.get(BookingRepository).list({ poolIds: [...poolIds.values()], to: now, status: 'active' }, 100_000),
  );
  const bookings = app.get(UsageService);
  let usageRecorded = 0;
  for (const [i, b] of past.entries()) {
    if (b.operatorForBookingId !== null || b.endAt > now || i % 5 === 4) continue;
    const booked = (b.endAt.getTime() - b.startAt.getTime()) / 3_600_000;
    const hours = Math.round(booked * (0.75 + 0.05 * (i % 5)) * 4) / 4;
    await bookings.record(actor, b.id, { operatingHours: hours });
    usageRecorded += 1;
  }
  return { usageRecorded };
}
