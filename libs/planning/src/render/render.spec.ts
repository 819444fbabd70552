import { DateTime } from 'luxon';
import type { Finding, InvestmentDetail } from '@allmende/solver';
import { renderFinding } from './findings';
import { languageOf } from './format';
import { typeLabel } from './labels';
import { Names } from './names';
import { renderInvestment, renderNothingFound, renderProposal } from './proposals';

const at = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Berlin' }).toMillis();
const ESCHWEGE = '0a4e2a8e-0000-4000-8000-000000000001';
const WANFRIED = '0a4e2a8e-0000-4000-8000-000000000002';
const SWEEPER = '0a4e2a8e-0000-4000-8000-000000000003';
const SWEEPER2 = '0a4e2a8e-0000-4000-8000-000000000004';
const REQUEST = '0a4e2a8e-0000-4000-8000-000000000005';
const BOOKING = '0a4e2a8e-0000-4000-8000-000000000006';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-/i;

const names = new Names({
  resources: {
    [SWEEPER]: { name: 'Kehrmaschine Eschwege', type: 'street-sweeper', kind: 'machine' },
    [SWEEPER2]: { name: 'Kehrmaschine Wanfried', type: 'street-sweeper', kind: 'machine' },
  },
  municipalities: { [ESCHWEGE]: 'Eschwege', [WANFRIED]: 'Wanfried' },
  requests: {
    [REQUEST]: {
      municipalityId: WANFRIED,
      type: 'street-sweeper',
      start: at('2026-05-05T08:00'),
      end: at('2026-05-05T11:00'),
    },
  },
  bookings: {
    [BOOKING]: {
      municipalityId: ESCHWEGE,
      resourceId: SWEEPER,
      start: at('2026-05-06T07:00'),
      end: at('2026-05-06T12:00'),
    },
  },
});

const week = (weekNumber: number) => ({ weekYear: 2026, weekNumber });

describe('words for people, rendered from facts', () => {
  it('picks German unless English is preferred', () => {
    expect(languageOf(undefined)).toBe('de');
    expect(languageOf('en')).toBe('en');
    expect(languageOf('en-GB,en;q=0.9,de;q=0.8')).toBe('en');
    expect(languageOf('fr-FR,de;q=0.5,en;q=0.4')).toBe('de');
    expect(languageOf('de;q=0.2, en;q=0.9')).toBe('en');
    expect(languageOf('fr')).toBe('de');
  });

  it('labels every demo type in German, never with an English word', () => {
    expect(typeLabel('snow-blower', 'de')).toBe('Schneefräse');
    expect(typeLabel('street-sweeper', 'de', true)).toBe('Kehrmaschinen');
    expect(typeLabel('snow-blower', 'en')).toBe('snow blower');
    expect(typeLabel('hovercraft', 'de')).toBe('Gerätetyp „hovercraft“');
  });

  it('says "Mittel des Zeitraums" for a seasonal peak, with German numbers', () => {
    const peak: Finding = {
      kind: 'seasonal-peak',
      severity: 'warning',
      type: 'snow-blower',
      period: { start: at('2026-01-05T00:00'), end: at('2026-01-26T00:00') },
      weeks: { from: week(2), to: week(4) },
      metrics: {
        weeks: 3,
        weeklyDemandHours: 60.5,
        periodMeanWeeklyHours: 12.25,
        factor: 4.9,
        demandRatio: 0.91,
      },
    };
    expect(renderFinding(peak, names, 'de')).toBe(
      'Schneefräsen KW 2–4/2026: Saisonspitze mit 60,5 h Bedarf je Woche, das 4,9-Fache des Mittels des Zeitraums (12,3 h je Woche); 91 % der verfügbaren Stunden',
    );
    expect(renderFinding(peak, names, 'en')).toBe(
      'Snow blowers, weeks 2–4/2026: seasonal peak of 60.5 h demand per week, 4.9 times the mean of the period (12.3 h per week); 91 % of the available hours',
    );
  });

  it('names the machine due for inspection and the towns whose bookings lie after it', () => {
    const due: Finding = {
      kind: 'inspection-due',
      severity: 'critical',
      type: 'street-sweeper',
      resourceId: SWEEPER,
      period: { start: at('2026-05-04T00:00'), end: at('2026-05-18T00:00') },
      weeks: { from: week(19), to: week(20) },
      at: { due: at('2026-05-08T00:00') },
      bookingIds: [BOOKING],
      municipalityIds: [ESCHWEGE],
      metrics: { bookingsAfter: 1, bookedHoursAfter: 5, beforePeriod: 0 },
    };
    expect(renderFinding(due, names, 'de')).toBe(
      'Kehrmaschine Eschwege: Prüfung fällig am 07.05.2026, danach bis zur Prüfung nicht einsetzbar; 1 Buchung liegt danach (5 h, Eschwege)',
    );
  });

  it('explains a served request with names and local times, and extra transport as such', () => {
    const text = renderProposal(
      {
        kind: 'reassignment',
        changes: [
          {
            requestId: REQUEST,
            role: 'resource',
            fromResourceId: null,
            toResourceId: SWEEPER2,
            toStart: at('2026-05-05T10:00'),
            toEnd: at('2026-05-05T13:00'),
          },
        ],
        gain: { requestsServed: 1, transportMinutesSaved: 0, extraTransportMinutes: 35, changedBookings: 0 },
        municipalitiesAffected: [WANFRIED],
      },
      names,
      'de',
    );
    expect(text).toBe(
      '1 Anfrage bedient, 0 Buchungen geändert. Anfrage von Wanfried (Kehrmaschine, Di. 05.05.2026, 08:00 Uhr) wird bedient: Kehrmaschine Wanfried, Di. 05.05.2026, 10:00 Uhr statt Di. 05.05.2026, 08:00 Uhr. Zusätzlicher Transport: 35 Minuten.',
    );
    expect(text).not.toMatch(UUID);
  });

  it('gives the investment advice with the cost per member under the key', () => {
    const advice: InvestmentDetail = {
      type: 'street-sweeper',
      mode: 'lease',
      units: 1,
      modelledOnResourceId: SWEEPER,
      unmetHoursBefore: 24,
      unmetHoursServed: 24,
      unmetRequestsBefore: 6,
      requestsServed: 6,
      weeksOverCapacity: 3,
      utilizationBefore: 1.12,
      utilizationAfter: 0.61,
      newUnitsUtilization: 0.27,
      annualCostCents: 230_770,
      leaseWeeks: 3,
      costSharingKey: 'population',
      shares: [
        { municipalityId: ESCHWEGE, cents: 192_307, usageHours: 40 },
        { municipalityId: WANFRIED, cents: 38_463, usageHours: 24 },
      ],
    };
    expect(renderInvestment(advice, names, 'de')).toBe(
      'Kehrmaschinen: Der Bedarf übersteigt die Kapazität dauerhaft (24 h in 6 Anfragen nicht bedient, in 3 Wochen). Empfehlung: eine weitere Kehrmaschine für 3 Wochen mieten (wie Kehrmaschine Eschwege), Kosten etwa 2.307,70 €. Sie deckt 24 h davon ab (6 Anfragen); Auslastung der Kehrmaschinen 112 % vorher, 61 % nachher, die neue Einheit 27 %. Anteile nach Einwohnerzahl: Eschwege 1.923,07 € und Wanfried 384,63 €.',
    );
    expect(renderInvestment(advice, names, 'en')).toContain('lease one more street sweeper for 3 weeks');
  });

  it('says why nothing was found', () => {
    expect(
      renderNothingFound({ reason: 'blocked-by-operator-hours', waiting: 2, requests: [] }, names, 'de'),
    ).toBe(
      'Kein Vorschlag. 2 Anfragen warten. Es ist keine Fachkraft mit der nötigen Qualifikation in ihrer Arbeitszeit frei.',
    );
  });

  it('never shows a bare id, even for names it does not know', () => {
    const unknown = '0a4e2a8e-0000-4000-8000-0000000000ff';
    expect(names.municipality(unknown, 'de')).toBe('eine Gemeinde');
    expect(names.request(unknown, 'en')).toBe('a request');
    expect(names.booking(unknown, 'de')).not.toMatch(UUID);
  });
});
