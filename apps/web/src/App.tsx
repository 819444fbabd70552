import { Suspense, useEffect, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { onSignedOut } from './api/client';
import { problemMessage } from './api/problem-message';
import { ACCOUNT_KEY, useAccount } from './api/session';
import { Link, Redirect, usePath } from './router';
import { screenAt, startPath } from './routes';
import { Layout } from './shell/Layout';
import { SignIn } from './sign-in/SignIn';

function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('shell.loading')}
    </p>
  );
}

/** Signed out: the sign-in page. Signed in: the shell with the screen the path names. */
export function App() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const account = useAccount();
  const path = usePath();
  const [sessionEnded, setSessionEnded] = useState(false);

  useEffect(
    () =>
      onSignedOut(() => {
        // the API said 401: the session ended (idle, expired, revoked elsewhere)
        if (client.getQueryData(ACCOUNT_KEY)) setSessionEnded(true);
        client.setQueryData(ACCOUNT_KEY, null);
      }),
    [client],
  );

  if (account.isPending) return <Loading />;
  if (account.isError) {
    return (
      <main id="main" className="sign-in-main">
        <h1>{t('app.name')}</h1>
        <p role="alert">{problemMessage(account.error, t)}</p>
        <button type="button" className="primary" onClick={() => void account.refetch()}>
          {t('shell.retry')}
        </button>
      </main>
    );
  }
  if (!account.data) return <SignIn sessionEnded={sessionEnded} />;

  const me = account.data;
  if (path === '/' || path === '/anmelden') return <Redirect to={startPath(me.role)} />;
  const screen = screenAt(path);
  let content;
  if (!screen) {
    content = (
      <>
        <h1>{t('shell.notFound')}</h1>
        <p>
          <Link to={startPath(me.role)}>{t('shell.toStart')}</Link>
        </p>
      </>
    );
  } else if (!screen.roles.includes(me.role)) {
    content = (
      <>
        <h1>{t(`nav.${screen.key}`)}</h1>
        <p role="alert">{t('shell.forbidden')}</p>
      </>
    );
  } else {
    const Screen = screen.component;
    content = (
      <Suspense fallback={<Loading />}>
        <Screen />
      </Suspense>
    );
  }
  return <Layout account={me}>{content}</Layout>;
}
