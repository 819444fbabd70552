import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCents, formatNumber } from '../../format';
import { Scenario, useWhatIf } from './planning-api';
import { capitalize, ErrorText, percent, useLanguage, useMunicipalities } from './shared';

/**
 * The membership what-if: a municipality joins or leaves the pool from a date; utilization,
 * waiting demand and bottlenecks of the period and each member's cost share, before and after.
 * Nothing is stored.
 */
export function WhatIf({
  poolId,
  from,
  to,
  firstDay,
}: {
  poolId: string;
  from: string;
  to: string;
  firstDay: string;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const municipalities = useMunicipalities();
  const simulate = useWhatIf(poolId, language);
  const [scenario, setScenario] = useState<Scenario>({ municipalityId: '', change: 'join', from: firstDay });
  const [missing, setMissing] = useState(false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!scenario.municipalityId || !scenario.from) return setMissing(true);
    setMissing(false);
    simulate.mutate({ scenario, from, to });
  };
  const result = simulate.data;

  return (
    <section aria-labelledby="whatif-title">
      <h2 id="whatif-title">{t('cockpit.whatIf.title')}</h2>
      <p className="hint">{t('cockpit.whatIf.intro')}</p>
      <form onSubmit={submit} noValidate className="grid-form">
        <div className="field">
          <label htmlFor="whatif-municipality">{t('cockpit.whatIf.municipality')}</label>
          <select
            id="whatif-municipality"
            value={scenario.municipalityId}
            aria-invalid={missing && !scenario.municipalityId}
            onChange={(e) => setScenario({ ...scenario, municipalityId: e.target.value })}
          >
            <option value="">{t('cockpit.whatIf.choose')}</option>
            {(municipalities.data ?? []).map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field radio-group">
          <legend>{t('cockpit.whatIf.change')}</legend>
          {(['join', 'leave'] as const).map((c) => (
            <label key={c}>
              <input
                type="radio"
                name="whatif-change"
                value={c}
                checked={scenario.change === c}
                onChange={() => setScenario({ ...scenario, change: c })}
              />{' '}
              {t(`cockpit.whatIf.${c}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="whatif-from">{t('cockpit.whatIf.from')}</label>
          <input
            id="whatif-from"
            type="date"
            value={scenario.from}
            onChange={(e) => setScenario({ ...scenario, from: e.target.value })}
          />
        </div>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={simulate.isPending}>
            {simulate.isPending ? t('cockpit.whatIf.running') : t('cockpit.whatIf.submit')}
          </button>
        </div>
      </form>
      {missing && (
        <p className="form-error" role="alert">
          {t('cockpit.whatIf.missing')}
        </p>
      )}
      <ErrorText error={municipalities.error} />
      <ErrorText error={simulate.error} />
      {result && (
        <div className="whatif-result" aria-live="polite">
          <p className="notice">{result.planning.text}</p>
          <h3>{t('cockpit.whatIf.planningTitle')}</h3>
          {result.planning.types.length === 0 ? (
            <p>{t('cockpit.whatIf.noTypes')}</p>
          ) : (
            <div className="table-scroll" tabIndex={0}>
              <table>
                <caption className="sr-only">{t('cockpit.whatIf.planningTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cockpit.heat.type')}</th>
                    <th scope="col">{t('cockpit.whatIf.utilization')}</th>
                    <th scope="col">{t('cockpit.whatIf.waiting')}</th>
                    <th scope="col">{t('cockpit.whatIf.excess')}</th>
                    <th scope="col">{t('cockpit.whatIf.weeksOver')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.planning.types.map((row) => (
                    <tr key={row.type}>
                      <th scope="row">{capitalize(row.typeLabel)}</th>
                      <td>
                        {percent(row.before.utilization, language)} →{' '}
                        {percent(row.after.utilization, language)}
                      </td>
                      <td>
                        {formatNumber(row.before.waitingHours, language)} h →{' '}
                        {formatNumber(row.after.waitingHours, language)} h
                      </td>
                      <td>
                        {formatNumber(row.before.excessHours, language)} h →{' '}
                        {formatNumber(row.after.excessHours, language)} h
                      </td>
                      <td>
                        {row.before.overCapacityWeeks.length} → {row.after.overCapacityWeeks.length}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>{t('cockpit.whatIf.bottlenecks')}</h3>
          <ul>
            {result.planning.newBottlenecks.map((f, i) => (
              <li key={`n${i}`}>
                <strong>{t('cockpit.whatIf.newBottleneck')}:</strong> {f.text}
              </li>
            ))}
            {result.planning.resolvedBottlenecks.map((f, i) => (
              <li key={`r${i}`}>
                <strong>{t('cockpit.whatIf.resolved')}:</strong> {f.text}
              </li>
            ))}
            {result.planning.newBottlenecks.length + result.planning.resolvedBottlenecks.length === 0 && (
              <li>{t('cockpit.whatIf.noBottleneckChange')}</li>
            )}
          </ul>
          <h3>{t('cockpit.whatIf.costsTitle', { period: result.costs.period })}</h3>
          <div className="table-scroll" tabIndex={0}>
            <table className="amounts">
              <caption className="sr-only">
                {t('cockpit.whatIf.costsTitle', { period: result.costs.period })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('cockpit.whatIf.municipality')}</th>
                  <th scope="col">{t('cockpit.whatIf.shareBefore')}</th>
                  <th scope="col">{t('cockpit.whatIf.shareAfter')}</th>
                  <th scope="col">{t('cockpit.whatIf.netBefore')}</th>
                  <th scope="col">{t('cockpit.whatIf.netAfter')}</th>
                  <th scope="col">{t('cockpit.whatIf.netChange')}</th>
                </tr>
              </thead>
              <tbody>
                {result.costs.members.map((m) => (
                  <tr key={m.municipalityId}>
                    <th scope="row">{m.municipalityName}</th>
                    <td>
                      {m.before.member ? `${formatNumber(m.before.fixedSharePercent, language, 2)} %` : '—'}
                    </td>
                    <td>
                      {m.after.member ? `${formatNumber(m.after.fixedSharePercent, language, 2)} %` : '—'}
                    </td>
                    <td>{formatCents(m.before.netCents, language)}</td>
                    <td>{formatCents(m.after.netCents, language)}</td>
                    <td>{formatCents(m.netChangeCents, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
