import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatTimeRange } from '../../format';
import { Change, Proposal, useApplyProposal, useSolverRun, useStartRun } from './planning-api';
import { ConfirmDialog, ErrorText, useLanguage, useParam } from './shared';

/** Start a solver run for the period, watch it, and each proposal as a before/after diff. */
export function Proposals({ poolId, from, to }: { poolId: string; from: string; to: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const [runId, setRunId] = useParam('lauf');
  const [seconds, setSeconds] = useState('10');
  const start = useStartRun(poolId, language);
  const run = useSolverRun(runId, language);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    start.mutate(
      { from, to, timeLimitSeconds: Number(seconds) },
      { onSuccess: (started) => setRunId(started.id) },
    );
  };
  const data = run.data;
  const busy = data?.status === 'queued' || data?.status === 'running';

  return (
    <section aria-labelledby="proposals-title">
      <h2 id="proposals-title">{t('cockpit.proposals.title')}</h2>
      <p className="hint">{t('cockpit.proposals.intro')}</p>
      <form onSubmit={submit} className="toolbar-form">
        <div className="field inline-field">
          <label htmlFor="time-limit">{t('cockpit.proposals.timeLimit')}</label>
          <select id="time-limit" value={seconds} onChange={(e) => setSeconds(e.target.value)}>
            {['5', '10', '30', '60'].map((s) => (
              <option key={s} value={s}>
                {t('cockpit.proposals.seconds', { count: Number(s) })}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="primary" disabled={start.isPending || busy}>
          {t('cockpit.proposals.start')}
        </button>
      </form>
      <ErrorText error={start.error} />
      {runId && run.isPending && <p role="status">{t('shell.loading')}</p>}
      <ErrorText error={run.error} />
      {data && (
        <div className="run-status" role="status" aria-live="polite">
          {busy ? (
            <>
              <label htmlFor="run-progress">
                {t(`cockpit.proposals.status.${data.status}`)} – {data.progress} %
              </label>
              <progress id="run-progress" max={100} value={data.progress}>
                {data.progress} %
              </progress>
            </>
          ) : data.status === 'failed' ? (
            <p className="form-error">{t('cockpit.proposals.failed', { error: data.error ?? '' })}</p>
          ) : (
            <p>
              {t('cockpit.proposals.done', {
                count: data.proposals.length,
                at: data.finishedAt ? formatDateTime(data.finishedAt, language) : '',
              })}
            </p>
          )}
        </div>
      )}
      {data?.status === 'done' && data.nothingFound && <p className="notice">{data.nothingFound.text}</p>}
      {data?.status === 'done' && (
        <ol className="proposal-list">
          {data.proposals.map((p, i) => (
            <li key={p.id}>
              <ProposalCard proposal={p} index={i + 1} />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function ChangeRow({ change }: { change: Change }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const what = change.bookingLabel ?? change.requestLabel ?? '—';
  const before =
    change.fromResourceName && change.fromStart && change.fromEnd
      ? `${change.fromResourceName}, ${formatTimeRange(change.fromStart, change.fromEnd, language)}`
      : t('cockpit.proposals.waiting');
  return (
    <tr>
      <th scope="row">
        {what}
        {change.role === 'operator' && <span className="tag"> {t('cockpit.proposals.operator')}</span>}
      </th>
      <td>{change.municipalityName ?? '—'}</td>
      <td className="diff-before">
        <span className="sr-only">{t('cockpit.proposals.before')}: </span>
        {before}
      </td>
      <td className="diff-after">
        <span className="sr-only">{t('cockpit.proposals.after')}: </span>
        {change.toResourceName}, {formatTimeRange(change.toStart, change.toEnd, language)}
      </td>
    </tr>
  );
}

function ProposalCard({ proposal, index }: { proposal: Proposal; index: number }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const apply = useApplyProposal(language);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState(proposal.status);
  const [appliedAt, setAppliedAt] = useState(proposal.appliedAt);
  const headingId = `proposal-${proposal.id}`;
  const g = proposal.gain;
  const b = proposal.bound;

  return (
    <article className="proposal" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {t('cockpit.proposals.heading', { index, kind: t(`cockpit.proposals.kind.${proposal.kind}`) })}
        <span className={`state state-${status}`}> · {t(`cockpit.proposals.state.${status}`)}</span>
      </h3>
      <p>{proposal.explanation}</p>
      <dl className="facts">
        <dt>{t('cockpit.proposals.gain')}</dt>
        <dd>
          {[
            t('cockpit.proposals.served', { count: g.requestsServed }),
            t('cockpit.proposals.saved', { minutes: g.transportMinutesSaved }),
            g.extraTransportMinutes > 0
              ? t('cockpit.proposals.extra', { minutes: g.extraTransportMinutes })
              : null,
            t('cockpit.proposals.changed', { count: g.changedBookings }),
          ]
            .filter(Boolean)
            .join(' · ')}
        </dd>
        <dt>{t('cockpit.proposals.bound')}</dt>
        <dd>
          {b
            ? t(b.proven ? 'cockpit.proposals.boundProven' : 'cockpit.proposals.boundOpen', {
                served: b.served,
                bound: b.servableBound,
                windows: b.subproblems,
              })
            : t('cockpit.proposals.noBound')}
        </dd>
        <dt>{t('cockpit.proposals.affected')}</dt>
        <dd>{proposal.municipalitiesAffected.map((m) => m.name).join(', ') || '—'}</dd>
      </dl>
      {proposal.changes.length > 0 && (
        <div className="table-scroll" tabIndex={0}>
          <table className="diff-table">
            <caption className="sr-only">{t('cockpit.proposals.diffCaption', { index })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cockpit.proposals.what')}</th>
                <th scope="col">{t('cockpit.proposals.municipality')}</th>
                <th scope="col">{t('cockpit.proposals.before')}</th>
                <th scope="col">{t('cockpit.proposals.after')}</th>
              </tr>
            </thead>
            <tbody>
              {proposal.changes.map((c, i) => (
                <ChangeRow key={i} change={c} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {status === 'open' && proposal.kind !== 'investment' && (
        <button
          type="button"
          className="primary"
          onClick={() => setConfirming(true)}
          disabled={apply.isPending}
        >
          {t('cockpit.proposals.apply', { index })}
        </button>
      )}
      {appliedAt && (
        <p className="notice" role="status">
          {t('cockpit.proposals.appliedAt', { at: formatDateTime(appliedAt, language) })}
        </p>
      )}
      <ErrorText error={apply.error} />
      <ConfirmDialog
        open={confirming}
        title={t('cockpit.proposals.confirmTitle', { index })}
        confirmLabel={t('cockpit.proposals.confirm')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          apply.mutate(proposal.id, {
            onSuccess: (applied) => {
              setStatus(applied.status);
              setAppliedAt(applied.appliedAt);
            },
            onError: (e) => {
              if ((e as { status?: number }).status === 409) setStatus('stale');
            },
          });
        }}
      >
        <p>
          {t('cockpit.proposals.confirmText', {
            count: proposal.changes.length,
            towns: proposal.municipalitiesAffected.map((m) => m.name).join(', ') || '—',
          })}
        </p>
      </ConfirmDialog>
    </article>
  );
}
