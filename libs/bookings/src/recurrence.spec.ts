import { expandRecurrence } from './recurrence';
import { parseInstant } from './time';

const at = (s: string) => parseInstant(s)!;

describe('expandRecurrence', () => {
  it('keeps local wall-clock times across the DST change', () => {
    const occ = expandRecurrence(
      'FREQ=WEEKLY;BYDAY=MO;COUNT=3',
      at('2026-03-23T07:00:00+01:00'),
      at('2026-03-23T15:30:00+01:00'),
    );
    expect(occ.map((o) => o.start.toISOString())).toEqual([
      '2026-03-23T06:00:00.000Z',
      '2026-03-30T05:00:00.000Z',
      '2026-04-06T05:00:00.000Z',
    ]);
    expect(occ.every((o) => o.end.getTime() - o.start.getTime() === 8.5 * 3_600_000)).toBe(true);
  });

  it('expands "every second Monday of the mowing season"', () => {
    const occ = expandRecurrence(
      'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;UNTIL=20260630T235959Z',
      at('2026-05-04T07:00:00+02:00'),
      at('2026-05-04T12:00:00+02:00'),
    );
    expect(occ).toHaveLength(5);
    expect(occ[1].start.toISOString()).toBe('2026-05-18T05:00:00.000Z');
  });

  it.each([
    ['FREQ=WEEKLY', /needs COUNT or UNTIL/],
    ['FREQ=BOGUS;COUNT=2', /not a valid RRULE|Invalid frequency/i],
    ['FREQ=DAILY;COUNT=400', /more than 366/],
    ['DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY;COUNT=2', /DTSTART/],
  ])('rejects %s', (rule, message) => {
    expect(() =>
      expandRecurrence(rule, at('2026-05-04T07:00:00+02:00'), at('2026-05-04T08:00:00+02:00')),
    ).toThrow(
      expect.objectContaining({
        errors: [expect.objectContaining({ message: expect.stringMatching(message) })],
      }),
    );
  });
});
