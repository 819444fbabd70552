import './coordination.css';
import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays, berlinMidnight, isDay, mondayOf } from '../../board/calendar';
import { berlinDay, formatDate } from '../../format';
import { usePageTitle } from '../../shell/page-title';
import { HeatMap } from './HeatMap';
import { Finding, useBottlenecks } from './planning-api';
import { Proposals } from './Proposals';
import { Loaded, PoolPicker, useLanguage, useParam, usePoolParam, usePools } from './shared';
import { WhatIf } from './WhatIf';

const WEEKS = 8;

/** The findings the cockpit lists, in the order a coordinator works through them. */
const GROUPS: { key: string; kinds: string[] }[] = [
  { key: 'unmet', kinds: ['unmet-demand', 'over-capacity'] },
  { key: 'skills', kinds: ['skills-short'] },
  { key: 'inspections', kinds: ['inspection-due'] },
];

function FindingList({ findings, group }: { findings: Finding[]; group: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`findings-${group}`} className="finding-group">
      <h3 id={`findings-${group}`}>
        {t(`cockpit.findings.${group}`)} ({findings.length})
      </h3>
      {findings.length === 0 ? (
        <p>{t(`cockpit.findings.none.${group}`)}</p>
      ) : (
        <ul className="findings">
          {findings.map((f, i) => (
            <li key={i} className={`finding finding-${f.severity}`}>
              <span className="severity">
                <span aria-hidden="true">{f.severity === 'info' ? 'ℹ' : '⚠'} </span>
                {t(`cockpit.severity.${f.severity}`)}:
              </span>{' '}
              {f.text}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The coordinator's cockpit: what is short in which week (a heat map of type × week), waiting
 * demand, missing skills and inspections coming due; proposals from the solver, applied after a
 * confirmation; and the membership what-if.
 */
export default function Cockpit() {
  const { t } = useTranslation();
  usePageTitle(t('cockpit.title'));
  const language = useLanguage();
  const pools = usePools();
  const [poolId, setPoolId] = usePoolParam(pools.data);
  const [fromParam, setFrom] = useParam('von');
  const [toParam, setTo] = useParam('bis');
  const firstDay = isDay(fromParam) ? fromParam : mondayOf(berlinDay(new Date()));
  const lastDay = isDay(toParam) && toParam >= firstDay ? toParam : addDays(firstDay, WEEKS * 7 - 1);
  const [draft, setDraft] = useState({ from: firstDay, to: lastDay });
  const from = berlinMidnight(firstDay).toISOString();
  const to = berlinMidnight(addDays(lastDay, 1)).toISOString();
  const diagnosis = useBottlenecks(poolId, from, to, language);

  const show = (e: FormEvent) => {
    e.preventDefault();
    if (isDay(draft.from)) setFrom(draft.from);
    if (isDay(draft.to)) setTo(draft.to);
  };

  return (
    <>
      <h1>{t('cockpit.title')}</h1>
      <Loaded query={pools}>
        {(list) =>
          list.length === 0 || !poolId ? (
            <p>{t('cockpit.noPools')}</p>
          ) : (
            <>
              <form className="toolbar-form" onSubmit={show} aria-label={t('cockpit.periodLabel')}>
                <PoolPicker pools={list} value={poolId} onChange={setPoolId} />
                <div className="field inline-field">
                  <label htmlFor="period-from">{t('cockpit.from')}</label>
                  <input
                    id="period-from"
                    type="date"
                    value={draft.from}
                    onChange={(e) => setDraft({ ...draft, from: e.target.value })}
                  />
                </div>
                <div className="field inline-field">
                  <label htmlFor="period-to">{t('cockpit.to')}</label>
                  <input
                    id="period-to"
                    type="date"
                    value={draft.to}
                    onChange={(e) => setDraft({ ...draft, to: e.target.value })}
                  />
                </div>
                <button type="submit" className="secondary">
                  {t('cockpit.show')}
                </button>
              </form>
              <p className="period-line">
                {t('cockpit.period', {
                  from: formatDate(berlinMidnight(firstDay), language),
                  to: formatDate(berlinMidnight(lastDay), language),
                })}
              </p>
              <section aria-labelledby="heat-title">
                <h2 id="heat-title">{t('cockpit.heat.title')}</h2>
                <Loaded query={diagnosis} loading={t('cockpit.diagnosing')}>
                  {(run) =>
                    run.status === 'failed' ? (
                      <p className="form-error" role="alert">
                        {t('cockpit.diagnosisFailed', { error: run.error ?? '' })}
                      </p>
                    ) : (
                      <>
                        <HeatMap weeks={run.figures?.types ?? []} />
                        <div className="finding-groups">
                          {GROUPS.map((g) => (
                            <FindingList
                              key={g.key}
                              group={g.key}
                              findings={run.findings.filter((f) => g.kinds.includes(f.kind))}
                            />
                          ))}
                        </div>
                      </>
                    )
                  }
                </Loaded>
              </section>
              <Proposals poolId={poolId} from={from} to={to} />
              <WhatIf poolId={poolId} from={from} to={to} firstDay={firstDay} />
            </>
          )
        }
      </Loaded>
    </>
  );
}
