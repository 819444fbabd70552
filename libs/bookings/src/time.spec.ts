import { DateTime } from 'luxon';
import { berlinDate, berlinOffsetAt, berlinWallClock, ZONE } from './time';

/** The cached Berlin offsets (per day, per hour on the days the clocks change) against luxon. */
describe('Berlin offsets from the cache', () => {
  const HOUR = 3_600_000;

  // Mismatches are collected and compared once: an expect() per instant cost seconds.
  it('agree with luxon at every hour around each change of the clocks, 1996–2040', () => {
    const mismatches: string[] = [];
    for (let year = 1996; year <= 2040; year++) {
      for (const month of [3, 10]) {
        const from = DateTime.fromObject({ year, month, day: 24 }, { zone: 'UTC' }).toMillis();
        for (let ms = from; ms < from + 9 * 24 * HOUR; ms += HOUR / 4) {
          const at = new Date(ms);
          const zoned = DateTime.fromMillis(ms, { zone: ZONE });
          if (berlinOffsetAt(at) !== zoned.offset || berlinDate(at) !== zoned.toISODate())
            mismatches.push(`${at.toISOString()}: ${berlinOffsetAt(at)} ${berlinDate(at)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agree with luxon on random instants, in any order of asking', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const start = Date.UTC(1990, 0, 1);
    const span = Date.UTC(2045, 0, 1) - start;
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const at = new Date(start + Math.floor(random() * span));
      const zoned = DateTime.fromMillis(at.getTime(), { zone: ZONE });
      const wall = zoned.toISO({ suppressMilliseconds: true, suppressSeconds: false });
      if (berlinOffsetAt(at) !== zoned.offset || berlinWallClock(at) !== wall)
        mismatches.push(`${at.toISOString()}: ${berlinOffsetAt(at)} ${berlinWallClock(at)}`);
    }
    expect(mismatches).toEqual([]);
  });
});
