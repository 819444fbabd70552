import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import {
  BUILDING_YARD_POOL,
  DEMO_AGS,
  DEMO_MACHINES,
  DEMO_MUNICIPALITIES,
  DEMO_POOLS,
  DEMO_STAFF,
  DEMO_TRANSPORT_GAP_MINUTES,
  DEMO_USERS,
  DemoBookingRequest,
  DEMO_HISTORY_MONTHS,
  demoHistoryStart,
  demoInspectionDue,
  demoJoinedOn,
  demoSeasonEnd,
  generateDemoBookings,
  generateDemoHistory,
  MachineType,
  WINTER_SERVICE_POOL,
} from './werra-meissner';

const YEAR = 2026;
/** The demo's today, pinned: a season from January is the calendar year. */
const newYear = (year: number) =>
  DateTime.fromObject({ year, month: 1, day: 1 }, { zone: 'Europe/Berlin' }).toJSDate();
const OFFSET = /[+-]\d{2}:\d{2}$|Z$/;
const ags = new Set(DEMO_MUNICIPALITIES.map((m) => m.ags));
const poolKeys = new Set(DEMO_POOLS.map((p) => p.key));
const machineType = new Map(DEMO_MACHINES.map((m) => [m.key, m.type]));
const local = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone('Europe/Berlin');

function pool(key: string) {
  const found = DEMO_POOLS.find((p) => p.key === key);
  if (!found) throw new Error(`no pool ${key}`);
  return found;
}

function bookingsOf(bookings: DemoBookingRequest[], types: MachineType[]) {
  return bookings.filter((b) => types.includes(machineType.get(b.machineKey) as MachineType));
}

function countByMonth(bookings: DemoBookingRequest[]): number[] {
  const counts = new Array<number>(12).fill(0);
  for (const b of bookings) counts[local(b.start).month - 1]++;
  return counts;
}

describe('Werra-Meißner demo data', () => {
  it('has the 16 municipalities with unique 8-digit AGS of district 06636', () => {
    expect(DEMO_MUNICIPALITIES).toHaveLength(16);
    expect(ags.size).toBe(16);
    expect(new Set(DEMO_MUNICIPALITIES.map((m) => m.name)).size).toBe(16);
    for (const m of DEMO_MUNICIPALITIES) {
      expect(m.ags).toMatch(/^06636\d{3}$/);
      expect(m.state).toBe('HE');
      expect(m.population).toBeGreaterThan(0);
    }
    expect(new Set(Object.values(DEMO_AGS))).toEqual(ags);
  });

  it('places every municipality inside the district', () => {
    for (const { location } of DEMO_MUNICIPALITIES) {
      expect(location.lat).toBeGreaterThanOrEqual(51.0);
      expect(location.lat).toBeLessThanOrEqual(51.45);
      expect(location.lon).toBeGreaterThanOrEqual(9.6);
      expect(location.lon).toBeLessThanOrEqual(10.3);
    }
  });

  it('has a district-wide building-yard pool and a five-member winter pool inside it', () => {
    const yard = pool(BUILDING_YARD_POOL);
    const winter = pool(WINTER_SERVICE_POOL);
    expect(yard.fieldOfAction).toBe('building-yard');
    expect(yard.members.map((m) => m.ags).sort()).toEqual([...ags].sort());
    expect(yard.costSharing).toMatchObject({ key: 'mixed', mix: { population: 50, usage: 50 } });
    expect(winter.costSharing.key).toBe('population');
    const winterMembers = new Set(winter.members.map((m) => m.ags));
    expect(winterMembers.size).toBe(5);
    for (const m of winterMembers) expect(yard.members.some((y) => y.ags === m)).toBe(true);
    for (const p of DEMO_POOLS) expect(p.members.some((m) => m.ags === p.coordinatorAgs)).toBe(true);
  });

  it('references only existing municipalities and pools, with unique keys', () => {
    const keys = [...DEMO_MACHINES.map((m) => m.key), ...DEMO_STAFF.map((s) => s.key)];
    expect(new Set(keys).size).toBe(keys.length);
    expect(DEMO_MACHINES.length).toBeGreaterThanOrEqual(25);
    expect(DEMO_STAFF.length).toBeGreaterThanOrEqual(15);
    for (const m of DEMO_MACHINES) {
      expect(ags.has(m.homeAgs)).toBe(true);
      expect(poolKeys.has(m.poolKey)).toBe(true);
      expect(pool(m.poolKey).members.some((x) => x.ags === m.homeAgs)).toBe(true);
      expect(m.nextInspectionDue).toMatch(/^2027-\d{2}-\d{2}$/);
      expect(Number.isInteger(m.hourlyRateCents) && Number.isInteger(m.annualFixedCostCents)).toBe(true);
    }
    for (const s of DEMO_STAFF) {
      expect(ags.has(s.employerAgs)).toBe(true);
      expect(poolKeys.has(s.poolKey)).toBe(true);
    }
    for (const u of DEMO_USERS) {
      expect(ags.has(u.municipalityAgs)).toBe(true);
      for (const k of u.poolKeys) expect(poolKeys.has(k)).toBe(true);
    }
    expect(new Set(DEMO_USERS.map((u) => u.email)).size).toBe(DEMO_USERS.length);
  });

  it('has a coordinator for each pool and at least two operators for every required qualification', () => {
    for (const p of DEMO_POOLS) {
      expect(DEMO_USERS.some((u) => u.role === 'coordinator' && u.poolKeys.includes(p.key))).toBe(true);
    }
    const uncovered = DEMO_MACHINES.filter((m) => {
      const q = m.requiredQualification;
      if (!q) return false;
      return DEMO_STAFF.filter((s) => s.poolKey === m.poolKey && s.qualifications.includes(q)).length < 2;
    }).map((m) => m.key);
    expect(uncovered).toEqual([]);
  });
});

describe('generateDemoBookings', () => {
  const bookings = generateDemoBookings(42, newYear(YEAR));
  // The invariants must hold for any seed and year (holidays and weekdays move), not one lucky draw.
  const seasons: [number, number][] = [
    [42, YEAR],
    [1, 2027],
    [7, 2028],
  ];
  const cache = new Map<string, DemoBookingRequest[]>();
  const season = (seed: number, year: number) => {
    const key = `${seed}/${year}`;
    if (!cache.has(key)) cache.set(key, generateDemoBookings(seed, newYear(year)));
    return cache.get(key)!;
  };

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoBookings(42, newYear(YEAR))).toEqual(bookings);
    expect(generateDemoBookings(43, newYear(YEAR))).not.toEqual(bookings);
  });

  it('produces a few hundred requests within the year, for known machines and pool members', () => {
    expect(bookings.length).toBeGreaterThan(200);
    expect(bookings.length).toBeLessThan(1000);
    for (const b of bookings) {
      const machine = DEMO_MACHINES.find((m) => m.key === b.machineKey);
      expect(machine).toBeDefined();
      const members = pool(machine!.poolKey).members.map((m) => m.ags);
      expect(members).toContain(b.municipalityAgs);
      expect(members).toContain(b.siteAgs);
      expect(local(b.start).year).toBe(YEAR);
      expect(b.notes.length).toBeGreaterThan(0);
    }
  });

  it('gives every start and end an offset, and a positive length', () => {
    for (const b of bookings) {
      expect(b.start).toMatch(OFFSET);
      expect(b.end).toMatch(OFFSET);
      expect(Date.parse(b.end)).toBeGreaterThan(Date.parse(b.start));
    }
  });

  it.each(seasons)('has the seasonal peaks (seed %i, %i)', (seed, year) => {
    const bookings = season(seed, year);
    const sweeping = countByMonth(bookingsOf(bookings, ['street-sweeper']));
    expect(Math.max(...sweeping.filter((_, i) => i !== 3))).toBeLessThan(sweeping[3]);

    const mowing = countByMonth(bookingsOf(bookings, ['mulcher', 'slope-mower']));
    const mayJune = mowing[4] + mowing[5];
    expect(mayJune).toBeGreaterThan(mowing.reduce((a, b) => a + b, 0) - mayJune);

    const winter = countByMonth(bookingsOf(bookings, ['snow-plough', 'gritter', 'snow-blower']));
    const total = winter.reduce((a, b) => a + b, 0);
    expect(winter[0]).toBeGreaterThan(total / 2);
    expect(winter.slice(3, 10).every((n) => n === 0)).toBe(true);
    expect(bookingsOf(bookings, ['snow-plough', 'gritter']).some((b) => b.priority === 'emergency')).toBe(
      true,
    );
  });

  it('spreads sewer-camera bookings over the year and bumps excavators in autumn', () => {
    const sewer = countByMonth(bookingsOf(bookings, ['sewer-camera']));
    expect(sewer.every((n) => n > 0)).toBe(true);
    const digging = countByMonth(bookingsOf(bookings, ['excavator', 'mini-excavator']));
    expect(digging[9]).toBeGreaterThan(digging[5]);
  });

  it.each(seasons)(
    'never overlaps two bookings of one machine, with a transport gap (seed %i, %i)',
    (seed, year) => {
      const bookings = season(seed, year);
      const byMachine = new Map<string, DemoBookingRequest[]>();
      for (const b of bookings) byMachine.set(b.machineKey, [...(byMachine.get(b.machineKey) ?? []), b]);
      for (const list of byMachine.values()) {
        list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        for (let i = 1; i < list.length; i++) {
          const gap = list[i - 1].siteAgs === list[i].siteAgs ? 0 : DEMO_TRANSPORT_GAP_MINUTES * 60_000;
          expect(Date.parse(list[i].start)).toBeGreaterThanOrEqual(Date.parse(list[i - 1].end) + gap);
        }
      }
    },
  );

  it.each(seasons)(
    'books normal requests only in working hours on working days (seed %i, %i)',
    (seed, year) => {
      const bookings = season(seed, year);
      const holidays = new Set(
        new Holidays('DE', 'HE')
          .getHolidays(year)
          .filter((h) => h.type === 'public')
          .map((h) => h.date.slice(0, 10)),
      );
      expect(holidays.has(`${year}-10-03`)).toBe(true);
      const normal = bookings.filter((b) => b.priority === 'normal');
      expect(normal.length).toBeGreaterThan(0);
      for (const b of normal) {
        const start = local(b.start);
        const end = local(b.end);
        expect(start.weekday).toBeLessThanOrEqual(5);
        expect(holidays.has(start.toISODate()!)).toBe(false);
        expect(end.toISODate()).toBe(start.toISODate());
        expect(start.hour * 60 + start.minute).toBeGreaterThanOrEqual(7 * 60);
        expect(end.hour * 60 + end.minute).toBeLessThanOrEqual(15 * 60 + 30);
      }
    },
  );
});

describe('a demo season relative to its today', () => {
  // Two pinned todays: the tests never read the clock, and hold for any month of the year.
  const todays = [
    DateTime.fromISO('2026-12-01T10:15:00', { zone: 'Europe/Berlin' }).toJSDate(),
    DateTime.fromISO('2027-06-17T16:40:00', { zone: 'Europe/Berlin' }).toJSDate(),
  ];

  it.each(todays)('lies entirely ahead, within the twelve months from the month of %s', (now) => {
    const bookings = generateDemoBookings(1, now);
    expect(bookings.length).toBeGreaterThan(200);
    const end = demoSeasonEnd(now).getTime();
    for (const b of bookings) {
      expect(Date.parse(b.start)).toBeGreaterThan(now.getTime());
      expect(Date.parse(b.end)).toBeLessThanOrEqual(end + 86_400_000);
    }
    const months = new Set(bookings.map((b) => local(b.start).toFormat('yyyy-MM')));
    expect(months.size).toBe(12);
  });

  it('shows the winter service at once when loaded in December', () => {
    const now = todays[0];
    const twoWeeks = now.getTime() + 14 * 86_400_000;
    const winter = bookingsOf(generateDemoBookings(1, now), ['snow-plough', 'gritter', 'snow-blower']).filter(
      (b) => Date.parse(b.start) < twoWeeks,
    );
    expect(winter.length).toBeGreaterThanOrEqual(3);
  });

  it.each(todays)('puts every inspection after the season (today %s)', (now) => {
    const end = demoSeasonEnd(now);
    for (const m of DEMO_MACHINES) {
      const due = DateTime.fromISO(demoInspectionDue(m, now), { zone: 'Europe/Berlin' });
      expect(due.toMillis()).toBeGreaterThanOrEqual(end.getTime());
      expect(due.toMillis()).toBeLessThan(end.getTime() + 366 * 86_400_000);
      expect(due.toFormat('MM-dd')).toBe(m.nextInspectionDue.slice(5));
    }
  });

  it.each(todays)(
    'has a history: the three months before the month of %s, every booking over by then',
    (now) => {
      const history = generateDemoHistory(1, now);
      expect(history.length).toBeGreaterThan(40);
      expect(generateDemoHistory(1, now)).toEqual(history);
      expect(generateDemoHistory(2, now)).not.toEqual(history);
      const first = DateTime.fromJSDate(now, { zone: 'Europe/Berlin' }).startOf('month').minus({ months: 3 });
      expect(demoHistoryStart(now)).toBe(first.toISODate());
      for (const b of history) {
        expect(Date.parse(b.start)).toBeGreaterThanOrEqual(first.toMillis());
        expect(Date.parse(b.end)).toBeLessThanOrEqual(now.getTime());
      }
      const months = [...new Set(history.map((b) => local(b.start).toFormat('yyyy-MM')))].sort();
      expect(months).toEqual(
        Array.from({ length: DEMO_HISTORY_MONTHS }, (_, i) => first.plus({ months: i }).toFormat('yyyy-MM')),
      );
      // History and season together: one calendar per machine, never two bookings at once.
      const byMachine = new Map<string, DemoBookingRequest[]>();
      for (const b of [...history, ...generateDemoBookings(1, now)])
        byMachine.set(b.machineKey, [...(byMachine.get(b.machineKey) ?? []), b]);
      for (const list of byMachine.values()) {
        list.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
        for (let i = 1; i < list.length; i++)
          expect(Date.parse(list[i].start)).toBeGreaterThanOrEqual(Date.parse(list[i - 1].end));
      }
    },
  );

  it('shows the winter service in a history that reaches into winter, and none in summer', () => {
    const winterTypes: MachineType[] = ['snow-plough', 'gritter', 'snow-blower'];
    const february = DateTime.fromISO('2027-02-10T09:00:00', { zone: 'Europe/Berlin' }).toJSDate();
    expect(bookingsOf(generateDemoHistory(1, february), winterTypes).length).toBeGreaterThan(5);
    const august = DateTime.fromISO('2027-08-10T09:00:00', { zone: 'Europe/Berlin' }).toJSDate();
    expect(bookingsOf(generateDemoHistory(1, august), winterTypes)).toEqual([]);
  });

  it.each([...todays, DateTime.fromISO('2026-02-10T09:00:00', { zone: 'Europe/Berlin' }).toJSDate()])(
    "lets every member join by the first day of the history, its pool's date moved by whole years (today %s)",
    (now) => {
      const start = demoHistoryStart(now);
      for (const p of DEMO_POOLS) {
        for (const m of p.members) {
          const joined = demoJoinedOn(m.joinedOn, now);
          expect(joined <= start).toBe(true);
          expect(joined.slice(4)).toBe(m.joinedOn.slice(4));
          expect(
            DateTime.fromISO(joined).plus({ years: 1 }).toISODate()! > start || joined === m.joinedOn,
          ).toBe(true);
        }
      }
    },
  );
});
