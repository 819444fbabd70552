import { useTranslation } from 'react-i18next';
import { formatCents } from '../../format';
import { ErrorText, LoadingText, useLanguage } from '../cockpit/shared';
import { useMonthlyStatements } from './finance-api';
import { monthShort } from './period';

/** Colours with ≥ 3:1 against white, and a marker shape each, so no line is told by colour alone. */
const COLOURS = ['#1d5c3a', '#0b4f8a', '#a4161a', '#7a4a00', '#5b2a86', '#00666b', '#8a2c61', '#3f4a00'];
const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;

function Marker({
  shape,
  x,
  y,
  colour,
}: {
  shape: (typeof SHAPES)[number];
  x: number;
  y: number;
  colour: string;
}) {
  switch (shape) {
    case 'circle':
      return <circle cx={x} cy={y} r={4} fill={colour} />;
    case 'square':
      return <rect x={x - 4} y={y - 4} width={8} height={8} fill={colour} />;
    case 'triangle':
      return <polygon points={`${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}`} fill={colour} />;
    case 'diamond':
      return <polygon points={`${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}`} fill={colour} />;
  }
}

/** A round step for the amount axis: 1, 2 or 5 × a power of ten, about five lines. */
function step(max: number): number {
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  return [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? power * 10;
}

/**
 * Each member's total (what it owes: usage, fixed share, adjustments) per month of the year, as
 * an SVG line chart with a title and description, and the same figures as a table.
 */
export default function CostChart({ poolId, months }: { poolId: string; months: string[] }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const results = useMonthlyStatements(poolId, months, language);
  if (months.length === 0) return <p>{t('finance.chart.noMonths')}</p>;
  const failed = results.find((r) => r.isError);
  if (failed) return <ErrorText error={failed.error} />;
  if (results.some((r) => !r.data)) return <LoadingText label={t('finance.chart.loading')} />;

  const docs = results.map((r) => r.data!);
  const members = new Map<string, string>();
  for (const d of docs) for (const s of d.statements) members.set(s.municipalityId, s.municipalityName);
  const series = [...members.entries()].map(([id, name], i) => ({
    id,
    name,
    colour: COLOURS[i % COLOURS.length],
    shape: SHAPES[Math.floor(i / COLOURS.length) % SHAPES.length],
    values: docs.map((d) => d.statements.find((s) => s.municipalityId === id)?.totalCents ?? 0),
  }));
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const unit = step(max);
  const top = Math.ceil(max / unit) * unit;
  const W = 760;
  const H = 300;
  const left = 96;
  const right = 16;
  const topPad = 16;
  const bottom = 36;
  const x = (i: number) => left + (months.length === 1 ? 0.5 : i / (months.length - 1)) * (W - left - right);
  const y = (cents: number) => topPad + (1 - cents / top) * (H - topPad - bottom);
  const ticks = Array.from({ length: Math.round(top / unit) + 1 }, (_, i) => i * unit);
  const monthOf = (period: string) => Number(period.slice(5, 7));
  const year = months[0].slice(0, 4);

  return (
    <figure className="cost-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" width="100%">
        <title id="chart-title">{t('finance.chart.title', { year })}</title>
        <desc id="chart-desc">{t('finance.chart.desc', { count: series.length })}</desc>
        {ticks.map((v) => (
          <g key={v}>
            <line x1={left} x2={W - right} y1={y(v)} y2={y(v)} stroke="#c9d1cd" />
            <text x={left - 8} y={y(v) + 4} textAnchor="end" fontSize="12" fill="#1b1f1d">
              {formatCents(v, language).replace(/,00/, '')}
            </text>
          </g>
        ))}
        {months.map((m, i) => (
          <text key={m} x={x(i)} y={H - 12} textAnchor="middle" fontSize="12" fill="#1b1f1d">
            {monthShort(monthOf(m), language)}
          </text>
        ))}
        {series.map((s) => (
          <g key={s.id}>
            <polyline
              fill="none"
              stroke={s.colour}
              strokeWidth={2}
              points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')}
            />
            {s.values.map((v, i) => (
              <Marker key={i} shape={s.shape} x={x(i)} y={y(v)} colour={s.colour} />
            ))}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="chart-legend">
          {series.map((s) => (
            <li key={s.id}>
              <svg width="18" height="12" aria-hidden="true">
                <line x1="0" x2="18" y1="6" y2="6" stroke={s.colour} strokeWidth="2" />
                <Marker shape={s.shape} x={9} y={6} colour={s.colour} />
              </svg>{' '}
              {s.name}
            </li>
          ))}
        </ul>
      </figcaption>
      <details className="chart-table">
        <summary>{t('finance.chart.asTable')}</summary>
        <div className="table-scroll" tabIndex={0}>
          <table className="amounts">
            <caption>{t('finance.chart.title', { year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('finance.member')}</th>
                {months.map((m) => (
                  <th scope="col" key={m}>
                    {monthShort(monthOf(m), language)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {series.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{s.name}</th>
                  {s.values.map((v, i) => (
                    <td key={i}>{formatCents(v, language)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
