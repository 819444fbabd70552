import { publicHolidays } from './availability-rules';
import { addMinutes, berlinOffsetAt, berlinWallTime, localDays, nextLocalDate } from './time';

export interface Span {
  start: Date;
  end: Date;
}

export interface BusyBooking extends Span {
  blockedStart: Date;
  siteId: string;
}

export interface FreeWindow extends Span {
  /** Transport time from where the resource is before the window to the requested site. */
  travelInMinutes: number;
}

export interface WindowQuery {
  from: Date;
  to: Date;
  siteId: string;
  siteState: string;
  homeId: string;
  minMinutes: number;
  /** Staff: local working hours per ISO weekday; machines: undefined (any hour). */
  workingHours?: Partial<Record<string, [string, string]>>;
  /** Inspection due date: nothing after the end of that local day. */
  usableUntil?: Date;
  emergency?: boolean;
}

/** The local spans in which a booking may lie at all: not on holidays, inside working hours. */
export function allowedSpans(q: WindowQuery): Span[] {
  if (q.to <= q.from) return [];
  const spans: Span[] = [];
  const holidays = q.emergency
    ? new Set<string>()
    : new Set(publicHolidays(q.siteState, q.from, q.to).map((h) => h.date));
  for (const date of localDays(q.from, q.to)) {
    if (holidays.has(date)) continue;
    const dayStart = berlinWallTime(date, 0, 0);
    if (q.workingHours && !q.emergency) {
      const weekday = ((new Date(Date.parse(`${date}T00:00:00Z`)).getUTCDay() + 6) % 7) + 1;
      const hours = q.workingHours[String(weekday)];
      if (hours) {
        const [oh, om] = hours[0].split(':').map(Number);
        const [ch, cm] = hours[1].split(':').map(Number);
        const offset = berlinOffsetAt(dayStart);
        spans.push({
          start: berlinWallTime(date, oh, om, offset),
          end: berlinWallTime(date, ch, cm, offset),
        });
      }
    } else {
      spans.push({ start: dayStart, end: berlinWallTime(nextLocalDate(date), 0, 0) });
    }
  }
  return mergeSpans(clipAll(spans, q.from, q.usableUntil && q.usableUntil < q.to ? q.usableUntil : q.to));
}

function clipAll(spans: Span[], from: Date, to: Date): Span[] {
  return spans
    .map((s) => ({ start: s.start < from ? from : s.start, end: s.end > to ? to : s.end }))
    .filter((s) => s.end > s.start);
}

function mergeSpans(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) {
      if (s.end > last.end) last.end = s.end;
    } else merged.push({ ...s });
  }
  return merged;
}

function subtract(spans: Span[], cut: Span): Span[] {
  return spans.flatMap((s) => {
    if (cut.end <= s.start || cut.start >= s.end) return [s];
    const out: Span[] = [];
    if (cut.start > s.start) out.push({ start: s.start, end: cut.start });
    if (cut.end < s.end) out.push({ start: cut.end, end: s.end });
    return out;
  });
}

/**
 * Free windows of one resource for a booking at `siteId`: between two bookings the resource must
 * first travel from the earlier site and later reach the next site in time. A window is at least
 * `minMinutes` long (more than none). The gaps between bookings and the allowed spans are both in
 * time order and disjoint, so one sweep over the two lists pairs each gap with the spans it
 * overlaps (a search over weeks of a busy calendar pairs hundreds of each).
 */
export function freeWindows(
  q: WindowQuery,
  busy: BusyBooking[],
  blackouts: Span[],
  travel: (fromId: string, toId: string) => number,
  /** The query's allowed spans, when the caller computed them once for many resources. */
  allowed: Span[] = allowedSpans(q),
): FreeWindow[] {
  const sorted = [...busy].sort((a, b) => a.start.getTime() - b.start.getTime());
  const gaps: FreeWindow[] = [];
  let cursor: Date | null = null;
  let cursorSite = q.homeId;
  for (const b of sorted) {
    const travelIn = travel(cursorSite, q.siteId);
    const gapStart = cursor ? addMinutes(cursor, travelIn) : q.from;
    const gapEnd = addMinutes(b.start, -travel(q.siteId, b.siteId));
    if (gapEnd > gapStart) gaps.push({ start: gapStart, end: gapEnd, travelInMinutes: travelIn });
    if (!cursor || b.end > cursor) {
      cursor = b.end;
      cursorSite = b.siteId;
    }
  }
  const travelIn = travel(cursorSite, q.siteId);
  gaps.push({ start: cursor ? addMinutes(cursor, travelIn) : q.from, end: q.to, travelInMinutes: travelIn });

  for (const bl of blackouts) allowed = subtract(allowed, bl);
  const minMs = Math.max(q.minMinutes, Number.MIN_VALUE) * 60_000;
  const windows: FreeWindow[] = [];
  let first = 0;
  for (const gap of gaps) {
    const gapStart = gap.start.getTime();
    const gapEnd = gap.end.getTime();
    // Spans that end before this gap starts end before every later gap too.
    while (first < allowed.length && allowed[first].end.getTime() <= gapStart) first++;
    for (let i = first; i < allowed.length; i++) {
      const span = allowed[i];
      const spanStart = span.start.getTime();
      if (spanStart >= gapEnd) break;
      const start = gapStart > spanStart ? gap.start : span.start;
      const end = gapEnd < span.end.getTime() ? gap.end : span.end;
      if (end.getTime() - start.getTime() >= minMs)
        windows.push({ start, end, travelInMinutes: gap.travelInMinutes });
    }
  }
  return windows;
}

/** End of the local day of a date (yyyy-MM-dd), as an instant. */
export function endOfLocalDay(date: string): Date {
  return berlinWallTime(nextLocalDate(date), 0, 0);
}

/** A staff member's free time inside a machine's window. */
export interface OperatorSpan<R> extends FreeWindow {
  operator: R;
}

/**
 * A machine that needs an operator is free only where a qualified operator is free too, for the
 * whole of a booking of at least `minMinutes`: each machine window shrinks to the union of its
 * overlaps with the operators' windows that are long enough, and each piece names who can come
 * (shortest trip first) with their own span in it.
 */
export function withOperators<R>(
  window: FreeWindow,
  operatorWindows: { operator: R; window: FreeWindow }[],
  minMinutes: number,
): (FreeWindow & { operators: OperatorSpan<R>[] })[] {
  const overlaps = operatorWindows
    .map(({ operator, window: o }) => ({
      operator,
      start: o.start > window.start ? o.start : window.start,
      end: o.end < window.end ? o.end : window.end,
      travelInMinutes: o.travelInMinutes,
    }))
    .filter((o) => (o.end.getTime() - o.start.getTime()) / 60_000 >= minMinutes)
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const pieces: (FreeWindow & { operators: OperatorSpan<R>[] })[] = [];
  for (const o of overlaps) {
    const last = pieces[pieces.length - 1];
    if (last && o.start <= last.end) {
      if (o.end > last.end) last.end = o.end;
      last.operators.push(o);
    } else {
      pieces.push({ start: o.start, end: o.end, travelInMinutes: window.travelInMinutes, operators: [o] });
    }
  }
  for (const p of pieces) p.operators.sort((a, b) => a.travelInMinutes - b.travelInMinutes);
  return pieces;
}
