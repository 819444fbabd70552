import { KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatShortDate } from '../../format';
import type { TypeWeek } from './planning-api';
import { capitalize, percent, useLanguage } from './shared';

/** Colour band of a week's demand (booked + waiting) against the available hours; never alone. */
export function band(cell: TypeWeek): 'low' | 'mid' | 'high' | 'over' {
  const ratio = Math.max(cell.demandRatio, cell.utilization);
  if (cell.overCapacity || ratio > 1) return 'over';
  if (ratio >= 0.8) return 'high';
  if (ratio >= 0.5) return 'mid';
  return 'low';
}

const weekNumber = (week: string) => Number(week.split('-W')[1]);

/**
 * Utilization per type (rows) and ISO week (columns): a real table, each cell its figure and a
 * colour band with a word for over-capacity; the details (booked, available, waiting hours) show
 * on hover and on keyboard focus, and Escape hides them again.
 */
export function HeatMap({ weeks }: { weeks: TypeWeek[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [hidden, setHidden] = useState<string | null>(null);
  const columns = [...new Set(weeks.map((w) => w.week))].sort();
  const types = [...new Map(weeks.map((w) => [w.type, capitalize(w.typeLabel)])).entries()].sort((a, b) =>
    a[1].localeCompare(b[1], language),
  );
  const byKey = new Map(weeks.map((w) => [`${w.type}|${w.week}`, w]));
  if (types.length === 0) return <p>{t('cockpit.heat.empty')}</p>;

  const onKey = (key: string) => (e: KeyboardEvent) => {
    if (e.key === 'Escape') setHidden(key);
  };

  return (
    <>
      <ul className="heat-legend" aria-label={t('cockpit.heat.legend')}>
        {(['low', 'mid', 'high', 'over'] as const).map((b) => (
          <li key={b}>
            <span className={`heat-sample heat-${b}`} aria-hidden="true" />
            {t(`cockpit.heat.band.${b}`)}
          </li>
        ))}
      </ul>
      <div className="table-scroll" role="region" aria-labelledby="heat-caption" tabIndex={0}>
        <table className="heat-map">
          <caption id="heat-caption">{t('cockpit.heat.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cockpit.heat.type')}</th>
              {columns.map((week) => {
                const first = weeks.find((w) => w.week === week)!;
                return (
                  <th scope="col" key={week}>
                    {t('cockpit.heat.week', { week: weekNumber(week) })}
                    <span className="heat-date">{formatShortDate(first.start, language).slice(0, 6)}</span>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {types.map(([type, label]) => (
              <tr key={type}>
                <th scope="row">{label}</th>
                {columns.map((week) => {
                  const cell = byKey.get(`${type}|${week}`);
                  if (!cell) return <td key={week}>—</td>;
                  const key = `${type}|${week}`;
                  const id = `heat-${type}-${week}`;
                  const level = band(cell);
                  return (
                    <td
                      key={week}
                      className={`heat-cell heat-${level}`}
                      data-hidden={hidden === key || undefined}
                    >
                      <button
                        type="button"
                        className="heat-figure"
                        aria-describedby={id}
                        onKeyDown={onKey(key)}
                        onFocus={() => setHidden(null)}
                        onMouseEnter={() => setHidden(null)}
                      >
                        {percent(cell.utilization, language)}
                        {level === 'over' && <span className="heat-flag"> ▲</span>}
                        {cell.unmetHours > 0 && (
                          <span className="heat-unmet">
                            {t('cockpit.heat.waiting', { hours: formatNumber(cell.unmetHours, language) })}
                          </span>
                        )}
                      </button>
                      <span role="tooltip" id={id} className="heat-tip">
                        {t('cockpit.heat.tip', {
                          type: label,
                          week: weekNumber(week),
                          booked: formatNumber(cell.bookedHours, language),
                          available: formatNumber(cell.availableHours, language),
                          utilization: percent(cell.utilization, language),
                          waiting: formatNumber(cell.unmetHours, language),
                          requests: cell.unmetRequests,
                          demand: percent(cell.demandRatio, language),
                        })}
                        {level === 'over' ? ` ${t('cockpit.heat.overCapacity')}` : ''}
                      </span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
