import { DateTime } from 'luxon';
import {
  daysInMonth,
  hessianPublicHolidays,
  monthlyQuotas,
  WORKDAY_END_MINUTES,
  WORKDAY_START_MINUTES,
  workingDays,
  ZONE,
} from './calendar';
import { DEMO_MACHINES } from './machines';
import { DEMO_MUNICIPALITIES } from './municipalities';
import { DEMO_POOLS } from './pools';
import { DemoPrng } from './prng';
import { SEASON_PROFILES, SeasonProfile } from './seasons';
import type { Ags, DemoBookingRequest, DemoMachine, DemoMunicipality } from './types';

/** A machine moving to another municipality needs at least this long on the road in between. */
export const DEMO_TRANSPORT_GAP_MINUTES = 60;

/** Attempts to find a free slot for one request before it is dropped (the machine is busy). */
const MAX_ATTEMPTS = 30;
/** Share of requests where the machine works in another member's territory (joint works). */
const FOREIGN_SITE_SHARE = 0.1;
/** Owners book their own machines more often than their population alone suggests. */
const HOME_WEIGHT = 4;
/**
 * Emergencies start between 04:00 (gritting before the morning traffic) and 16:00 (burst pipes by
 * day), on any day; with at most 8.5 h they still end the same day.
 */
const EMERGENCY_START_MINUTES: readonly [number, number] = [4 * 60, 16 * 60];

interface Placed {
  startMs: number;
  endMs: number;
  siteAgs: Ags;
}

interface Candidate extends Placed {
  request: DemoBookingRequest;
}

/** `count` calendar months (Europe/Berlin) from the month `offset` months after that of `now`. */
function calendarMonths(now: Date, offset: number, count: number): { year: number; month: number }[] {
  const first = DateTime.fromJSDate(now, { zone: ZONE }).startOf('month').plus({ months: offset });
  return Array.from({ length: count }, (_, i) => {
    const m = first.plus({ months: i });
    return { year: m.year, month: m.month };
  });
}

/** The twelve calendar months of a demo season, the first being the month of `now` (Europe/Berlin). */
export function demoSeasonMonths(now: Date): { year: number; month: number }[] {
  return calendarMonths(now, 0, 12);
}

/** The first instant after the demo season that starts at `now`: the season's bookings end before it. */
export function demoSeasonEnd(now: Date): Date {
  return DateTime.fromJSDate(now, { zone: ZONE }).startOf('month').plus({ months: 12 }).toJSDate();
}

/** How many calendar months before the month of `now` the demo's history covers. */
export const DEMO_HISTORY_MONTHS = 3;

/** The calendar months of the demo's history: the DEMO_HISTORY_MONTHS before the month of `now`. */
export function demoHistoryMonths(now: Date): { year: number; month: number }[] {
  return calendarMonths(now, -DEMO_HISTORY_MONTHS, DEMO_HISTORY_MONTHS);
}

/** The first local day of the demo's history (ISO date). */
export function demoHistoryStart(now: Date): string {
  const { year, month } = demoHistoryMonths(now)[0];
  return DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).toISODate()!;
}

/**
 * A membership's first day for a demo loaded at `now`: the pool's own date (`joinedOn`), moved
 * back by whole years until it lies on or before the history's first day, so that every member
 * can book in the history and the season (the staggered joins of a pool keep their months).
 */
export function demoJoinedOn(joinedOn: string, now: Date): string {
  const start = demoHistoryStart(now);
  let day = DateTime.fromISO(joinedOn, { zone: ZONE });
  while (day.toISODate()! > start) day = day.minus({ years: 1 });
  return day.toISODate()!;
}

/**
 * A season of booking requests for the demo machines: the twelve months from the month of `now`,
 * never before `now`; deterministic for (seed, now's month), with the seasonal peaks of
 * SEASON_PROFILES by calendar month (so a season loaded in December shows the winter service at
 * once), normal bookings only in working hours on working days, and no two bookings of one
 * machine overlapping (with a transport gap between different sites).
 * Pure: no I/O, no clock of its own, no Math.random. Sorted by start, then machine key.
 */
export function generateDemoBookings(seed: number, now: Date): DemoBookingRequest[] {
  const months = demoSeasonMonths(now);
  const nowMs = now.getTime();
  const today = DateTime.fromJSDate(now, { zone: ZONE });
  // The month of `now` offers only its days from today on.
  const fromToday = (year: number, month: number, days: number[]) =>
    year === today.year && month === today.month ? days.filter((d) => d >= today.day) : days;
  return placeRequests(
    new DemoPrng(seed, months[0].year, months[0].month),
    months,
    fromToday,
    (c) => c.startMs > nowMs,
  );
}

/**
 * The demo's history: what the pool booked in the DEMO_HISTORY_MONTHS calendar months before the
 * month of `now`, with the same seasonal peaks and rules as the season, every booking over before
 * `now`. So that statements, finance reports and usage have past months to show on the first
 * start. Deterministic for (seed, the history's first month); a stream of its own, not the season's.
 */
export function generateDemoHistory(seed: number, now: Date): DemoBookingRequest[] {
  const months = demoHistoryMonths(now);
  const nowMs = now.getTime();
  const rng = new DemoPrng(seed, months[0].year, months[0].month, HISTORY_STREAM);
  return placeRequests(
    rng,
    months,
    (_y, _m, days) => days,
    (c) => c.endMs <= nowMs,
  );
}

/** Mixed into the history's seed so its stream differs from a season starting in the same month. */
const HISTORY_STREAM = 0x6869;

/**
 * Each machine's requests for `months`, by its season profile's monthly quotas: a request takes the
 * first of up to MAX_ATTEMPTS drawn slots (on the days `daysOf` leaves) that `accept` takes and
 * that clashes with none of the machine's placed ones. Sorted by start, then machine key.
 */
function placeRequests(
  rng: DemoPrng,
  months: { year: number; month: number }[],
  daysOf: (year: number, month: number, days: number[]) => number[],
  accept: (c: Candidate) => boolean,
): DemoBookingRequest[] {
  const holidaysByYear = new Map<number, Set<string>>();
  const holidaysOf = (year: number) => {
    if (!holidaysByYear.has(year)) holidaysByYear.set(year, hessianPublicHolidays(year));
    return holidaysByYear.get(year)!;
  };
  const workdaysOf = months.map(({ year, month }) =>
    daysOf(year, month, workingDays(year, month, holidaysOf(year))),
  );
  const allDaysOf = months.map(({ year, month }) =>
    daysOf(
      year,
      month,
      Array.from({ length: daysInMonth(year, month) }, (_, i) => i + 1),
    ),
  );
  const placed: Candidate[] = [];

  for (const machine of DEMO_MACHINES) {
    const profile = SEASON_PROFILES[machine.type];
    const members = poolMembers(machine.poolKey);
    const busy: Placed[] = [];
    const weights = months.map(({ month }) => profile.monthWeights[month - 1]);
    // A span shorter than a year gets its months' share of the year's requests, by their weights.
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    const total = Math.round((profile.perMachinePerYear * sum(weights)) / sum(profile.monthWeights));
    monthlyQuotas(total, weights).forEach((count, i) => {
      const { year, month } = months[i];
      for (let k = 0; k < count; k++) {
        const emergency = rng.next() < profile.emergencyShare;
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          const candidate = emergency
            ? emergencyCandidate(rng, machine, profile, members, year, month, allDaysOf[i])
            : normalCandidate(rng, machine, profile, members, year, month, workdaysOf[i]);
          if (candidate && accept(candidate) && busy.every((b) => !clashes(b, candidate))) {
            busy.push(candidate);
            placed.push(candidate);
            break;
          }
        }
      }
    });
  }

  // Plain code-unit comparison: localeCompare would make the order depend on the ICU build.
  placed.sort((a, b) => a.startMs - b.startMs || compareStrings(a.request.machineKey, b.request.machineKey));
  return placed.map((p) => p.request);
}

/**
 * A machine's next inspection in a season starting at `now`: the machine's day of the year
 * (its inspection cycle), in the first year that puts it after the season, so the demo's
 * machines stay bookable all season and every inspection lies ahead.
 */
export function demoInspectionDue(machine: DemoMachine, now: Date): string {
  const end = DateTime.fromJSDate(demoSeasonEnd(now), { zone: ZONE });
  const [, m, d] = machine.nextInspectionDue.split('-').map(Number);
  let due = DateTime.fromObject({ year: end.year, month: m, day: d }, { zone: ZONE });
  if (due < end) due = due.plus({ years: 1 });
  return due.toISODate()!;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Two bookings of one machine clash if they overlap, or leave too little time to drive between sites. */
function clashes(a: Placed, b: Placed): boolean {
  const gapMs = a.siteAgs === b.siteAgs ? 0 : DEMO_TRANSPORT_GAP_MINUTES * 60_000;
  return a.startMs < b.endMs + gapMs && b.startMs < a.endMs + gapMs;
}

function poolMembers(poolKey: string): DemoMunicipality[] {
  const pool = DEMO_POOLS.find((p) => p.key === poolKey);
  if (!pool) throw new Error(`demo data: unknown pool ${poolKey}`);
  const agsList = new Set(pool.members.map((m) => m.ags));
  return DEMO_MUNICIPALITIES.filter((m) => agsList.has(m.ags));
}

function normalCandidate(
  rng: DemoPrng,
  machine: DemoMachine,
  profile: SeasonProfile,
  members: DemoMunicipality[],
  year: number,
  month: number,
  workdays: number[],
): Candidate | undefined {
  if (workdays.length === 0) return undefined;
  const day = rng.pick(workdays);
  const duration = durationMinutes(rng, profile, WORKDAY_END_MINUTES - WORKDAY_START_MINUTES);
  const latestStart = WORKDAY_END_MINUTES - duration;
  const start = WORKDAY_START_MINUTES + 30 * rng.int(0, (latestStart - WORKDAY_START_MINUTES) / 30);
  return candidate(rng, machine, members, { year, month, day }, start, duration, 'normal', profile.notes);
}

function emergencyCandidate(
  rng: DemoPrng,
  machine: DemoMachine,
  profile: SeasonProfile,
  members: DemoMunicipality[],
  year: number,
  month: number,
  days: number[],
): Candidate | undefined {
  if (days.length === 0) return undefined;
  const day = rng.pick(days);
  const [from, to] = EMERGENCY_START_MINUTES;
  const start = from + 30 * rng.int(0, (to - from) / 30);
  const duration = durationMinutes(rng, profile, 8.5 * 60);
  const notes = profile.emergencyNotes ?? profile.notes;
  return candidate(rng, machine, members, { year, month, day }, start, duration, 'emergency', notes);
}

/** A duration in half-hour steps within the profile's range, capped (a booking stays on one day). */
function durationMinutes(rng: DemoPrng, profile: SeasonProfile, capMinutes: number): number {
  const [min, max] = profile.durationHours;
  const steps = rng.int(min * 2, Math.min(max * 60, capMinutes) / 30);
  return steps * 30;
}

function candidate(
  rng: DemoPrng,
  machine: DemoMachine,
  members: DemoMunicipality[],
  date: { year: number; month: number; day: number },
  startMinutes: number,
  durationMinutes: number,
  priority: DemoBookingRequest['priority'],
  notes: readonly string[],
): Candidate | undefined {
  const booker = rng.weighted(
    members,
    (m) => Math.sqrt(m.population) * (m.ags === machine.homeAgs ? HOME_WEIGHT : 1),
  );
  const others = members.filter((m) => m.ags !== booker.ags);
  const site = others.length > 0 && rng.next() < FOREIGN_SITE_SHARE ? rng.pick(others) : booker;
  const note = rng.pick(notes);
  const start = DateTime.fromObject(
    { ...date, hour: Math.floor(startMinutes / 60), minute: startMinutes % 60 },
    { zone: ZONE },
  );
  if (!start.isValid) return undefined;
  const end = start.plus({ minutes: durationMinutes });
  return {
    startMs: start.toMillis(),
    endMs: end.toMillis(),
    siteAgs: site.ags,
    request: {
      machineKey: machine.key,
      municipalityAgs: booker.ags,
      siteAgs: site.ags,
      start: start.toISO({ suppressMilliseconds: true }),
      end: end.toISO({ suppressMilliseconds: true }),
      priority,
      notes: site === booker ? note : `${note} (Einsatz in ${site.name})`,
    },
  };
}
