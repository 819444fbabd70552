import { berlinDay, formatAmount, formatCents, formatDate, formatTime, formatWeek, isoWeek } from './format';

describe('German formats in Europe/Berlin', () => {
  it('dates with the weekday, no dot after it', () => {
    expect(formatDate('2026-12-08T06:00:00Z')).toBe('Di, 08.12.2026');
    expect(formatDate('2026-12-08T06:00:00Z', 'en')).toBe('Tue, 08/12/2026');
  });

  it('times in Berlin, 24 hours, across daylight saving', () => {
    expect(formatTime('2026-12-08T06:00:00Z')).toBe('07:00');
    expect(formatTime('2026-07-08T05:00:00Z')).toBe('07:00');
    expect(formatTime('2026-12-08T22:30:00Z')).toBe('23:30');
  });

  it('the Berlin day, not the UTC one', () => {
    expect(berlinDay('2026-12-08T23:30:00Z')).toBe('2026-12-09');
  });

  it('amounts with thousands separator and euro sign', () => {
    expect(formatAmount(1234.56)).toBe('1.234,56\u00a0€');
    expect(formatCents(-50)).toBe('-0,50\u00a0€');
  });

  it('ISO calendar weeks', () => {
    expect(formatWeek('2026-12-08T12:00:00Z')).toBe('KW 50');
    expect(isoWeek('2026-12-31T12:00:00Z')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2027-01-04T12:00:00Z')).toEqual({ year: 2027, week: 1 });
    expect(isoWeek('2021-01-03T12:00:00Z')).toEqual({ year: 2020, week: 53 });
  });
});
