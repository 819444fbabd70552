import { FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { problemMessage } from '../api/problem-message';
import { useAccount } from '../api/session';
import { addDays, berlinMidnight, isDay } from '../board/calendar';
import {
  berlinDay,
  formatDate,
  formatDateTime,
  formatNumber,
  formatTimeRange,
  type Language,
} from '../format';
import { Link, navigate, useSearch } from '../router';
import { usePageTitle } from '../shell/page-title';
import { invalidProps, splitErrors } from './field-errors';
import { berlinInstant, isTime, wallClock } from './local-time';
import {
  useCancel,
  useOwnBookings,
  useRecordUsage,
  useReschedule,
  useUsage,
  type OwnBooking,
  type UsageInput,
} from './yard-data';

type Panel = 'reschedule' | 'cancel' | 'usage' | null;

/** The municipality's bookings from a day on: reschedule, cancel (confirmed), record usage on return. */
export default function MyBookings() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const title = t('myBookings.title');
  usePageTitle(title);
  const account = useAccount().data;
  const search = useSearch();
  const today = berlinDay(new Date());
  const fromDay = isDay(search.get('ab')) ? search.get('ab')! : addDays(today, -14);
  const from = berlinMidnight(fromDay);
  const bookings = useOwnBookings(account?.municipalityId ?? null, from, 'active');
  const [notice, setNotice] = useState<string | null>(null);
  const list = (bookings.data ?? []).filter((b) => b.own && b.operatorForBookingId === null);

  return (
    <>
      <h1>{title}</h1>
      <div className="my-bookings-toolbar">
        <div className="field inline-field">
          <label htmlFor="my-bookings-from">{t('myBookings.from')}</label>
          <input
            id="my-bookings-from"
            type="date"
            value={fromDay}
            onChange={(e) =>
              isDay(e.target.value) && navigate(`/buchungen?ab=${e.target.value}`, { replace: true })
            }
          />
        </div>
        <Link to="/buchungen/neu" className="button-link primary">
          {t('myBookings.new')}
        </Link>
      </div>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {!account?.municipalityId ? (
        <p>{t('myBookings.noMunicipality')}</p>
      ) : bookings.isPending ? (
        <p role="status">{t('shell.loading')}</p>
      ) : bookings.isError ? (
        <p role="alert">{problemMessage(bookings.error, t)}</p>
      ) : list.length === 0 ? (
        <p>{t('myBookings.empty', { date: formatDate(from, language) })}</p>
      ) : (
        <ul className="my-bookings">
          {list.map((b) => (
            <BookingItem key={b.id} booking={b} language={language} onNotice={setNotice} />
          ))}
        </ul>
      )}
    </>
  );
}

function BookingItem({
  booking: b,
  language,
  onNotice,
}: {
  booking: OwnBooking;
  language: Language;
  onNotice: (text: string) => void;
}) {
  const { t } = useTranslation();
  const [panel, setPanel] = useState<Panel>(null);
  const started = Date.parse(b.start) <= Date.now();
  const titleId = `booking-${b.id}-title`;
  const close = (focus: Panel) => {
    setPanel(null);
    requestAnimationFrame(() => document.getElementById(`booking-${b.id}-${focus}`)?.focus());
  };
  return (
    <li>
      <article className="my-booking" aria-labelledby={titleId}>
        <h2 id={titleId}>
          {b.resourceName}{' '}
          <span className="my-booking-time">{formatTimeRange(b.start, b.end, language)}</span>
        </h2>
        <dl className="facts">
          <dt>{t('board.site')}</dt>
          <dd>{b.siteMunicipalityName ?? '–'}</dd>
          <dt>{t('board.operator')}</dt>
          <dd>{b.operatorName ?? (b.needsOperator ? t('myBookings.operatorMissing') : '–')}</dd>
          <dt>{t('myBookings.blocked')}</dt>
          <dd>{formatTimeRange(b.blockedStart, b.blockedEnd, language)}</dd>
          {b.notes && (
            <>
              <dt>{t('board.notes')}</dt>
              <dd>{b.notes}</dd>
            </>
          )}
        </dl>
        <div className="my-booking-actions">
          <button
            id={`booking-${b.id}-reschedule`}
            type="button"
            aria-expanded={panel === 'reschedule'}
            onClick={() => setPanel(panel === 'reschedule' ? null : 'reschedule')}
          >
            {t('myBookings.reschedule')}
          </button>
          <button
            id={`booking-${b.id}-cancel`}
            type="button"
            aria-expanded={panel === 'cancel'}
            onClick={() => setPanel(panel === 'cancel' ? null : 'cancel')}
          >
            {t('myBookings.cancel')}
          </button>
          <button
            id={`booking-${b.id}-usage`}
            type="button"
            aria-expanded={panel === 'usage'}
            onClick={() => setPanel(panel === 'usage' ? null : 'usage')}
          >
            {t('myBookings.recordUsage')}
          </button>
        </div>
        {panel === 'reschedule' && (
          <ReschedulePanel
            booking={b}
            onDone={(moved) => {
              onNotice(
                t('myBookings.rescheduled', {
                  resource: moved.resourceName,
                  time: formatTimeRange(moved.start, moved.end, language),
                }),
              );
              close('reschedule');
            }}
            onClose={() => close('reschedule')}
          />
        )}
        {panel === 'cancel' && (
          <CancelPanel
            booking={b}
            language={language}
            onDone={() =>
              onNotice(
                t('myBookings.cancelled', {
                  resource: b.resourceName,
                  time: formatTimeRange(b.start, b.end, language),
                }),
              )
            }
            onClose={() => close('cancel')}
          />
        )}
        {panel === 'usage' && <UsagePanel booking={b} started={started} language={language} />}
      </article>
    </li>
  );
}

function ReschedulePanel({
  booking: b,
  onDone,
  onClose,
}: {
  booking: OwnBooking;
  onDone: (b: OwnBooking) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const reschedule = useReschedule();
  const s = wallClock(b.start);
  const e = wallClock(b.end);
  const [startDay, setStartDay] = useState(s.day);
  const [startTime, setStartTime] = useState(s.time);
  const [endDay, setEndDay] = useState(e.day);
  const [endTime, setEndTime] = useState(e.time);
  const [local, setLocal] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = (f: string) => `reschedule-${b.id}-${f}`;
  const submit = (ev: FormEvent) => {
    ev.preventDefault();
    const errors: Record<string, string> = {};
    const start = isDay(startDay) && isTime(startTime) ? berlinInstant(startDay, startTime) : null;
    const end = isDay(endDay) && isTime(endTime) ? berlinInstant(endDay, endTime) : null;
    if (!start) errors.start = t('booking.invalidTime');
    if (!end) errors.end = t('booking.invalidTime');
    else if (start && end <= start) errors.end = t('booking.endBeforeStart');
    setLocal(errors);
    if (!start || !end || Object.keys(errors).length) return;
    reschedule.mutate(
      { id: b.id, start: start.toISOString(), end: end.toISOString() },
      { onSuccess: onDone },
    );
  };
  const api = splitErrors(reschedule.error, t, ['start', 'end']);
  const err = (f: string) => local[f] ?? api.byField[f];
  return (
    <form
      className="panel"
      onSubmit={submit}
      noValidate
      aria-label={t('myBookings.rescheduleLabel', { resource: b.resourceName })}
    >
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('start')}>{t('booking.startDay')}</label>
          <input
            ref={first}
            id={id('start')}
            type="date"
            value={startDay}
            {...invalidProps(id('start'), err('start'))}
            onChange={(ev) => setStartDay(ev.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('start-time')}>{t('booking.startTime')}</label>
          <input
            id={id('start-time')}
            type="time"
            step={900}
            value={startTime}
            onChange={(ev) => setStartTime(ev.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('end')}>{t('booking.endDay')}</label>
          <input
            id={id('end')}
            type="date"
            value={endDay}
            {...invalidProps(id('end'), err('end'))}
            onChange={(ev) => setEndDay(ev.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('end-time')}>{t('booking.endTime')}</label>
          <input
            id={id('end-time')}
            type="time"
            step={900}
            value={endTime}
            onChange={(ev) => setEndTime(ev.target.value)}
          />
        </div>
      </div>
      {err('start') && (
        <p id={`${id('start')}-error`} className="field-error">
          {err('start')}
        </p>
      )}
      {err('end') && (
        <p id={`${id('end')}-error`} className="field-error">
          {err('end')}
        </p>
      )}
      {api.general && (
        <p className="form-error" role="alert">
          {reschedule.error instanceof ApiError && reschedule.error.status === 409
            ? (reschedule.error.problem.detail ?? api.general)
            : api.general}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={reschedule.isPending}>
          {t('myBookings.rescheduleSubmit')}
        </button>
        <button type="button" onClick={onClose}>
          {t('myBookings.abort')}
        </button>
      </div>
    </form>
  );
}

function CancelPanel({
  booking: b,
  language,
  onDone,
  onClose,
}: {
  booking: OwnBooking;
  language: Language;
  onDone: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const cancel = useCancel();
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => confirmRef.current?.focus(), []);
  const questionId = `cancel-${b.id}-question`;
  return (
    <div className="panel confirm" role="alertdialog" aria-modal="false" aria-labelledby={questionId}>
      <p id={questionId}>
        {t('myBookings.cancelQuestion', {
          resource: b.resourceName,
          time: formatTimeRange(b.start, b.end, language),
        })}
        {b.operatorName ? ` ${t('myBookings.cancelOperator', { name: b.operatorName })}` : ''}
      </p>
      {cancel.error && (
        <p className="form-error" role="alert">
          {problemMessage(cancel.error, t)}
        </p>
      )}
      <div className="form-actions">
        <button
          ref={confirmRef}
          type="button"
          className="danger"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate(b.id, { onSuccess: onDone })}
        >
          {t('myBookings.cancelConfirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('myBookings.cancelKeep')}
        </button>
      </div>
    </div>
  );
}

const USAGE_FIELDS = ['operatingHours', 'meterStart', 'meterEnd', 'notes'] as const;

/** "3,5" or "3.5" → 3.5; '' → undefined; anything else → NaN. */
function parseDecimal(value: string): number | undefined {
  const v = value.trim().replace(/\s/g, '').replace(',', '.');
  if (v === '') return undefined;
  return /^\d+(\.\d{1,2})?$/.test(v) ? Number(v) : NaN;
}

function UsagePanel({
  booking: b,
  started,
  language,
}: {
  booking: OwnBooking;
  started: boolean;
  language: Language;
}) {
  const { t } = useTranslation();
  const usage = useUsage(b.id);
  const record = useRecordUsage(b.id);
  const [values, setValues] = useState({ operatingHours: '', meterStart: '', meterEnd: '', notes: '' });
  const [local, setLocal] = useState<Record<string, string>>({});
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const id = (f: string) => `usage-${b.id}-${f}`;
  const current = usage.data?.recorded ? usage.data : null;
  const bookedHours = usage.data?.bookedHours ?? (Date.parse(b.end) - Date.parse(b.start)) / 3_600_000;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const input: UsageInput = {};
    for (const f of ['operatingHours', 'meterStart', 'meterEnd'] as const) {
      const n = parseDecimal(values[f]);
      if (n !== undefined && Number.isNaN(n)) errors[f] = t('usage.notANumber');
      else if (n !== undefined) input[f] = n;
    }
    if (values.notes.trim()) input.notes = values.notes.trim();
    if (!errors.operatingHours && Object.keys(input).length === 0) errors.operatingHours = t('usage.nothing');
    setLocal(errors);
    if (Object.keys(errors).length) {
      requestAnimationFrame(() => document.getElementById(id(Object.keys(errors)[0]))?.focus());
      return;
    }
    record.mutate(input);
  };
  const api = splitErrors(record.error, t, USAGE_FIELDS);
  const err = (f: string) => local[f] ?? api.byField[f];
  const numberField = (f: 'operatingHours' | 'meterStart' | 'meterEnd', hint?: string) => (
    <div className="field">
      <label htmlFor={id(f)}>{t(`usage.${f}`)}</label>
      <input
        ref={f === 'operatingHours' ? first : undefined}
        id={id(f)}
        inputMode="decimal"
        autoComplete="off"
        value={values[f]}
        {...invalidProps(id(f), err(f), hint ? `${id(f)}-hint` : undefined)}
        onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
      />
      {hint && (
        <p id={`${id(f)}-hint`} className="hint">
          {hint}
        </p>
      )}
      {err(f) && (
        <p id={`${id(f)}-error`} className="field-error">
          {err(f)}
        </p>
      )}
    </div>
  );

  return (
    <form
      className="panel"
      onSubmit={submit}
      noValidate
      aria-label={t('usage.label', { resource: b.resourceName })}
    >
      {!started && <p className="hint">{t('usage.notStarted')}</p>}
      {usage.isPending ? (
        <p role="status">{t('shell.loading')}</p>
      ) : current ? (
        <p className="usage-current">
          {t('usage.current', {
            hours: current.operatingHours === null ? '–' : formatNumber(current.operatingHours, language, 2),
            when: current.recordedAt ? formatDateTime(current.recordedAt, language) : '–',
          })}
          {current.meterStart !== null && current.meterEnd !== null
            ? ` ${t('usage.currentMeter', {
                start: formatNumber(current.meterStart, language, 2),
                end: formatNumber(current.meterEnd, language, 2),
              })}`
            : ''}
        </p>
      ) : (
        <p className="hint">{t('usage.none')}</p>
      )}
      <div className="field-row">
        {numberField(
          'operatingHours',
          t('usage.hoursHint', { hours: formatNumber(bookedHours, language, 2) }),
        )}
        {numberField('meterStart')}
        {numberField('meterEnd')}
      </div>
      <div className="field">
        <label htmlFor={id('notes')}>{t('usage.notes')}</label>
        <input
          id={id('notes')}
          maxLength={2000}
          value={values.notes}
          {...invalidProps(id('notes'), err('notes'))}
          onChange={(e) => setValues((v) => ({ ...v, notes: e.target.value }))}
        />
      </div>
      {api.general && (
        <p className="form-error" role="alert">
          {api.general}
        </p>
      )}
      <p className="notice" role="status">
        {record.isSuccess ? t('usage.saved') : ''}
      </p>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={record.isPending}>
          {t('usage.submit')}
        </button>
      </div>
    </form>
  );
}
