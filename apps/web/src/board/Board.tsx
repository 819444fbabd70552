import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/problem-message';
import { useAccount } from '../api/session';
import { berlinDay, formatDate, formatTime, formatTimeRange, formatWeek, type Language } from '../format';
import { navigate, useSearch } from '../router';
import { usePageTitle } from '../shell/page-title';
import { useBookings, useResources, type Booking, type Resource } from './board-data';
import { addDays, berlinMidnight, holidayOn, isDay, mondayOf } from './calendar';

const DAYS = 7;

interface Day {
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

export default function Board() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const account = useAccount().data;
  const search = useSearch();
  const todayDay = berlinDay(new Date());
  const requested = search.get('woche');
  const monday = mondayOf(isDay(requested) ? requested : todayDay);
  const weekStart = berlinMidnight(monday);
  const weekEnd = berlinMidnight(addDays(monday, DAYS));
  const title = t('board.title');
  usePageTitle(title);

  const resources = useResources();
  const bookings = useBookings(weekStart, weekEnd);
  const [selected, setSelected] = useState<Booking | null>(null);

  const days: Day[] = useMemo(
    () =>
      Array.from({ length: DAYS }, (_, i) => {
        const day = addDays(monday, i);
        const holiday = holidayOn(day);
        return {
          day,
          start: berlinMidnight(day).getTime(),
          end: berlinMidnight(addDays(day, 1)).getTime(),
          holiday: holiday ? t(`holidays.${holiday}`) : null,
          today: day === todayDay,
        };
      }),
    [monday, todayDay, t],
  );

  const groups = useMemo(
    () => groupResources(resources.data ?? [], account?.municipalityId ?? null),
    [resources.data, account?.municipalityId],
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

  const goto = (day: string) => navigate(`/belegung?woche=${day}`);
  const week = formatWeek(weekStart.getTime() + 3_600_000, language);

  return (
    <>
      <h1>{title}</h1>
      <div className="board-toolbar">
        <button type="button" onClick={() => goto(addDays(monday, -7))}>
          ‹ {t('board.previousWeek')}
        </button>
        <p className="board-week" aria-live="polite">
          <strong>{week}</strong>: {formatDate(weekStart, language)} –{' '}
          {formatDate(berlinMidnight(addDays(monday, 6)), language)}
        </p>
        <button type="button" onClick={() => goto(addDays(monday, 7))}>
          {t('board.nextWeek')} ›
        </button>
        <button type="button" onClick={() => goto(mondayOf(todayDay))}>
          {t('board.thisWeek')}
        </button>
      </div>
      <Legend />
      {resources.isPending || bookings.isPending ? (
        <p role="status">{t('shell.loading')}</p>
      ) : resources.isError || bookings.isError ? (
        <p role="alert">{problemMessage(resources.error ?? bookings.error, t)}</p>
      ) : groups.length === 0 ? (
        <p>{t('board.noResources')}</p>
      ) : (
        <div className="board" data-ready="true" aria-label={`${title}, ${week}`} role="region">
          <div className="board-head" aria-hidden="true">
            <div className="board-corner">{t('board.resource')}</div>
            {days.map((d) => (
              <div
                key={d.day}
                className={`board-day${d.holiday ? ' holiday' : ''}${d.today ? ' today' : ''}`}
              >
                <span>{formatDate(d.start, language).slice(0, -5)}</span>
                {d.today && <span className="board-tag">{t('board.today')}</span>}
                {d.holiday && <span className="board-tag">{d.holiday}</span>}
              </div>
            ))}
          </div>
          {groups.map((g) => (
            <section key={g.type} aria-label={typeName(g.type, t)}>
              <h2 className="board-group">{typeName(g.type, t)}</h2>
              {g.resources.map((r) => (
                <Row
                  key={r.id}
                  resource={r}
                  own={r.homeMunicipalityId === account?.municipalityId}
                  bookings={bookingsByResource.get(r.id)}
                  days={days}
                  weekStart={weekStart.getTime()}
                  weekEnd={weekEnd.getTime()}
                  language={language}
                  onSelect={setSelected}
                />
              ))}
            </section>
          ))}
        </div>
      )}
      <div aria-live="polite">
        {selected && <Details booking={selected} onClose={() => setSelected(null)} />}
      </div>
    </>
  );
}

function typeName(type: string, t: (key: string, options?: Record<string, unknown>) => string): string {
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
    </ul>
  );
}

interface RowProps {
  resource: Resource;
  own: boolean;
  bookings: Booking[] | undefined;
  days: Day[];
  weekStart: number;
  weekEnd: number;
  language: Language;
  onSelect: (b: Booking) => void;
}

const Row = memo(function Row({
  resource,
  own,
  bookings,
  days,
  weekStart,
  weekEnd,
  language,
  onSelect,
}: RowProps) {
  const { t } = useTranslation();
  const span = weekEnd - weekStart;
  const pct = (ms: number) => `${((Math.min(Math.max(ms, weekStart), weekEnd) - weekStart) / span) * 100}%`;
  return (
    <div className="board-row">
      <div className="board-resource">
        <span>{resource.name}</span>
        {own && <span className="board-home">{t('board.ownTown')}</span>}
      </div>
      <div className="board-track">
        {days.map((d) => (
          <button
            key={d.day}
            type="button"
            className={`board-cell${d.holiday ? ' holiday' : ''}${d.today ? ' today' : ''}`}
            aria-label={t('board.bookCell', { resource: resource.name, day: formatDate(d.start, language) })}
            onClick={() =>
              navigate(
                `/buchungen/neu?typ=${encodeURIComponent(resource.type)}&tag=${d.day}&ressource=${resource.id}`,
              )
            }
          />
        ))}
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
              style={{ left: pct(blockedStart), width: `calc(${pct(blockedEnd)} - ${pct(blockedStart)})` }}
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
