import type { INestApplicationContext } from '@nestjs/common';
import { DateTime } from 'luxon';
import { PasswordsService, UsersService } from '@allmende/auth';
import { BookingsService, WaitlistService } from '@allmende/bookings';
import { Actor, Clock, DomainError, SYSTEM_ACTOR } from '@allmende/core';
import { loadDemoCostSharing } from './demo-cost-sharing';
import {
  DEMO_HISTORY_MONTHS,
  DEMO_MACHINES,
  DEMO_MUNICIPALITIES,
  DEMO_PASSWORD,
  DEMO_POOLS,
  DEMO_STAFF,
  DEMO_USERS,
  DemoBookingRequest,
  demoInspectionDue,
  demoJoinedOn,
  generateDemoBookings,
  generateDemoHistory,
  MunicipalitiesService,
  PoolsService,
  ResourcesService,
} from '@allmende/pools';

export interface DemoSummary {
  municipalities: number;
  pools: number;
  resources: number;
  /** Bookings of the season, from today on. */
  bookings: number;
  /** Bookings of the history: the months before today's, entered after the fact. */
  pastBookings: number;
  /** Past machine bookings with usage recorded (the others are charged by estimate). */
  usageRecorded: number;
  refusedBookings: number;
  waitlisted: number;
  users: { email: string; role: string; municipality: string; token: string }[];
  /** The password every demo user signs in to the web app with. */
  password: string;
}

/**
 * Silent: the demo's bookings are a season and a history that exist before its users do, so they
 * send no confirmations (the reminders of the coming days still go out, as they would).
 */
const DEMO_ACTOR: Actor = { ...SYSTEM_ACTOR, tokenName: 'demo-data', silent: true };
/** Waiting requests lie within this many weeks from the demo's today. */
const WAITLIST_WEEKS = 6;

/**
 * Loads Werra-Meißner-Kreis (16 municipalities, a building-yard pool and a winter-service pool,
 * machines, staff, users, the last months' bookings with their usage and a season of bookings
 * ahead) through the domain services, so every booking passes the same rules as one made through
 * the API. Runs only on an empty database.
 */
export async function loadDemoData(
  app: INestApplicationContext,
  seed = 1,
  /** The demo's today: the season runs the twelve months from its month. Tests may pin it. */
  now: Date = app.get(Clock).now(),
): Promise<DemoSummary | null> {
  const municipalities = app.get(MunicipalitiesService);
  if ((await municipalities.list(1)).length > 0) return null;
  const pools = app.get(PoolsService);
  const resources = app.get(ResourcesService);
  const bookings = app.get(BookingsService);
  const users = app.get(UsersService);
  const passwords = app.get(PasswordsService);

  const byAgs = new Map<string, { id: string; name: string }>();
  for (const m of DEMO_MUNICIPALITIES) {
    const created = await municipalities.create({
      name: m.name,
      ags: m.ags,
      population: m.population,
      lat: m.location.lat,
      lon: m.location.lon,
      state: m.state,
    });
    byAgs.set(m.ags, created);
  }
  const id = (ags: string) => byAgs.get(ags)!.id;

  const poolIds = new Map<string, string>();
  for (const p of DEMO_POOLS) {
    const pool = await pools.create(DEMO_ACTOR, {
      name: p.name,
      fieldOfAction: p.fieldOfAction,
      costSharing: p.costSharing,
    });
    poolIds.set(p.key, pool.id);
    for (const member of p.members) {
      await pools.addMember(DEMO_ACTOR, pool.id, {
        municipalityId: id(member.ags),
        joinedOn: demoJoinedOn(member.joinedOn, now),
      });
    }
  }

  // The users first, so that the reminders planned for the season's bookings reach them.
  const issued: DemoSummary['users'] = [];
  for (const u of DEMO_USERS) {
    const { issued: token } = await users.create(DEMO_ACTOR, {
      email: u.email,
      name: u.name,
      role: u.role,
      municipalityId: id(u.municipalityAgs),
      poolIds: u.role === 'coordinator' ? u.poolKeys.map((k) => poolIds.get(k)!) : [],
      token: { name: 'demo' },
    });
    await passwords.set(DEMO_ACTOR, token.token.userId, DEMO_PASSWORD);
    issued.push({
      email: u.email,
      role: u.role,
      municipality: byAgs.get(u.municipalityAgs)!.name,
      token: token.secret,
    });
  }

  const resourceIds = new Map<string, string>();
  for (const m of DEMO_MACHINES) {
    const r = await resources.create(DEMO_ACTOR, {
      poolId: poolIds.get(m.poolKey)!,
      kind: 'machine',
      name: m.name,
      type: m.type,
      homeMunicipalityId: id(m.homeAgs),
      attributes: m.attributes,
      qualifications: [],
      requiredQualification: m.requiredQualification,
      hourlyRateCents: m.hourlyRateCents,
      perUseCents: m.perUseCents,
      annualFixedCostCents: m.annualFixedCostCents,
      transportSpeedKmh: m.transportSpeedKmh,
      nextInspectionDue: demoInspectionDue(m, now),
      weeklyHours: null,
      workingHours: null,
    });
    resourceIds.set(m.key, r.id);
  }
  for (const s of DEMO_STAFF) {
    const r = await resources.create(DEMO_ACTOR, {
      poolId: poolIds.get(s.poolKey)!,
      kind: 'staff',
      name: s.name,
      type: 'operator',
      homeMunicipalityId: id(s.employerAgs),
      attributes: {},
      qualifications: s.qualifications,
      requiredQualification: null,
      hourlyRateCents: 0,
      perUseCents: 0,
      annualFixedCostCents: 0,
      transportSpeedKmh: null,
      nextInspectionDue: null,
      weeklyHours: s.weeklyHours,
      workingHours: null,
    });
    resourceIds.set(s.key, r.id);
  }

  let refused = 0;
  const book = async (requests: DemoBookingRequest[]): Promise<number> => {
    let booked = 0;
    for (const b of requests) {
      try {
        await bookings.create(DEMO_ACTOR, {
          resourceId: resourceIds.get(b.machineKey)!,
          municipalityId: id(b.municipalityAgs),
          siteMunicipalityId: id(b.siteAgs),
          start: new Date(b.start),
          end: new Date(b.end),
          priority: b.priority,
          notes: b.notes,
          // The past is entered after the fact, as a coordinator would.
          backdated: new Date(b.start) < now,
        });
        booked += 1;
      } catch (e) {
        // A request the rules refuse (no operator free, inspection due) is what real demand looks like.
        if (!(e instanceof DomainError)) throw e;
        refused += 1;
      }
    }
    return booked;
  };
  const pastBookings = await book(generateDemoHistory(seed, now));
  const requests = generateDemoBookings(seed, now);
  const booked = await book(requests);

  // Demand outgrows the pool in the coming weeks: other members ask for a machine of a type at
  // times already taken. Their requests wait, flexible by a day either way, for the coordinator's
  // solver to place.
  const waitlist = app.get(WaitlistService);
  const machineByKey = new Map(DEMO_MACHINES.map((m) => [m.key, m]));
  const membersOf = (poolKey: string) =>
    DEMO_POOLS.find((p) => p.key === poolKey)?.members.map((m) => m.ags) ?? [];
  const soon = DateTime.fromJSDate(now).plus({ days: 2 }).toMillis();
  const weeksAhead = DateTime.fromJSDate(now).plus({ weeks: WAITLIST_WEEKS }).toMillis();
  let waitlisted = 0;
  for (const [i, b] of requests.entries()) {
    const machine = machineByKey.get(b.machineKey);
    const startMs = Date.parse(b.start);
    if (!machine || b.priority !== 'normal' || startMs < soon || startMs > weeksAhead || i % 3 !== 0)
      continue;
    const members = membersOf(machine.poolKey);
    const other = members[(i * 7) % members.length];
    if (!other || other === b.municipalityAgs) continue;
    const start = DateTime.fromISO(b.start, { setZone: true });
    const end = DateTime.fromISO(b.end, { setZone: true });
    await waitlist.join(DEMO_ACTOR, {
      poolId: poolIds.get(machine.poolKey)!,
      type: machine.type,
      municipalityId: id(other),
      start: start.toJSDate(),
      end: end.toJSDate(),
      flexible: { start: start.minus({ days: 1 }).toJSDate(), end: end.plus({ days: 1 }).toJSDate() },
    });
    waitlisted += 1;
  }

  const { usageRecorded } = await loadDemoCostSharing(app, DEMO_ACTOR, poolIds, id, now);

  return {
    municipalities: byAgs.size,
    pools: poolIds.size,
    resources: resourceIds.size,
    bookings: booked,
    pastBookings,
    usageRecorded,
    refusedBookings: refused,
    waitlisted,
    users: issued,
    password: DEMO_PASSWORD,
  };
}

export function printDemoSummary(summary: DemoSummary, say: (line: string) => void): void {
  say(
    `allmende: demo data loaded: ${summary.municipalities} municipalities, ${summary.pools} pools, ` +
      `${summary.resources} machines and staff, ${summary.bookings} bookings ahead and ${summary.pastBookings} in the last ` +
      `${DEMO_HISTORY_MONTHS} months (usage recorded for ${summary.usageRecorded}; ${summary.refusedBookings} requests refused by the rules), ` +
      `${summary.waitlisted} requests of the coming weeks on the waitlist`,
  );
  say('allmende: demo users (tokens are shown only now):');
  for (const u of summary.users) say(`  ${u.role.padEnd(12)} ${u.email.padEnd(38)} ${u.token}`);
  say(`allmende: the demo users sign in to the web app with the password "${summary.password}" (demo only)`);
}
