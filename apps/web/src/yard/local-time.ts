/**
 * Wall-clock times in Berlin as the forms hold them ("2026-06-09", "07:00") and the instants the
 * API takes. Pure functions on Intl, like format.ts.
 */
import { berlinMidnight } from '../board/calendar';
import { berlinDay, formatTime } from '../format';

/** The instant of `time` ("HH:MM") on the Berlin calendar day `day`, also on the days clocks change. */
export function berlinInstant(day: string, time: string): Date {
  const [h, m] = time.split(':').map(Number);
  const guess = berlinMidnight(day).getTime() + (h * 60 + m) * 60_000;
  for (const shift of [0, -3_600_000, 3_600_000]) {
    const t = new Date(guess + shift);
    if (berlinDay(t) === day && formatTime(t) === time) return t;
  }
  return new Date(guess);
}

/** An instant as the form's day and time fields. */
export function wallClock(value: Date | string | number): { day: string; time: string } {
  return { day: berlinDay(value), time: formatTime(value) };
}

export function isTime(value: string | null): value is string {
  return value !== null && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** "5 h 30 min" style duration in hours and minutes. */
export function durationMinutes(start: Date | string, end: Date | string): number {
  return Math.round((new Date(end).getTime() - new Date(start).getTime()) / 60_000);
}
