import { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../api/session';
import { useSignOut } from '../api/session';
import { Link, usePath } from '../router';
import { screensFor } from '../routes';
import { LanguageSwitch } from './LanguageSwitch';

/** Header (who is signed in, language, sign-out), the role's navigation, and the page. */
export function Layout({ account, children }: { account: Account; children: ReactNode }) {
  const { t } = useTranslation();
  const path = usePath();
  const signOut = useSignOut();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="shell-header">
        <Link to="/" className="brand">
          {t('app.name')}
        </Link>
        <div className="account">
          <span>
            {t('shell.signedInAs', { name: account.name })}
            <span className="account-role">
              {' · '}
              {t(`roles.${account.role}`)}
              {account.municipalityName ? ` · ${account.municipalityName}` : ''}
            </span>
          </span>
          <LanguageSwitch signedIn />
          <button
            type="button"
            className="link-button"
            onClick={() => signOut.mutate()}
            disabled={signOut.isPending}
          >
            {t('shell.signOut')}
          </button>
        </div>
      </header>
      <nav className="shell-nav" aria-label={t('nav.label')}>
        <ul>
          {screensFor(account.role).map((s) => {
            const current = path === s.path || path.startsWith(`${s.path}/`);
            return (
              <li key={s.key}>
                <Link to={s.path} aria-current={current ? 'page' : undefined}>
                  {t(`nav.${s.key}`)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <main id="main" className="shell-main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
