/**
 * Days of next year (from now) that the calendar tests need: both daylight-saving changes in
 * Europe/Berlin (last Sunday of March and of October) and a plain working Tuesday in September
 * (no Hessian public holiday falls on it).
 */
export function nextYearDays(now = new Date()) {
  const year = now.getUTCFullYear() + 1;
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(year, month, 0)); // the last day of `month` (1-based)
    d.setUTCDate(d.getUTCDate() - d.getUTCDay());
    return d.toISOString().slice(0, 10);
  };
  const tuesday = new Date(Date.UTC(year, 8, 8));
  while (tuesday.getUTCDay() !== 2) tuesday.setUTCDate(tuesday.getUTCDate() + 1);
  const plus = (iso: string, days: number) =>
    new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const workday = tuesday.toISOString().slice(0, 10);
  return {
    year,
    /** Clocks go from 02:00 CET to 03:00 CEST. */
    springForward: lastSunday(3),
    /** Clocks go from 03:00 CEST back to 02:00 CET. */
    fallBack: lastSunday(10),
    /** A Tuesday in September, and the Wednesday after it. */
    workday,
    nextWorkday: plus(workday, 1),
  };
}
