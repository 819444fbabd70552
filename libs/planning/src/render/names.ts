import type { Language } from './format';
import { dateTime } from './format';
import { typeLabel } from './labels';

/**
 * The names a run's facts speak of, as they were when the run was computed (the worker reads them
 * with the calendar): a response shows every id with its name, and text never shows a bare id.
 */
export interface NameBook {
  resources: Record<string, { name: string; type: string; kind?: 'machine' | 'staff' }>;
  municipalities: Record<string, string>;
  /** Waiting requests: whose, what, when (epoch ms). */
  requests: Record<string, { municipalityId: string; type: string; start: number; end: number }>;
  bookings: Record<string, { municipalityId: string; resourceId: string; start: number; end: number }>;
}

export const EMPTY_NAMES: NameBook = { resources: {}, municipalities: {}, requests: {}, bookings: {} };

export class Names {
  constructor(private readonly book: NameBook = EMPTY_NAMES) {}

  resource(id: string | null | undefined, lang: Language): string {
    const r = id ? this.book.resources[id] : undefined;
    if (r) return r.name;
    return lang === 'de' ? 'eine zusätzliche Einheit' : 'an additional unit';
  }

  isStaff(id: string | null | undefined): boolean {
    return !!id && this.book.resources[id]?.kind === 'staff';
  }

  resourceOrNull(id: string | null | undefined): string | null {
    return (id && this.book.resources[id]?.name) || null;
  }

  municipality(id: string | null | undefined, lang: Language): string {
    const m = id ? this.book.municipalities[id] : undefined;
    return m ?? (lang === 'de' ? 'eine Gemeinde' : 'a municipality');
  }

  municipalityOrNull(id: string | null | undefined): string | null {
    return (id && this.book.municipalities[id]) || null;
  }

  requestOf(id: string | null | undefined) {
    return id ? this.book.requests[id] : undefined;
  }

  bookingOf(id: string | null | undefined) {
    return id ? this.book.bookings[id] : undefined;
  }

  /** "Anfrage von Wanfried (Kehrmaschine, Di. 05.05.2026, 08:00 Uhr)". */
  request(id: string | null | undefined, lang: Language): string {
    const q = this.requestOf(id);
    if (!q) return lang === 'de' ? 'eine Anfrage' : 'a request';
    const who = this.municipality(q.municipalityId, lang);
    const what = typeLabel(q.type, lang);
    return lang === 'de'
      ? `Anfrage von ${who} (${what}, ${dateTime(q.start, lang)})`
      : `request of ${who} (${what}, ${dateTime(q.start, lang)})`;
  }

  /** "Buchung von Eschwege (Kehrmaschine 1, Di. 05.05.2026, 07:00 Uhr)". */
  booking(id: string | null | undefined, lang: Language): string {
    const b = this.bookingOf(id);
    if (!b) return lang === 'de' ? 'eine Buchung' : 'a booking';
    const who = this.municipality(b.municipalityId, lang);
    return lang === 'de'
      ? `Buchung von ${who} (${this.resource(b.resourceId, lang)}, ${dateTime(b.start, lang)})`
      : `booking of ${who} (${this.resource(b.resourceId, lang)}, ${dateTime(b.start, lang)})`;
  }
}
