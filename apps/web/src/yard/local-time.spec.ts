import { berlinInstant, durationMinutes, isTime, wallClock } from './local-time';

describe('form times in Berlin', () => {
  it('turns a day and a wall-clock time into the instant, in winter and summer time', () => {
    expect(berlinInstant('2026-12-08', '07:00').toISOString()).toBe('2026-12-08T06:00:00.000Z');
    expect(berlinInstant('2026-06-09', '15:30').toISOString()).toBe('2026-06-09T13:30:00.000Z');
  });

  it('counts the hours right on the days the clocks change', () => {
    // 29 March 2026: 02:00 → 03:00; 25 October 2026: 03:00 → 02:00
    expect(berlinInstant('2026-03-29', '07:00').toISOString()).toBe('2026-03-29T05:00:00.000Z');
    expect(berlinInstant('2026-10-25', '07:00').toISOString()).toBe('2026-10-25T06:00:00.000Z');
    expect(durationMinutes(berlinInstant('2026-10-25', '00:00'), berlinInstant('2026-10-25', '07:00'))).toBe(
      480,
    );
  });

  it('reads an instant back as the form fields', () => {
    expect(wallClock('2026-06-09T05:00:00Z')).toEqual({ day: '2026-06-09', time: '07:00' });
    expect(isTime('07:30')).toBe(true);
    expect(isTime('24:00')).toBe(false);
    expect(isTime('7:30')).toBe(false);
  });
});
