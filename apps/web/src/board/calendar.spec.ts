import { addDays, berlinMidnight, hessianHolidays, mondayOf } from './calendar';

describe('board calendar', () => {
  it('finds Berlin midnight in winter and summer time', () => {
    expect(berlinMidnight('2026-12-08').toISOString()).toBe('2026-12-07T23:00:00.000Z');
    expect(berlinMidnight('2026-06-01').toISOString()).toBe('2026-05-31T22:00:00.000Z');
    // the day clocks go forward: midnight is still +01:00
    expect(berlinMidnight('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('weeks start on Monday', () => {
    expect(mondayOf('2026-12-08')).toBe('2026-12-07');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
  });

  it('knows the Hessian holidays of 2026, Easter-based ones included', () => {
    const h = hessianHolidays(2026);
    expect(h.get('2026-04-03')).toBe('goodFriday');
    expect(h.get('2026-04-06')).toBe('easterMonday');
    expect(h.get('2026-05-14')).toBe('ascension');
    expect(h.get('2026-05-25')).toBe('whitMonday');
    expect(h.get('2026-06-04')).toBe('corpusChristi');
    expect(h.get('2026-10-03')).toBe('germanUnity');
    expect(h.size).toBe(10);
  });
});
