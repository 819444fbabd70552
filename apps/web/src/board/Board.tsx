import { KeyboardEvent, memo, PointerEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/problem-message';
import { useAccount } from '../api/session';
import { berlinDay, formatDate, formatTime, formatTimeRange, formatWeek, type Language } from '../format';
import { navigate, useSearch } from '../router';
import { usePageTitle } from '../shell/page-title';
import {
  useBlackouts,
  useBookings,
  useResources,
  type Blackout,
  type Booking,
  type Resource,
} from './board-data';
import { addDays, berlinMidnight, holidayOn, isDay, mondayOf } from './calendar';

type View = 'week' | 'day';
type T = (key: string, options?: Record<string, unknown>) => string;

/** A column of the time axis: a day (week view) or an hour (day view). */
interface Column {
  key: string;
  day: string;
  start: number;
  end: number;
  holiday: string | null;
  today: boolean;
}

interface Group {
  type: string;
  resources: Resource[];
}

/** A run of cells in one row, picked by dragging or by Shift+arrow keys. */
interface Selection {
  resourceId: string;
  anchor: number;
  focus: number;
}

/** Resources by type (machines before staff, then by name), each type's own-town resources first. */
function groupResources(resources: Resource[], ownMunicipality: string | null): Group[] {
  const byType = new Map<string, Resource[]>();
  for (const r of resources) {
    if (!r.active) continue;
    const list = byType.get(r.type) ?? [];
    list.push(r);
    byType.set(r.type, list);
  }
  const mine = (r: Resource) => (r.homeMunicipalityId === ownMunicipality ? 0 : 1);
  return [...byType.entries()]
    .map(([type, list]) => ({
      type,
      resources: list.sort(
        (a, b) => mine(a) - mine(b) || a.name.localeCompare(b.name, 'de', { numeric: true }),
      ),
    }))
    .sort((a, b) => {
      const staff = (g: Group) => (g.resources[0].kind === 'staff' ? 1 : 0);
      const own = (g: Group) => (g.resources.some((r) => mine(r) === 0) ? 0 : 1);
      return staff(a) - staff(b) || own(a) - own(b) || a.type.localeCompare(b.type);
    });
}

function dayColumn(day: string, today: string, t: T): Column {
  const holiday = holidayOn(day);
  return {
    key: day,
    day,
    start: berlinMidnight(day).getTime(),
    end: berlinMidnight(addDays(day, 1)).getTime(),
    holiday: holiday ? t(`holidays.${holiday}`) : null,
    today: day === today,
  };
}

function columnsOf(view: View, first: string, today: string, t: T): Column[] {
  if (view === 'week') return Array.from({ length: 7 }, (_, i) => dayColumn(addDays(first, i), today, t));
  const whole = dayColumn(first, today, t);
  // 24 hours, or 23/25 on the days the clocks change
  const hours = Math.round((whole.end - whole.start) / 3_600_000);
  return Array.from({ length: hours }, (_, i) => ({
    ...whole,
    key: `${first}-${i}`,
    start: whole.start + i * 3_600_000,
    end: whole.start + (i + 1) * 3_600_000,
  }));
}

/** The booking form's query for a run of cells: whole working days in the week, hours in the day view. */
function formLink(resource: Resource, columns: Column[], view: View, from: number, to: number): string {
  const [a, b] = from <= to ? [from, to] : [to, from];
  const q = new URLSearchParams({ typ: resource.type, ressource: resource.id, tag: columns[a].day });
  if (view === 'day') {
    const end = columns[b].end;
    q.set('von', formatTime(columns[a].start));
    q.set('bis', formatTime(end));
    q.set('bisTag', berlinDay(end));
  } else {
    q.set('von', '07:00');
    q.set('bis', '15:30');
    q.set('bisTag', columns[b].day);
  }
  return `/buchungen/neu?${q.toString()}`;
}

const WEEKDAY_KEYS = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

/** "Mo–Fr 07:00–15:30" from a staff member's working hours (runs of days with the same hours). */
function workingHoursText(hours: Record<string, [string, string]>, t: T): string {
  const parts: string[] = [];
  let d = 1;
  while (d <= 7) {
    const span = hours[String(d)];
    if (!span) {
      d++;
      continue;
    }
    let e = d;
    while (e < 7 && hours[String(e + 1)]?.join() === span.join()) e++;
    const days =
      e === d
        ? t(`weekdays.${WEEKDAY_KEYS[d - 1]}`)
        : `${t(`weekdays.${WEEKDAY_KEYS[d - 1]}`)}–${t(`weekdays.${WEEKDAY_KEYS[e - 1]}`)}`;
    parts.push(`${days} ${span[0]}–${span[1]}`);
    d = e + 1;
  }
  return parts.join(', ');
}

/** The times a staff member does not work in the shown range, as [start, end) instants. */
function offHours(hours: Record<string, [string, string]>, columns: Column[]): [number, number][] {
  const days = [...new Set(columns.map((c) => c.day))];
  const out: [number, number][] = [];
  for (const day of days) {
    const start = berlinMidnight(day).getTime();
    const end = berlinMidnight(addDays(day, 1)).getTime();
    const [y, m, d] = day.split('-').map(Number);
    const weekday = ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
    const span = hours[String(weekday)];
    if (!span) {
      out.push([start, end]);
      continue;
    }
    const at = (hhmm: string) => {
      const [h, min] = hhmm.split(':').map(Number);
      return Math.min(start + (h * 60 + min) * 60_000, end);
    };
    if (at(span[0]) > start) out.push([start, at(span[0])]);
    if (at(span[1]) < end) out.push([at(span[1]), end]);
  }
  return out;
}

export default function Board() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const account = useAccount().data;
  const search = useSearch();
  const todayDay = berlinDay(new Date());
  const dayParam = search.get('tag');
  const view: View = isDay(dayParam) ? 'day' : 'week';
  const requested = search.get('woche');
  const first = view === 'day' ? dayParam! : mondayOf(isDay(requested) ? requested : todayDay);
  const span = view === 'day' ? 1 : 7;
  const rangeStart = berlinMidnight(first);
  const rangeEnd = berlinMidnight(addDays(first, span));
  const title = t('board.title');
  usePageTitle(title);

  const resources = useResources();
  const bookings = useBookings(rangeStart, rangeEnd);
  const [selected, setSelected] = useState<Booking | null>(null);
  const [selection, setSelection] = useState<Selection | null>(null);

  const columns = useMemo(() => columnsOf(view, first, todayDay, t), [view, first, todayDay, t]);
  // another day or week: the details and the selection belong to the one left
  useEffect(() => {
    setSelected(null);
    setSelection(null);
  }, [view, first]);
  const groups = useMemo(
    () => groupResources(resources.data ?? [], account?.municipalityId ?? null),
    [resources.data, account?.municipalityId],
  );
  const flat = useMemo(() => groups.flatMap((g) => g.resources), [groups]);
  // the blackouts take a request per resource: asked once the board is drawn and the browser idle,
  // so that the bars are usable first
  const [settled, setSettled] = useState(false);
  useEffect(() => {
    if (!bookings.isSuccess || settled) return;
    let idle = 0;
    const timer = window.setTimeout(() => {
      idle = window.requestIdleCallback(() => setSettled(true), { timeout: 2000 });
    }, 1000);
    return () => {
      window.clearTimeout(timer);
      window.cancelIdleCallback(idle);
    };
  }, [bookings.isSuccess, settled]);
  const blackouts = useBlackouts(
    useMemo(() => flat.map((r) => r.id), [flat]),
    rangeStart,
    rangeEnd,
    settled,
  );
  const bookingsByResource = useMemo(() => {
    const map = new Map<string, Booking[]>();
    for (const b of bookings.data ?? []) {
      const list = map.get(b.resourceId) ?? [];
      list.push(b);
      map.set(b.resourceId, list);
    }
    return map;
  }, [bookings.data]);

  // pointer drags and keyboard moves read the latest state through refs: the rows' handlers stay stable
  const state = useRef({ flat, columns, view, selection, dragging: false });
  state.current = { ...state.current, flat, columns, view, selection };

  const open = useCallback((s: Selection) => {
    const { flat: list, columns: cols, view: v } = state.current;
    const resource = list.find((r) => r.id === s.resourceId);
    if (resource) navigate(formLink(resource, cols, v, s.anchor, s.focus));
  }, []);

  useEffect(() => {
    const up = () => {
      if (!state.current.dragging) return;
      state.current.dragging = false;
      const s = state.current.selection;
      if (s) open(s);
    };
    window.addEventListener('pointerup', up);
    return () => window.removeEventListener('pointerup', up);
  }, [open]);

  const onPointerDown = useCallback((e: PointerEvent<HTMLButtonElement>, resourceId: string, col: number) => {
    if (e.button !== 0 || e.pointerType === 'touch') return;
    e.preventDefault();
    state.current.dragging = true;
    const s = { resourceId, anchor: col, focus: col };
    state.current.selection = s;
    setSelection(s);
  }, []);

  const onPointerEnter = useCallback((resourceId: string, col: number) => {
    const s = state.current.selection;
    if (!state.current.dragging || !s || s.resourceId !== resourceId || s.focus === col) return;
    const next = { ...s, focus: col };
    state.current.selection = next;
    setSelection(next);
  }, []);

  /** Touch taps and keyboard activation (pointer drags end in pointerup). */
  const onClick = useCallback(
    (e: { detail: number; nativeEvent: Event }, resourceId: string, col: number) => {
      const pointer = (e.nativeEvent as globalThis.PointerEvent).pointerType;
      if (e.detail !== 0 && pointer !== 'touch') return;
      const s = state.current.selection;
      open(s && s.resourceId === resourceId ? s : { resourceId, anchor: col, focus: col });
    },
    [open],
  );

  const onKeyDown = useCallback((e: KeyboardEvent<HTMLButtonElement>, row: number, col: number) => {
    const { flat: list, columns: cols, selection: s } = state.current;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
      Home: [0, -col],
      End: [0, cols.length - 1 - col],
    };
    if (e.key === 'Escape') {
      setSelection(null);
      return;
    }
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    const r = Math.min(Math.max(row + move[0], 0), list.length - 1);
    const c = Math.min(Math.max(col + move[1], 0), cols.length - 1);
    const resourceId = list[r].id;
    if (e.shiftKey && move[0] === 0) {
      const base = s && s.resourceId === resourceId ? s : { resourceId, anchor: col, focus: col };
      const next = { ...base, focus: c };
      state.current.selection = next;
      setSelection(next);
    } else {
      state.current.selection = null;
      setSelection(null);
    }
    document.querySelector<HTMLButtonElement>(`[data-cell="${r}-${c}"]`)?.focus();
  }, []);

  const goto = (query: string) => navigate(`/belegung?${query}`);
  const week = formatWeek(rangeStart.getTime() + 3_600_000, language);
  const rangeText =
    view === 'week'
      ? `${week}: ${formatDate(rangeStart, language)} – ${formatDate(berlinMidnight(addDays(first, 6)), language)}`
      : `${formatDate(rangeStart, language)} (${week})`;
  const dayHoliday = view === 'day' ? columns[0]?.holiday : null;
  const selectionText = selectionWords(selection, flat, columns, view, language, t);

  return (
    <>
      <h1>{title}</h1>
      <div className="board-toolbar">
        <div className="board-views" role="group" aria-label={t('board.view')}>
          <button
            type="button"
            aria-pressed={view === 'day'}
            onClick={() =>
              goto(
                `tag=${view === 'day' ? first : first <= todayDay && todayDay < addDays(first, 7) ? todayDay : first}`,
              )
            }
          >
            {t('board.dayView')}
          </button>
          <button
            type="button"
            aria-pressed={view === 'week'}
            onClick={() => goto(`woche=${mondayOf(first)}`)}
          >
            {t('board.weekView')}
          </button>
        </div>
        <button
          type="button"
          onClick={() => goto(view === 'day' ? `tag=${addDays(first, -1)}` : `woche=${addDays(first, -7)}`)}
        >
          ‹ {view === 'day' ? t('board.previousDay') : t('board.previousWeek')}
        </button>
        <p className="board-week" aria-live="polite">
          <strong>{rangeText}</strong>
          {dayHoliday ? ` · ${dayHoliday}` : ''}
        </p>
        <button
          type="button"
          onClick={() => goto(view === 'day' ? `tag=${addDays(first, 1)}` : `woche=${addDays(first, 7)}`)}
        >
          {view === 'day' ? t('board.nextDay') : t('board.nextWeek')} ›
        </button>
        <button
          type="button"
          onClick={() => goto(view === 'day' ? `tag=${todayDay}` : `woche=${mondayOf(todayDay)}`)}
        >
          {view === 'day' ? t('board.today') : t('board.thisWeek')}
        </button>
      </div>
      <Legend />
      <p id="board-help" className="hint">
        {t('board.help')}
      </p>
      <p className="board-selection" aria-live="polite">
        {selectionText}
      </p>
      {resources.isPending || bookings.isPending ? (
        <p role="status">{t('shell.loading')}</p>
      ) : resources.isError || bookings.isError ? (
        <p role="alert">{problemMessage(resources.error ?? bookings.error, t)}</p>
      ) : groups.length === 0 ? (
        <p>{t('board.noResources')}</p>
      ) : (
        <div
          className={`board board-view-${view}`}
          data-ready="true"
          aria-label={`${title}, ${rangeText}`}
          aria-describedby="board-help"
          role="region"
          style={{ ['--columns' as string]: columns.length }}
        >
          <div className="board-head" aria-hidden="true">
            <div className="board-corner">{t('board.resource')}</div>
            {columns.map((c, i) => (
              <div
                key={c.key}
                className={`board-day${c.holiday ? ' holiday' : ''}${c.today ? ' today' : ''}`}
              >
                {view === 'week' ? (
                  <>
                    <span>{formatDate(c.start, language).slice(0, -5)}</span>
                    {c.today && <span className="board-tag">{t('board.today')}</span>}
                    {c.holiday && <span className="board-tag">{c.holiday}</span>}
                  </>
                ) : (
                  <span>{i % 2 === 0 ? formatTime(c.start, language).slice(0, 2) : ''}</span>
                )}
              </div>
            ))}
          </div>
          {(() => {
            let row = 0;
            return groups.map((g) => (
              <section key={g.type} aria-label={typeName(g.type, t)}>
                <h2 className="board-group">{typeName(g.type, t)}</h2>
                {g.resources.map((r) => (
                  <Row
                    key={r.id}
                    row={row++}
                    resource={r}
                    own={r.homeMunicipalityId === account?.municipalityId}
                    bookings={bookingsByResource.get(r.id)}
                    blackouts={blackouts.data?.get(r.id)}
                    columns={columns}
                    view={view}
                    rangeStart={rangeStart.getTime()}
                    rangeEnd={rangeEnd.getTime()}
                    language={language}
                    selection={selection?.resourceId === r.id ? selection : null}
                    onSelect={setSelected}
                    onPointerDown={onPointerDown}
                    onPointerEnter={onPointerEnter}
                    onClick={onClick}
                    onKeyDown={onKeyDown}
                  />
                ))}
              </section>
            ));
          })()}
        </div>
      )}
      <div aria-live="polite">
        {selected && <Details booking={selected} onClose={() => setSelected(null)} />}
      </div>
    </>
  );
}

function selectionWords(
  s: Selection | null,
  flat: Resource[],
  columns: Column[],
  view: View,
  language: Language,
  t: T,
): string {
  if (!s || !columns[s.anchor] || !columns[s.focus]) return '';
  const resource = flat.find((r) => r.id === s.resourceId);
  if (!resource) return '';
  const [a, b] = s.anchor <= s.focus ? [s.anchor, s.focus] : [s.focus, s.anchor];
  const time =
    view === 'day'
      ? formatTimeRange(new Date(columns[a].start), new Date(columns[b].end), language)
      : a === b
        ? formatDate(columns[a].start, language)
        : `${formatDate(columns[a].start, language)} – ${formatDate(columns[b].start, language)}`;
  return t('board.selection', { resource: resource.name, time });
}

function typeName(type: string, t: T): string {
  return t(`types.${type}`, { defaultValue: type });
}

function Legend() {
  const { t } = useTranslation();
  return (
    <ul className="board-legend" aria-label={t('board.legend')}>
      <li>
        <span className="bar own sample">✓</span> {t('board.ownBooking')}
      </li>
      <li>
        <span className="bar foreign sample">■</span> {t('board.busy')}
      </li>
      <li>
        <span className="bar own emergency sample">!</span> {t('board.emergency')}
      </li>
      <li>
        <span className="lead sample-lead" /> {t('board.transport')}
      </li>
      <li>
        <span className="holiday-sample" /> {t('board.holiday')}
      </li>
      <li>
        <span className="blackout-sample">✕</span> {t('board.blackout')}
      </li>
      <li>
        <span className="inspection-sample">⚠</span> {t('board.inspectionOverdue')}
      </li>
      <li>
        <span className="off-hours-sample" /> {t('board.offHours')}
      </li>
    </ul>
  );
}

interface RowProps {
  row: number;
  resource: Resource;
  own: boolean;
  bookings: Booking[] | undefined;
  blackouts: Blackout[] | undefined;
  columns: Column[];
  view: View;
  rangeStart: number;
  rangeEnd: number;
  language: Language;
  selection: Selection | null;
  onSelect: (b: Booking) => void;
  onPointerDown: (e: PointerEvent<HTMLButtonElement>, resourceId: string, col: number) => void;
  onPointerEnter: (resourceId: string, col: number) => void;
  onClick: (e: { detail: number; nativeEvent: Event }, resourceId: string, col: number) => void;
  onKeyDown: (e: KeyboardEvent<HTMLButtonElement>, row: number, col: number) => void;
}

const Row = memo(function Row({
  row,
  resource,
  own,
  bookings,
  blackouts,
  columns,
  view,
  rangeStart,
  rangeEnd,
  language,
  selection,
  onSelect,
  onPointerDown,
  onPointerEnter,
  onClick,
  onKeyDown,
}: RowProps) {
  const { t } = useTranslation();
  const span = rangeEnd - rangeStart;
  const pct = (ms: number) =>
    `${((Math.min(Math.max(ms, rangeStart), rangeEnd) - rangeStart) / span) * 100}%`;
  const place = (from: number, to: number) => ({ left: pct(from), width: `calc(${pct(to)} - ${pct(from)})` });
  const [lo, hi] = selection
    ? [Math.min(selection.anchor, selection.focus), Math.max(selection.anchor, selection.focus)]
    : [-1, -2];
  const hours = resource.kind === 'staff' && resource.workingHours ? resource.workingHours : null;
  const due = resource.nextInspectionDue ?? null;
  const unusableFrom = due ? berlinMidnight(addDays(due, 1)).getTime() : null;
  return (
    <div className="board-row">
      <div className="board-resource">
        <span>{resource.name}</span>
        {own && <span className="board-home">{t('board.ownTown')}</span>}
        {hours && <span className="board-home">{workingHoursText(hours, t)}</span>}
        {due && unusableFrom! < rangeEnd + 14 * 86_400_000 && (
          <span className="board-due">
            ⚠ {t('board.inspectionDue', { date: formatDate(`${due}T12:00:00Z`, language) })}
          </span>
        )}
      </div>
      <div
        className="board-track"
        onPointerMove={(e) => {
          // a drag goes on over bars and marks: the column is where the pointer is
          const box = e.currentTarget.getBoundingClientRect();
          const col = Math.floor(((e.clientX - box.left) / box.width) * columns.length);
          onPointerEnter(resource.id, Math.min(Math.max(col, 0), columns.length - 1));
        }}
      >
        {columns.map((c, i) => (
          <button
            key={c.key}
            type="button"
            data-cell={`${row}-${i}`}
            className={`board-cell${c.holiday ? ' holiday' : ''}${c.today ? ' today' : ''}${i >= lo && i <= hi ? ' selected' : ''}`}
            aria-label={
              view === 'week'
                ? t('board.bookCell', { resource: resource.name, day: formatDate(c.start, language) })
                : t('board.bookHour', {
                    resource: resource.name,
                    day: formatDate(c.start, language),
                    time: formatTime(c.start, language),
                  })
            }
            onPointerDown={(e) => onPointerDown(e, resource.id, i)}
            onClick={(e) => onClick(e, resource.id, i)}
            onKeyDown={(e) => onKeyDown(e, row, i)}
          />
        ))}
        {hours &&
          offHours(hours, columns).map(([from, to]) => (
            <span key={`off-${from}`} className="off-hours" style={place(from, to)} aria-hidden="true" />
          ))}
        {unusableFrom !== null && unusableFrom < rangeEnd && (
          <span
            className="inspection-overdue"
            style={place(unusableFrom, rangeEnd)}
            role="img"
            aria-label={t('board.inspectionOverdueBar', {
              resource: resource.name,
              date: formatDate(`${due}T12:00:00Z`, language),
            })}
            title={t('board.inspectionOverdueBar', {
              resource: resource.name,
              date: formatDate(`${due}T12:00:00Z`, language),
            })}
          >
            <span aria-hidden="true">⚠</span>
          </span>
        )}
        {blackouts?.map((b) => {
          const label = t('board.blackoutBar', {
            resource: resource.name,
            time: formatTimeRange(b.start, b.end, language),
            reason: b.reason,
          });
          return (
            <span
              key={b.id}
              className="blackout"
              style={place(Date.parse(b.start), Date.parse(b.end))}
              role="img"
              aria-label={label}
              title={label}
            >
              <span aria-hidden="true">✕</span>
            </span>
          );
        })}
        {bookings?.map((b) => {
          const blockedStart = Date.parse(b.blockedStart);
          const blockedEnd = Date.parse(b.blockedEnd);
          const start = Date.parse(b.start);
          const end = Date.parse(b.end);
          const whole = Math.max(blockedEnd - blockedStart, 1);
          const label = b.own
            ? t('board.ownBar', {
                resource: resource.name,
                time: formatTimeRange(b.start, b.end, language),
                site: b.siteMunicipalityName ?? '',
              })
            : t('board.busyBar', {
                resource: resource.name,
                time: formatTimeRange(b.start, b.end, language),
              });
          return (
            <button
              key={b.id}
              type="button"
              className={`bar ${b.own ? 'own' : 'foreign'}${b.priority === 'emergency' ? ' emergency' : ''}`}
              style={place(blockedStart, blockedEnd)}
              aria-label={label}
              title={label}
              onClick={() => onSelect(b)}
            >
              <span className="lead" style={{ width: `${((start - blockedStart) / whole) * 100}%` }} />
              <span className="bar-icon" aria-hidden="true">
                {b.priority === 'emergency' ? '!' : b.own ? '✓' : '■'}
              </span>
              <span className="lead tail" style={{ width: `${((blockedEnd - end) / whole) * 100}%` }} />
            </button>
          );
        })}
      </div>
    </div>
  );
});

function Details({ booking: b, onClose }: { booking: Booking; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  return (
    <section className="board-details" aria-labelledby="board-details-title">
      <h2 id="board-details-title">
        {b.own ? t('board.ownBooking') : t('board.busy')}: {b.resourceName}
      </h2>
      <dl>
        <dt>{t('board.time')}</dt>
        <dd>{formatTimeRange(b.start, b.end, language)}</dd>
        {b.own && (
          <>
            <dt>{t('board.transport')}</dt>
            <dd>
              {t('board.transportRange', {
                from: formatTime(b.blockedStart, language),
                to: formatTime(b.blockedEnd, language),
              })}
            </dd>
            <dt>{t('board.site')}</dt>
            <dd>{b.siteMunicipalityName ?? '–'}</dd>
            <dt>{t('board.operator')}</dt>
            <dd>{b.operatorName ?? '–'}</dd>
            <dt>{t('board.priority')}</dt>
            <dd>{b.priority === 'emergency' ? t('board.emergency') : t('board.normal')}</dd>
            <dt>{t('board.notes')}</dt>
            <dd className="board-notes">{b.notes || '–'}</dd>
          </>
        )}
      </dl>
      {!b.own && <p>{t('board.busyExplained')}</p>}
      <button type="button" onClick={onClose}>
        {t('board.close')}
      </button>
    </section>
  );
}
