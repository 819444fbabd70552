import fc from 'fast-check';
import { ValidationFailed } from '@allmende/core';
import { expandRecurrence, MAX_OCCURRENCES } from './recurrence';
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

  it('expands a rule that matches rarely but within its horizon: 29 February, three times', () => {
    const occ = expandRecurrence(
      'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;COUNT=3',
      at('2026-05-04T07:00:00+02:00'),
      at('2026-05-04T08:00:00+02:00'),
    );
    expect(occ.map((o) => o.start.toISOString().slice(0, 10))).toEqual([
      '2028-02-29',
      '2032-02-29',
      '2036-02-29',
    ]);
  });

  it('refuses a rule that never matches, whatever its FREQ, instead of walking to the year 9999', () => {
    // Walked to the end, DAILY takes seconds and HOURLY minutes: Jest's timeout would end this test.
    for (const [freq, message] of [
      ['YEARLY', /^matches too rarely/],
      ['MONTHLY', /^matches too rarely/],
      ['WEEKLY', /^matches too rarely/],
      ['DAILY', /^matches too rarely/],
      ['HOURLY', /^matches too rarely/],
    ] as const) {
      expect(() =>
        expandRecurrence(
          `FREQ=${freq};BYMONTH=4;BYMONTHDAY=31;COUNT=1`,
          at('2026-05-04T07:00:00+02:00'),
          at('2026-05-04T08:00:00+02:00'),
        ),
      ).toThrow(
        expect.objectContaining({
          errors: [expect.objectContaining({ message: expect.stringMatching(message) })],
        }),
      );
    }
  });

  it.each([
    ['FREQ=WEEKLY', /needs COUNT or UNTIL/],
    ['FREQ=BOGUS;COUNT=2', /^FREQ is required/],
    ['COUNT=2', /^FREQ is required/],
    ['FREQ=MINUTELY;COUNT=2', /^FREQ must be/],
    ['FREQ', /^is not a valid RRULE: write NAME=VALUE parts/],
    ['FREQ=DAILY;FOO=1;COUNT=2', /^is not a valid RRULE: Unknown RRULE property 'FOO'$/],
    ['FREQ=DAILY;UNTIL=xyz', /^is not a valid RRULE: Invalid UNTIL value: xyz$/],
    ['FREQ=DAILY;COUNT=abc', /^COUNT must be at least 1$/],
    ['FREQ=DAILY;COUNT=2.5', /^COUNT must be at least 1$/],
    ['FREQ=DAILY;COUNT=1e9', /^COUNT must be at least 1$/],
    ['FREQ=DAILY;COUNT=0', /^COUNT must be at least 1$/],
    ['FREQ=DAILY;INTERVAL=abc;COUNT=2', /^INTERVAL must be between 1 and 1000$/],
    ['FREQ=DAILY;INTERVAL=0;COUNT=2', /^INTERVAL must be between 1 and 1000$/],
    ['FREQ=DAILY;BYHOUR=abc;COUNT=2', /^BYHOUR=abc is out of range/],
    ['FREQ=DAILY;BYDAY=XX;COUNT=2', /^BYDAY must list weekdays/],
    ['FREQ=MONTHLY;BYDAY=+60MO;COUNT=2', /^BYDAY must list weekdays/],
    ['FREQ=DAILY;BYDAY=0MO;COUNT=2', /^is not a valid RRULE: Can't create weekday with n == 0$/],
    ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2', /^matches too rarely: .* within 100 years of the start/],
    ['FREQ=YEARLY;COUNT=120', /^matches too rarely: .* within 100 years/],
    ['FREQ=DAILY;INTERVAL=3;BYMONTH=2;BYMONTHDAY=30;COUNT=2', /^matches too rarely: .* within 300 years/],
    ['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2', /^matches too rarely: .* within 5 years/],
    ['FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=31;UNTIL=20991231T000000Z', /^matches too rarely/],
    ['FREQ=DAILY;UNTIL=20260101T000000Z', /^yields no occurrence from start on$/],
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

  it('answers any rule made of RRULE parts with occurrences or a ValidationFailed, never hangs or throws else', () => {
    const value = fc.oneof(
      fc.integer({ min: -400, max: 400 }).map(String),
      fc.constantFrom('abc', '', '1e9', '2.5', '-0', 'MO', '2MO', '-1FR', '+9SU', '0MO', 'XX', 'MO,TU,XX'),
      fc.constantFrom('20261231T000000Z', '20991231T235959Z', '21000101T000000Z', 'xyz', '19991231'),
    );
    const part = fc.tuple(
      fc.constantFrom(
        'FREQ',
        'COUNT',
        'INTERVAL',
        'UNTIL',
        'BYDAY',
        'BYMONTH',
        'BYMONTHDAY',
        'BYYEARDAY',
        'BYWEEKNO',
        'BYHOUR',
        'BYMINUTE',
        'BYSETPOS',
        'WKST',
        'FOO',
      ),
      fc.oneof(value, fc.constantFrom('YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'BOGUS')),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        const rule = parts.map(([k, v]) => `${k}=${v}`).join(';');
        try {
          const occ = expandRecurrence(
            rule,
            at('2026-05-04T07:00:00+02:00'),
            at('2026-05-04T08:00:00+02:00'),
          );
          expect(occ.length).toBeGreaterThan(0);
          expect(occ.length).toBeLessThanOrEqual(MAX_OCCURRENCES);
          expect(occ.every((o) => o.end > o.start && o.start.getUTCFullYear() < 2500)).toBe(true);
        } catch (e) {
          if (!(e instanceof ValidationFailed)) throw e;
          expect(e.errors).toEqual([expect.objectContaining({ field: 'recurrence.rrule' })]);
        }
      }),
      { numRuns: 400, seed: 14 },
    );
  });
});
