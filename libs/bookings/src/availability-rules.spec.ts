import { inspectionOverdue, publicHolidays, withinWorkingHours } from './availability-rules';
import { DateTime } from 'luxon';
import { berlinWallClock, localDays, minutesBetween, parseInstant } from './time';

const at = (s: string) => parseInstant(s)!;

describe('time', () => {
  it('requires an offset', () => {
    expect(parseInstant('2026-10-25T01:30:00')).toBeNull();
    expect(parseInstant('2026-10-25T01:30:00+02:00')).toEqual(new Date('2026-10-24T23:30:00Z'));
    expect(parseInstant('2026-10-25T01:30Z')).not.toBeNull();
    expect(parseInstant('2026-02-30T10:00:00+01:00')).toBeNull();
    expect(parseInstant('yesterday')).toBeNull();
  });

  it('counts the DST fall-back night right: 01:30+02:00 to 03:30+01:00 is three hours', () => {
    expect(minutesBetween(at('2026-10-25T01:30:00+02:00'), at('2026-10-25T03:30:00+01:00'))).toBe(180);
    expect(minutesBetween(at('2026-03-29T01:30:00+01:00'), at('2026-03-29T03:30:00+02:00'))).toBe(60);
  });

  it('lists local days', () => {
    expect(localDays(at('2026-01-05T23:30:00+01:00'), at('2026-01-06T00:30:00+01:00'))).toEqual([
      '2026-01-05',
      '2026-01-06',
    ]);
    expect(localDays(at('2026-01-05T10:00:00+01:00'), at('2026-01-06T00:00:00+01:00'))).toEqual([
      '2026-01-05',
    ]);
  });

  it('lists local days across DST changes and month ends', () => {
    expect(localDays(at('2026-10-25T01:30:00+02:00'), at('2026-10-25T03:30:00+01:00'))).toEqual([
      '2026-10-25',
    ]);
    // 23:30 local on the 28th is 22:30 UTC; the night is an hour short.
    expect(localDays(at('2026-03-28T23:30:00+01:00'), at('2026-03-29T03:30:00+02:00'))).toEqual([
      '2026-03-28',
      '2026-03-29',
    ]);
    // Midnight local on 1 November is still 31 October in UTC.
    expect(localDays(at('2026-10-31T22:00:00+01:00'), at('2026-11-02T00:00:01+01:00'))).toEqual([
      '2026-10-31',
      '2026-11-01',
      '2026-11-02',
    ]);
    expect(localDays(at('2026-12-31T23:00:00+01:00'), at('2027-01-01T01:00:00+01:00'))).toEqual([
      '2026-12-31',
      '2027-01-01',
    ]);
  });
});

describe('availability rules', () => {
  it('knows Hessian public holidays, and Fronleichnam is not one in Saxony-Anhalt', () => {
    const corpusChristi = [at('2026-06-04T08:00:00+02:00'), at('2026-06-04T12:00:00+02:00')] as const;
    expect(publicHolidays('HE', ...corpusChristi)).toHaveLength(1);
    expect(publicHolidays('ST', ...corpusChristi)).toHaveLength(0);
    expect(
      publicHolidays('HE', at('2026-06-05T08:00:00+02:00'), at('2026-06-05T12:00:00+02:00')),
    ).toHaveLength(0);
    expect(
      publicHolidays('HE', at('2026-12-25T08:00:00+01:00'), at('2026-12-25T09:00:00+01:00'))[0].date,
    ).toBe('2026-12-25');
  });

  it('checks working hours in local time on both sides of the DST change', () => {
    expect(withinWorkingHours(at('2026-03-27T07:00:00+01:00'), at('2026-03-27T15:30:00+01:00'))).toBe(true);
    expect(withinWorkingHours(at('2026-03-30T07:00:00+02:00'), at('2026-03-30T15:30:00+02:00'))).toBe(true);
    expect(withinWorkingHours(at('2026-03-30T06:00:00Z'), at('2026-03-30T07:00:00Z'))).toBe(true);
    expect(withinWorkingHours(at('2026-03-30T06:30:00+02:00'), at('2026-03-30T08:00:00+02:00'))).toBe(false);
    expect(withinWorkingHours(at('2026-03-28T08:00:00+01:00'), at('2026-03-28T10:00:00+01:00'))).toBe(false);
  });

  it('allows use up to the end of the inspection day', () => {
    expect(inspectionOverdue('2026-05-04', at('2026-05-04T23:59:00+02:00'))).toBe(false);
    expect(inspectionOverdue('2026-05-04', at('2026-05-05T08:00:00+02:00'))).toBe(true);
    expect(inspectionOverdue(null, at('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('berlinWallClock', () => {
  it('formats like luxon on both sides of the DST changes, with and without milliseconds', () => {
    const samples = [
      '2026-03-29T00:59:59Z',
      '2026-03-29T01:00:00Z',
      '2026-10-25T00:30:00Z',
      '2026-10-25T01:30:00Z',
      '2026-07-01T10:15:30.250Z',
      '2026-12-31T23:00:00Z',
    ];
    for (const s of samples) {
      const d = new Date(s);
      expect(berlinWallClock(d)).toBe(
        DateTime.fromJSDate(d, { zone: 'Europe/Berlin' }).toISO({ suppressMilliseconds: true }),
      );
    }
  });
});
