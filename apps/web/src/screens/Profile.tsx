import { FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/problem-message';
import { useAccount, useChangePassword } from '../api/session';
import { usePageTitle } from '../shell/page-title';
import { CalendarFeeds } from '../yard/CalendarFeeds';
import { LanguageSetting } from '../yard/LanguageSetting';

const MIN_LENGTH = 12;

/** The account as the API knows it, and changing one's own password. */
export default function Profile() {
  const { t } = useTranslation();
  usePageTitle(t('profile.title'));
  const account = useAccount().data;
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next.length < MIN_LENGTH) return setLocalError(t('profile.tooShort'));
    if (next !== repeat) return setLocalError(t('profile.mismatch'));
    setLocalError(null);
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
        },
      },
    );
  };
  const error = localError ?? (change.error ? problemMessage(change.error, t) : null);

  return (
    <>
      <h1>{t('profile.title')}</h1>
      {account && (
        <section aria-labelledby="profile-account">
          <h2 id="profile-account">{t('profile.account')}</h2>
          <dl className="facts">
            <dt>{t('profile.name')}</dt>
            <dd>{account.name}</dd>
            <dt>{t('profile.email')}</dt>
            <dd>{account.email ?? '—'}</dd>
            <dt>{t('profile.role')}</dt>
            <dd>{t(`roles.${account.role}`)}</dd>
            <dt>{t('profile.municipality')}</dt>
            <dd>{account.municipalityName ?? '—'}</dd>
          </dl>
        </section>
      )}
      <LanguageSetting />
      <CalendarFeeds />
      <section aria-labelledby="profile-password">
        <h2 id="profile-password">{t('profile.changePassword')}</h2>
        <form onSubmit={submit} noValidate className="narrow-form">
          <div className="field">
            <label htmlFor="current-password">{t('profile.currentPassword')}</label>
            <input
              id="current-password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="new-password">{t('profile.newPassword')}</label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              aria-describedby="new-password-hint"
              value={next}
              onChange={(e) => setNext(e.target.value)}
            />
            <p id="new-password-hint" className="hint">
              {t('profile.newPasswordHint')}
            </p>
          </div>
          <div className="field">
            <label htmlFor="repeat-password">{t('profile.repeatPassword')}</label>
            <input
              id="repeat-password"
              type="password"
              autoComplete="new-password"
              value={repeat}
              onChange={(e) => setRepeat(e.target.value)}
            />
          </div>
          <div className="form-error" role="alert" aria-live="assertive">
            {error}
          </div>
          <p className="notice" role="status" aria-live="polite">
            {change.isSuccess ? t('profile.saved') : ''}
          </p>
          <button type="submit" className="primary" disabled={change.isPending}>
            {t('profile.save')}
          </button>
        </form>
      </section>
    </>
  );
}
