import { FormEvent, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { problemMessage } from '../api/problem-message';
import { useSignIn } from '../api/session';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { usePageTitle } from '../shell/page-title';

/** Email and password; a refusal is announced (aria-live) and the focus returns to the field. */
export function SignIn({ sessionEnded }: { sessionEnded: boolean }) {
  const { t } = useTranslation();
  usePageTitle(t('signIn.title'));
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setMissing(true);
      (email.trim() ? passwordRef : emailRef).current?.focus();
      return;
    }
    setMissing(false);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onError: () => {
          setPassword('');
          passwordRef.current?.focus();
        },
      },
    );
  };

  const error = missing ? t('signIn.required') : signIn.error ? signInError(signIn.error, t) : null;
  const notice = !error && sessionEnded ? t('signIn.sessionEnded') : null;

  return (
    <div className="sign-in-page">
      <header className="sign-in-header">
        <span className="brand">{t('app.name')}</span>
        <LanguageSwitch signedIn={false} />
      </header>
      <main id="main" className="sign-in-main">
        <h1>{t('signIn.title')}</h1>
        <p>{t('signIn.intro')}</p>
        <form onSubmit={submit} noValidate aria-describedby={error ? errorId : undefined}>
          <div className="field">
            <label htmlFor="sign-in-email">{t('signIn.email')}</label>
            <input
              ref={emailRef}
              id="sign-in-email"
              name="email"
              type="email"
              autoComplete="username"
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sign-in-password">{t('signIn.password')}</label>
            <input
              ref={passwordRef}
              id="sign-in-password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
          <div id={errorId} className="form-error" role="alert" aria-live="assertive">
            {error}
          </div>
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <button type="submit" className="primary" disabled={signIn.isPending}>
            {signIn.isPending ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}

function signInError(error: Error, t: ReturnType<typeof useTranslation>['t']): string {
  if (error instanceof ApiError && error.status === 401) return t('signIn.wrong');
  return problemMessage(error, t);
}
