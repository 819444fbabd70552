import { FormEvent, ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { problemMessage } from '../api/problem-message';
import { useAccount } from '../api/session';
import { useResources, type Resource } from '../board/board-data';
import { addDays, berlinMidnight, isDay } from '../board/calendar';
import { berlinDay, formatDate, formatTime, formatTimeRange, type Language } from '../format';
import { Link, useSearch } from '../router';
import { usePageTitle } from '../shell/page-title';
import { invalidProps, splitErrors } from './field-errors';
import { berlinInstant, durationMinutes, isTime, wallClock } from './local-time';
import {
  idempotencyKey,
  useAvailability,
  useBookingsById,
  useCreateBooking,
  usePoolMunicipalities,
  type Alternative,
  type FreeWindow,
  type NewBooking,
  type OwnBooking,
} from './yard-data';

const FIELDS = [
  'resourceId',
  'start',
  'end',
  'operatorId',
  'siteMunicipalityId',
  'notes',
  'contact',
] as const;
const SUGGEST_DAYS = 7;

interface Draft {
  type: string;
  resourceId: string;
  siteId: string;
  startDay: string;
  startTime: string;
  endDay: string;
  endTime: string;
  withOperator: boolean;
  operatorId: string;
  notes: string;
  contact: string;
}

function initialDraft(search: URLSearchParams, today: string): Draft {
  const day = isDay(search.get('tag')) ? search.get('tag')! : today;
  const endDay = isDay(search.get('bisTag')) ? search.get('bisTag')! : day;
  return {
    type: search.get('typ') ?? '',
    resourceId: search.get('ressource') ?? '',
    siteId: '',
    startDay: day,
    startTime: isTime(search.get('von')) ? search.get('von')! : '07:00',
    endDay,
    endTime: isTime(search.get('bis')) ? search.get('bis')! : '15:30',
    withOperator: false,
    operatorId: '',
    notes: '',
    contact: '',
  };
}

/** Type → free windows (with operator) → confirm. A conflict shows why and what else is free. */
export default function BookingForm() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const title = t('booking.title');
  usePageTitle(title);
  const account = useAccount().data;
  const search = useSearch();
  const resources = useResources();
  const [draft, setDraft] = useState<Draft>(() => initialDraft(search, berlinDay(new Date())));
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const create = useCreateBooking();
  const key = useRef(idempotencyKey());
  const [booked, setBooked] = useState<OwnBooking | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  const active = useMemo(() => (resources.data ?? []).filter((r) => r.active), [resources.data]);
  const types = useMemo(() => {
    const seen = new Map<string, Resource>();
    for (const r of active) if (!seen.has(r.type)) seen.set(r.type, r);
    return [...seen.values()].sort(
      (a, b) =>
        (a.kind === 'staff' ? 1 : 0) - (b.kind === 'staff' ? 1 : 0) ||
        typeLabel(a.type, t).localeCompare(typeLabel(b.type, t), 'de'),
    );
  }, [active, t]);
  const ofType = active.filter((r) => r.type === draft.type);
  const resource = active.find((r) => r.id === draft.resourceId) ?? null;
  const poolId = resource?.poolId ?? ofType[0]?.poolId ?? null;
  const municipalities = usePoolMunicipalities(poolId);
  const siteId = draft.siteId || account?.municipalityId || '';
  const needsOperator = resource?.needsOperator ?? false;
  const wantsOperator = needsOperator || draft.withOperator;

  // once resources are known: a type from the chosen resource, or the first type
  useEffect(() => {
    if (draft.type || types.length === 0) return;
    const fromResource = active.find((r) => r.id === draft.resourceId);
    set('type', fromResource?.type ?? types[0].type);
  }, [types, active, draft.type, draft.resourceId]);

  const start =
    isDay(draft.startDay) && isTime(draft.startTime) ? berlinInstant(draft.startDay, draft.startTime) : null;
  const end =
    isDay(draft.endDay) && isTime(draft.endTime) ? berlinInstant(draft.endDay, draft.endTime) : null;
  const minutes = start && end ? durationMinutes(start, end) : 0;
  const validWindow = start !== null && end !== null && minutes > 0;

  const suggestFrom = isDay(draft.startDay) ? draft.startDay : berlinDay(new Date());
  const availability = useAvailability(
    poolId && draft.type && validWindow
      ? {
          poolId,
          type: draft.type,
          from: berlinMidnight(suggestFrom),
          to: berlinMidnight(addDays(suggestFrom, SUGGEST_DAYS)),
          siteId: siteId || null,
          minutes,
        }
      : null,
  );
  const windows = (availability.data?.windows ?? []).filter(
    (w) => !draft.resourceId || w.resourceId === draft.resourceId,
  );
  /** The free window that holds the requested time on the chosen resource, if any. */
  const holding =
    start && end
      ? (availability.data?.windows ?? []).find(
          (w) =>
            w.resourceId === draft.resourceId &&
            Date.parse(w.start) <= start.getTime() &&
            Date.parse(w.end) >= end.getTime(),
        )
      : undefined;
  const operatorChoices = operatorsFor(holding, start, end, active, poolId);

  const touch = () => {
    key.current = idempotencyKey();
    if (create.isError) create.reset();
  };

  const book = (body: NewBooking) => {
    setBooked(null);
    create.mutate(
      { booking: body, key: key.current },
      {
        onSuccess: (b) => {
          setBooked(b);
          key.current = idempotencyKey();
        },
        onSettled: () => requestAnimationFrame(() => resultRef.current?.focus()),
      },
    );
  };

  const bodyFor = (
    resourceId: string,
    s: Date | string,
    e: Date | string,
    operatorId?: string,
  ): NewBooking => ({
    resourceId,
    municipalityId: account?.municipalityId ?? '',
    ...(siteId ? { siteMunicipalityId: siteId } : {}),
    start: new Date(s).toISOString(),
    end: new Date(e).toISOString(),
    ...(operatorId ? { operatorId } : {}),
    ...(draft.notes.trim() ? { notes: draft.notes.trim() } : {}),
    ...(draft.contact.trim() ? { contact: draft.contact.trim() } : {}),
  });

  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!draft.resourceId) errors.resourceId = t('booking.chooseResource');
    if (!start) errors.start = t('booking.invalidTime');
    if (!end) errors.end = t('booking.invalidTime');
    else if (start && end.getTime() <= start.getTime()) errors.end = t('booking.endBeforeStart');
    if (wantsOperator && !needsOperator && !draft.operatorId) errors.operatorId = t('booking.chooseOperator');
    setLocalErrors(errors);
    if (Object.keys(errors).length > 0) {
      requestAnimationFrame(() => document.getElementById(`booking-${Object.keys(errors)[0]}`)?.focus());
      return;
    }
    book(bodyFor(draft.resourceId, start!, end!, wantsOperator ? draft.operatorId || undefined : undefined));
  };

  /** A suggested window fills the form: the requested time where it fits, else the window's start. */
  const takeWindow = (w: FreeWindow) => {
    touch();
    const length = Math.max(minutes, 60) * 60_000;
    const wStart = Date.parse(w.start);
    const wEnd = Date.parse(w.end);
    const wanted = start?.getTime() ?? wStart;
    const s = Math.min(Math.max(wanted, wStart), Math.max(wEnd - length, wStart));
    const e = Math.min(s + length, wEnd);
    const from = wallClock(s);
    const to = wallClock(e);
    const operator = w.operators.find((o) => Date.parse(o.start) <= s && Date.parse(o.end) >= e);
    setDraft((d) => ({
      ...d,
      resourceId: w.resourceId,
      startDay: from.day,
      startTime: from.time,
      endDay: to.day,
      endTime: to.time,
      operatorId: operator?.operatorId ?? '',
      withOperator: d.withOperator || w.needsOperator,
    }));
    requestAnimationFrame(() => document.getElementById('booking-submit')?.focus());
  };

  const takeAlternative = (a: Alternative) => {
    const from = wallClock(a.start);
    const to = wallClock(a.end);
    setDraft((d) => ({
      ...d,
      resourceId: a.resourceId,
      startDay: from.day,
      startTime: from.time,
      endDay: to.day,
      endTime: to.time,
      operatorId: '',
    }));
    key.current = idempotencyKey();
    book(bodyFor(a.resourceId, a.start, a.end));
  };

  const apiErrors = splitErrors(create.error, t, FIELDS);
  const fieldError = (f: string) => localErrors[f] ?? apiErrors.byField[f];
  const conflict = create.error instanceof ApiError && create.error.status === 409 ? create.error : null;

  if (resources.isPending) return <Shell title={title}>{<p role="status">{t('shell.loading')}</p>}</Shell>;
  if (resources.isError)
    return <Shell title={title}>{<p role="alert">{problemMessage(resources.error, t)}</p>}</Shell>;
  if (types.length === 0) return <Shell title={title}>{<p>{t('board.noResources')}</p>}</Shell>;
  // the booking town pays: an account without one (the installation admin) books through the API
  if (account && !account.municipalityId) {
    return <Shell title={title}>{<p>{t('myBookings.noMunicipality')}</p>}</Shell>;
  }

  return (
    <>
      <h1>{title}</h1>
      <div className="booking-layout">
        <form className="booking-form" onSubmit={submit} noValidate aria-labelledby="booking-form-title">
          <h2 id="booking-form-title">{t('booking.what')}</h2>
          <div className="field">
            <label htmlFor="booking-type">{t('booking.type')}</label>
            <select
              id="booking-type"
              value={draft.type}
              onChange={(e) => {
                touch();
                setDraft((d) => ({ ...d, type: e.target.value, resourceId: '', operatorId: '' }));
              }}
            >
              {types.map((r) => (
                <option key={r.type} value={r.type}>
                  {typeLabel(r.type, t)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="booking-resourceId">{t('booking.resource')}</label>
            <select
              id="booking-resourceId"
              value={draft.resourceId}
              {...invalidProps('booking-resourceId', fieldError('resourceId'), 'booking-resource-hint')}
              onChange={(e) => {
                touch();
                setDraft((d) => ({ ...d, resourceId: e.target.value, operatorId: '' }));
              }}
            >
              <option value="">{t('booking.anyResource')}</option>
              {ofType.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name}
                  {r.homeMunicipalityId === account?.municipalityId ? ` (${t('board.ownTown')})` : ''}
                </option>
              ))}
            </select>
            <p id="booking-resource-hint" className="hint">
              {t('booking.resourceHint')}
            </p>
            <FieldMessage id="booking-resourceId" message={fieldError('resourceId')} />
          </div>
          <div className="field">
            <label htmlFor="booking-siteMunicipalityId">{t('booking.site')}</label>
            <select
              id="booking-siteMunicipalityId"
              value={siteId}
              {...invalidProps('booking-siteMunicipalityId', fieldError('siteMunicipalityId'))}
              onChange={(e) => {
                touch();
                set('siteId', e.target.value);
              }}
            >
              {(municipalities.data ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}
                </option>
              ))}
              {!municipalities.data && account?.municipalityId && (
                <option value={account.municipalityId}>{account.municipalityName}</option>
              )}
            </select>
            <FieldMessage id="booking-siteMunicipalityId" message={fieldError('siteMunicipalityId')} />
          </div>

          <fieldset className="booking-when">
            <legend>{t('booking.when')}</legend>
            <DayAndTime
              id="booking-start"
              dayLabel={t('booking.startDay')}
              timeLabel={t('booking.startTime')}
              day={draft.startDay}
              time={draft.startTime}
              error={fieldError('start')}
              onDay={(day) => {
                touch();
                setDraft((d) => ({ ...d, startDay: day, endDay: d.endDay < day ? day : d.endDay }));
              }}
              onTime={(time) => {
                touch();
                set('startTime', time);
              }}
            />
            <DayAndTime
              id="booking-end"
              dayLabel={t('booking.endDay')}
              timeLabel={t('booking.endTime')}
              day={draft.endDay}
              time={draft.endTime}
              error={fieldError('end')}
              onDay={(day) => {
                touch();
                set('endDay', day);
              }}
              onTime={(time) => {
                touch();
                set('endTime', time);
              }}
            />
          </fieldset>

          {resource?.kind !== 'staff' && (
            <fieldset className="booking-operator">
              <legend>{t('booking.operator')}</legend>
              <div className="checkbox">
                <input
                  id="booking-with-operator"
                  type="checkbox"
                  checked={wantsOperator}
                  disabled={needsOperator}
                  aria-describedby="booking-operator-hint"
                  onChange={(e) => {
                    touch();
                    setDraft((d) => ({ ...d, withOperator: e.target.checked, operatorId: '' }));
                  }}
                />
                <label htmlFor="booking-with-operator">{t('booking.withOperator')}</label>
              </div>
              <p id="booking-operator-hint" className="hint">
                {needsOperator ? t('booking.operatorNeeded') : t('booking.operatorOptional')}
              </p>
              {wantsOperator && (
                <div className="field">
                  <label htmlFor="booking-operatorId">{t('booking.operatorName')}</label>
                  <select
                    id="booking-operatorId"
                    value={draft.operatorId}
                    {...invalidProps('booking-operatorId', fieldError('operatorId'))}
                    onChange={(e) => {
                      touch();
                      set('operatorId', e.target.value);
                    }}
                  >
                    <option value="">
                      {needsOperator ? t('booking.operatorAuto') : t('booking.operatorChoose')}
                    </option>
                    {operatorChoices.map((o) => (
                      <option key={o.id} value={o.id}>
                        {o.free ? t('booking.operatorFree', { name: o.name }) : o.name}
                      </option>
                    ))}
                  </select>
                  <FieldMessage id="booking-operatorId" message={fieldError('operatorId')} />
                </div>
              )}
            </fieldset>
          )}

          <div className="field">
            <label htmlFor="booking-notes">{t('booking.notes')}</label>
            <textarea
              id="booking-notes"
              rows={2}
              maxLength={2000}
              value={draft.notes}
              aria-describedby="booking-notes-hint"
              onChange={(e) => set('notes', e.target.value)}
            />
            <p id="booking-notes-hint" className="hint">
              {t('booking.notesHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="booking-contact">{t('booking.contact')}</label>
            <input
              id="booking-contact"
              maxLength={500}
              value={draft.contact}
              onChange={(e) => set('contact', e.target.value)}
            />
          </div>
          <div className="form-actions">
            <button id="booking-submit" type="submit" className="primary" disabled={create.isPending}>
              {create.isPending ? t('booking.booking') : t('booking.submit')}
            </button>
            <Link to="/belegung">{t('booking.toBoard')}</Link>
          </div>
        </form>

        <div className="booking-side">
          <div ref={resultRef} tabIndex={-1} className="booking-result" aria-live="polite">
            {booked && <Booked booking={booked} language={language} />}
            {conflict ? (
              <ConflictPanel
                error={conflict}
                language={language}
                onTake={takeAlternative}
                busy={create.isPending}
              />
            ) : (
              apiErrors.general && (
                <p className="form-error" role="alert">
                  {apiErrors.general}
                </p>
              )
            )}
          </div>
          <section aria-labelledby="booking-suggestions-title" className="booking-suggestions">
            <h2 id="booking-suggestions-title">{t('booking.suggestions')}</h2>
            <p className="hint">
              {t('booking.suggestionsHint', {
                from: formatDate(berlinMidnight(suggestFrom), language),
                to: formatDate(berlinMidnight(addDays(suggestFrom, SUGGEST_DAYS - 1)), language),
              })}
            </p>
            {!validWindow ? (
              <p>{t('booking.suggestionsNeedTime')}</p>
            ) : availability.isPending ? (
              <p role="status">{t('shell.loading')}</p>
            ) : availability.isError ? (
              <p role="alert">{problemMessage(availability.error, t)}</p>
            ) : windows.length === 0 ? (
              <p>{t('booking.noWindows', { type: typeLabel(draft.type, t) })}</p>
            ) : (
              <ul className="window-list">
                {windows.slice(0, 10).map((w) => (
                  <li key={`${w.resourceId}-${w.start}`}>
                    <button type="button" className="window" onClick={() => takeWindow(w)}>
                      <strong>{w.resourceName}</strong>
                      <span>{formatTimeRange(w.start, w.end, language)}</span>
                      <span className="hint">{windowFacts(w, t)}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {(availability.data?.inspectionsDue ?? []).length > 0 && (
              <ul className="inspection-notes">
                {availability.data!.inspectionsDue.map((i) => (
                  <li key={i.resourceId}>
                    ⚠{' '}
                    {t('booking.inspectionDue', {
                      resource: i.resourceName,
                      date: formatDate(`${i.due}T12:00:00Z`, language),
                    })}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
    </>
  );
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <h1>{title}</h1>
      {children}
    </>
  );
}

/** A day and a quarter-hour time side by side (`{id}` and `{id}-time`), with the field's error below. */
function DayAndTime({
  id,
  dayLabel,
  timeLabel,
  day,
  time,
  error,
  onDay,
  onTime,
}: {
  id: string;
  dayLabel: string;
  timeLabel: string;
  day: string;
  time: string;
  error: string | undefined;
  onDay: (day: string) => void;
  onTime: (time: string) => void;
}) {
  return (
    <>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id}>{dayLabel}</label>
          <input
            id={id}
            type="date"
            value={day}
            {...invalidProps(id, error)}
            onChange={(e) => onDay(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>{timeLabel}</label>
          <input
            id={`${id}-time`}
            type="time"
            step={900}
            value={time}
            onChange={(e) => onTime(e.target.value)}
          />
        </div>
      </div>
      <FieldMessage id={id} message={error} />
    </>
  );
}

function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={`${id}-error`} className="field-error">
      {message}
    </p>
  ) : null;
}

export function typeLabel(
  type: string,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  return t(`types.${type}`, { defaultValue: type });
}

function windowFacts(w: FreeWindow, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts = [];
  if (w.travelMinutes > 0) parts.push(t('booking.travel', { minutes: w.travelMinutes }));
  if (w.operators.length > 0)
    parts.push(t('booking.withOperatorName', { name: w.operators[0].operatorName }));
  else if (w.needsOperator) parts.push(t('booking.noOperatorFree'));
  return parts.join(' · ');
}

function operatorsFor(
  holding: FreeWindow | undefined,
  start: Date | null,
  end: Date | null,
  resources: Resource[],
  poolId: string | null,
): { id: string; name: string; free: boolean }[] {
  const free = new Set(
    (holding?.operators ?? [])
      .filter(
        (o) => start && end && Date.parse(o.start) <= start.getTime() && Date.parse(o.end) >= end.getTime(),
      )
      .map((o) => o.operatorId),
  );
  return resources
    .filter((r) => r.kind === 'staff' && r.poolId === poolId)
    .map((r) => ({ id: r.id, name: r.name, free: free.has(r.id) }))
    .sort((a, b) => Number(b.free) - Number(a.free) || a.name.localeCompare(b.name, 'de'));
}

function Booked({ booking: b, language }: { booking: OwnBooking; language: Language }) {
  const { t } = useTranslation();
  return (
    <div className="notice booking-done" role="status">
      <p>
        <strong>{t('booking.booked')}</strong>{' '}
        {t('booking.bookedText', {
          resource: b.resourceName,
          time: formatTimeRange(b.start, b.end, language),
        })}
        {b.operatorName ? ` ${t('booking.bookedOperator', { name: b.operatorName })}` : ''}
      </p>
      <p className="hint">
        {t('booking.bookedTransport', {
          from: formatTime(b.blockedStart, language),
          to: formatTime(b.blockedEnd, language),
        })}
      </p>
      <p>
        <Link to="/buchungen">{t('booking.toMyBookings')}</Link> ·{' '}
        <Link to={`/belegung?woche=${berlinDay(b.start)}`}>{t('booking.toBoard')}</Link>
      </p>
    </div>
  );
}

/** Why it did not work (the API's words and the blocking bookings' times) and what else is free. */
function ConflictPanel({
  error,
  language,
  onTake,
  busy,
}: {
  error: ApiError;
  language: Language;
  onTake: (a: Alternative) => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const ids = Array.isArray(error.problem.conflictingBookingIds)
    ? (error.problem.conflictingBookingIds as string[])
    : [];
  const blocking = useBookingsById(ids);
  const alternatives = Array.isArray(error.problem.alternatives)
    ? (error.problem.alternatives as Alternative[])
    : [];
  return (
    <section className="conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('booking.conflictTitle')}</h2>
      <p role="alert">
        {/* an overlap in the app's own words (the times follow); other refusals carry their reasons in the API's */}
        {error.code === 'BOOKING_CONFLICT'
          ? t('booking.overlap')
          : (error.problem.detail ?? problemMessage(error, t))}
      </p>
      {blocking.data && blocking.data.length > 0 && (
        <ul>
          {blocking.data.map((b) => (
            <li key={b.id}>
              {t('booking.blockedBy', {
                resource: b.resourceName,
                time: formatTimeRange(b.blockedStart, b.blockedEnd, language),
                who: b.own ? t('booking.blockedOwn') : t('booking.blockedOther'),
              })}
            </li>
          ))}
        </ul>
      )}
      {alternatives.length > 0 ? (
        <>
          <h3>{t('booking.alternatives')}</h3>
          <ul className="alternative-list">
            {alternatives.map((a) => (
              <li key={`${a.resourceId}-${a.start}`}>
                <button type="button" className="alternative" disabled={busy} onClick={() => onTake(a)}>
                  {t('booking.takeAlternative', {
                    resource: a.resourceName,
                    time: formatTimeRange(a.start, a.end, language),
                  })}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : (
        error.code === 'BOOKING_CONFLICT' && <p>{t('booking.noAlternatives')}</p>
      )}
    </section>
  );
}
