import '../cockpit/coordination.css';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccount } from '../../api/session';
import { berlinDay, formatCents, formatDateTime, formatNumber } from '../../format';
import { usePageTitle } from '../../shell/page-title';
import {
  ConfirmDialog,
  ErrorText,
  Loaded,
  LoadingText,
  PoolPicker,
  useLanguage,
  useParam,
  usePoolParam,
  usePools,
} from '../cockpit/shared';
import { downloadUrl, PoolStatements, useFinalize, useSavings, useStatements } from './finance-api';
import {
  monthsOfYear,
  parsePeriod,
  Period,
  PeriodKind,
  periodKey,
  periodLabel,
  previousMonth,
  withKind,
} from './period';

const CostChart = lazy(() => import('./CostChart'));

function PeriodPicker({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <fieldset className="toolbar-form period-picker">
      <legend>{t('finance.period')}</legend>
      <div className="field inline-field">
        <label htmlFor="period-kind">{t('finance.periodKind')}</label>
        <select
          id="period-kind"
          value={period.kind}
          onChange={(e) => onChange(withKind(period, e.target.value as PeriodKind))}
        >
          {(['month', 'quarter', 'year'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`finance.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field inline-field">
        <label htmlFor="period-year">{t('finance.year')}</label>
        <input
          id="period-year"
          type="number"
          min={2000}
          max={2100}
          value={period.year}
          onChange={(e) => {
            const year = Number(e.target.value);
            if (year >= 2000 && year <= 2100) onChange({ ...period, year });
          }}
        />
      </div>
      {period.kind !== 'year' && (
        <div className="field inline-field">
          <label htmlFor="period-part">
            {t(period.kind === 'month' ? 'finance.month' : 'finance.quarter')}
          </label>
          <select
            id="period-part"
            value={period.part}
            onChange={(e) => onChange({ ...period, part: Number(e.target.value) })}
          >
            {Array.from({ length: period.kind === 'month' ? 12 : 4 }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {period.kind === 'month'
                  ? periodLabel({ kind: 'month', year: period.year, part: n }, language).split(' ')[0]
                  : `Q${n}`}
              </option>
            ))}
          </select>
        </div>
      )}
    </fieldset>
  );
}

function StatementTable({ doc }: { doc: PoolStatements }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const money = (c: number) => formatCents(c, language);
  const sum = (f: (s: PoolStatements['statements'][number]) => number) =>
    doc.statements.reduce((a, s) => a + f(s), 0);
  return (
    <>
      <div className="table-scroll" tabIndex={0}>
        <table className="amounts statement-table">
          <caption>{t('finance.tableCaption', { pool: doc.poolName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('finance.member')}</th>
              <th scope="col">{t('finance.number')}</th>
              <th scope="col">{t('finance.usage')}</th>
              <th scope="col">{t('finance.fixed')}</th>
              <th scope="col">{t('finance.adjustments')}</th>
              <th scope="col">{t('finance.total')}</th>
              <th scope="col">{t('finance.credits')}</th>
              <th scope="col">{t('finance.net')}</th>
            </tr>
          </thead>
          <tbody>
            {doc.statements.map((s) => (
              <tr key={s.municipalityId}>
                <th scope="row">{s.municipalityName}</th>
                <td>{s.number ?? '—'}</td>
                <td>{money(s.usageCents)}</td>
                <td>{money(s.fixedCents)}</td>
                <td>{money(s.adjustmentsCents)}</td>
                <td>
                  <strong>{money(s.totalCents)}</strong>
                </td>
                <td>{money(s.creditsCents)}</td>
                <td>{money(s.netCents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('finance.sum')}</th>
              <td />
              <td>{money(sum((s) => s.usageCents))}</td>
              <td>{money(sum((s) => s.fixedCents))}</td>
              <td>{money(sum((s) => s.adjustmentsCents))}</td>
              <td>
                <strong>{money(sum((s) => s.totalCents))}</strong>
              </td>
              <td>{money(sum((s) => s.creditsCents))}</td>
              <td>{money(sum((s) => s.netCents))}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <p className="pool-total">
        {t('finance.poolTotal')}: <strong>{money(doc.poolTotalCents)}</strong>
      </p>
      <h3>{t('finance.lines')}</h3>
      {doc.statements.map((s) => (
        <details key={s.municipalityId} className="statement-lines">
          <summary>
            {s.municipalityName}: {t('finance.lineCount', { count: s.lines.length })}, {money(s.totalCents)}
          </summary>
          <div className="table-scroll" tabIndex={0}>
            <table className="amounts">
              <caption className="sr-only">{t('finance.linesOf', { name: s.municipalityName })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('finance.lineKind')}</th>
                  <th scope="col">{t('finance.description')}</th>
                  <th scope="col">{t('finance.amount')}</th>
                </tr>
              </thead>
              <tbody>
                {s.lines.map((l, i) => (
                  <tr key={i}>
                    <td className="text">{t(`finance.kinds.${l.kind}`)}</td>
                    <td className="text">
                      {l.description}
                      {l.basis ? <span className="hint"> ({l.basis})</span> : null}
                      {l.usageEstimated ? <span className="tag"> {t('finance.estimated')}</span> : null}
                    </td>
                    <td>{money(l.amountCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ))}
      <h3>{t('finance.settlement')}</h3>
      {doc.settlement.length === 0 ? (
        <p>{t('finance.noSettlement')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0}>
          <table className="amounts">
            <caption className="sr-only">{t('finance.settlement')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('finance.payer')}</th>
                <th scope="col">{t('finance.payee')}</th>
                <th scope="col">{t('finance.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {doc.settlement.map((s, i) => (
                <tr key={i}>
                  <td className="text">{s.fromMunicipalityName}</td>
                  <td className="text">{s.toMunicipalityName}</td>
                  <td>{money(s.amountCents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Savings({ poolId, period }: { poolId: string; period: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const savings = useSavings(poolId, period, language);
  return (
    <section aria-labelledby="savings-title">
      <h2 id="savings-title">{t('finance.savings.title')}</h2>
      <p className="hint">{t('finance.savings.intro')}</p>
      <Loaded query={savings}>
        {(report) =>
          report.members.length === 0 ? (
            <p>{t('finance.savings.none')}</p>
          ) : (
            <div className="table-scroll" tabIndex={0}>
              <table className="amounts">
                <caption className="sr-only">{t('finance.savings.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('finance.member')}</th>
                    <th scope="col">{t('finance.savings.paid')}</th>
                    <th scope="col">{t('finance.savings.alone')}</th>
                    <th scope="col">{t('finance.savings.saving')}</th>
                    <th scope="col">{t('finance.savings.earned')}</th>
                    <th scope="col">{t('finance.savings.basis')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.members.map((m) => (
                    <tr key={m.municipalityId}>
                      <th scope="row">{m.municipalityName}</th>
                      <td>{formatCents(m.paidNetCents, language)}</td>
                      <td>{formatCents(m.standaloneCostCents, language)}</td>
                      <td>
                        {formatCents(m.savingCents, language)} ({formatNumber(m.savingPercent, language, 2)}{' '}
                        %)
                      </td>
                      <td>{formatCents(m.earnedFromOthersCents, language)}</td>
                      <td className="basis">{m.basis}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

/**
 * Statements by month, quarter or year: each member's totals and lines, the settlement, the
 * documents (PDF, XLSX, CSV), finalizing; each member's costs over the months of the year; and
 * what pooling saves.
 */
export default function Statements() {
  const { t } = useTranslation();
  usePageTitle(t('finance.title'));
  const language = useLanguage();
  const account = useAccount().data;
  const pools = usePools();
  const [poolId, setPoolId] = usePoolParam(pools.data);
  const [param, setParam] = useParam('zeitraum');
  const today = berlinDay(new Date());
  const period = parsePeriod(param) ?? previousMonth(today);
  const key = periodKey(period);
  const statements = useStatements(poolId, key, language);
  const finalize = useFinalize(poolId ?? '', language);
  const [confirming, setConfirming] = useState(false);
  const mayFinalize =
    account?.role === 'coordinator' || account?.role === 'finance' || account?.role === 'admin';

  return (
    <>
      <h1>{t('finance.title')}</h1>
      <Loaded query={pools}>
        {(list) =>
          !poolId ? (
            <p>{t('cockpit.noPools')}</p>
          ) : (
            <>
              <div className="toolbar">
                <PoolPicker pools={list} value={poolId} onChange={setPoolId} />
                <PeriodPicker period={period} onChange={(p) => setParam(periodKey(p))} />
              </div>
              <section aria-labelledby="statement-title">
                <h2 id="statement-title">
                  {t('finance.statementOf', { period: periodLabel(period, language) })}
                </h2>
                <Loaded query={statements} loading={t('finance.computing')}>
                  {(doc) => (
                    <>
                      <p className={doc.finalized ? 'status-final' : 'status-open'} role="status">
                        {doc.finalized
                          ? t('finance.finalized', {
                              at: doc.finalizedAt ? formatDateTime(doc.finalizedAt, language) : '',
                              numbers: doc.statements
                                .map((s) => s.number)
                                .filter(Boolean)
                                .join(', '),
                            })
                          : t('finance.open')}
                      </p>
                      <p>
                        <strong>{t('finance.key')}:</strong> {doc.keyDescription}
                      </p>
                      <ul className="downloads" aria-label={t('finance.downloads')}>
                        {(['pdf', 'xlsx', 'csv'] as const).map((f) => (
                          <li key={f}>
                            <a href={downloadUrl(poolId, key, f, language)} download>
                              {t(`finance.download.${f}`)}
                            </a>
                          </li>
                        ))}
                      </ul>
                      <StatementTable doc={doc} />
                      {!doc.finalized && mayFinalize && (
                        <div className="finalize">
                          <button
                            type="button"
                            className="primary"
                            onClick={() => setConfirming(true)}
                            disabled={finalize.isPending}
                          >
                            {t('finance.finalize')}
                          </button>
                        </div>
                      )}
                      {finalize.isPending && <LoadingText label={t('finance.finalizing')} />}
                      <ErrorText error={finalize.error} />
                      <ConfirmDialog
                        open={confirming}
                        title={t('finance.confirmTitle', { period: periodLabel(period, language) })}
                        confirmLabel={t('finance.finalize')}
                        onCancel={() => setConfirming(false)}
                        onConfirm={() => {
                          setConfirming(false);
                          finalize.mutate(key);
                        }}
                      >
                        <p>
                          {t('finance.confirmText', { total: formatCents(doc.poolTotalCents, language) })}
                        </p>
                      </ConfirmDialog>
                    </>
                  )}
                </Loaded>
              </section>
              <section aria-labelledby="chart-heading">
                <h2 id="chart-heading">{t('finance.chart.heading', { year: period.year })}</h2>
                <Suspense fallback={<LoadingText />}>
                  <CostChart poolId={poolId} months={monthsOfYear(period.year, today)} />
                </Suspense>
              </section>
              <Savings poolId={poolId} period={key} />
            </>
          )
        }
      </Loaded>
    </>
  );
}
