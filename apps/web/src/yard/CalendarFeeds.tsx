import { FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/problem-message';
import { formatDateTime, type Language } from '../format';
import { invalidProps, splitErrors } from './field-errors';
import {
  idempotencyKey,
  useCreateFeed,
  useFeeds,
  useRevokeFeed,
  type CalendarFeed,
  type CreatedFeed,
} from './yard-data';

/** Profile: subscribe to one's bookings in Outlook, Thunderbird or Google; list and revoke the feeds. */
export function CalendarFeeds() {
  const { t, i18n } = useTranslation();
  const language = i18n.language as Language;
  const feeds = useFeeds();
  const create = useCreateFeed();
  const [name, setName] = useState('');
  const [feedLanguage, setFeedLanguage] = useState<'de' | 'en'>(language);
  const [created, setCreated] = useState<CreatedFeed | null>(null);
  const [copied, setCopied] = useState(false);
  const key = useRef(idempotencyKey());
  const urlRef = useRef<HTMLInputElement>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setCopied(false);
    create.mutate(
      { body: { ...(name.trim() ? { name: name.trim() } : {}), language: feedLanguage }, key: key.current },
      {
        onSuccess: (feed) => {
          setCreated(feed);
          setName('');
          key.current = idempotencyKey();
          requestAnimationFrame(() => urlRef.current?.focus());
        },
      },
    );
  };
  const copy = async () => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.url);
      setCopied(true);
    } catch {
      // no clipboard permission: select it, so Ctrl+C copies
      urlRef.current?.select();
    }
  };
  const errors = splitErrors(create.error, t, ['name']);

  return (
    <section aria-labelledby="feeds-title">
      <h2 id="feeds-title">{t('feeds.title')}</h2>
      <p>{t('feeds.intro')}</p>
      <form onSubmit={submit} noValidate className="narrow-form">
        <div className="field">
          <label htmlFor="feed-name">{t('feeds.name')}</label>
          <input
            id="feed-name"
            maxLength={100}
            value={name}
            {...invalidProps('feed-name', errors.byField.name, 'feed-name-hint')}
            onChange={(e) => {
              key.current = idempotencyKey();
              setName(e.target.value);
            }}
          />
          <p id="feed-name-hint" className="hint">
            {t('feeds.nameHint')}
          </p>
          {errors.byField.name && (
            <p id="feed-name-error" className="field-error">
              {errors.byField.name}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="feed-language">{t('feeds.language')}</label>
          <select
            id="feed-language"
            value={feedLanguage}
            onChange={(e) => {
              key.current = idempotencyKey();
              setFeedLanguage(e.target.value === 'en' ? 'en' : 'de');
            }}
          >
            <option value="de">Deutsch</option>
            <option value="en">English</option>
          </select>
        </div>
        {errors.general && (
          <p className="form-error" role="alert">
            {errors.general}
          </p>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('feeds.create')}
        </button>
      </form>

      <div aria-live="polite">
        {created && (
          <div className="notice feed-created">
            <p>
              <strong>{t('feeds.created', { name: created.name })}</strong> {t('feeds.onceOnly')}
            </p>
            <div className="field">
              <label htmlFor="feed-url">{t('feeds.url')}</label>
              <div className="copy-row">
                <input
                  id="feed-url"
                  ref={urlRef}
                  readOnly
                  value={created.url}
                  onFocus={(e) => e.target.select()}
                />
                <button type="button" onClick={() => void copy()}>
                  {t('feeds.copy')}
                </button>
              </div>
              <p className="hint" role="status">
                {copied ? t('feeds.copied') : ''}
              </p>
            </div>
            <p>
              <a href={created.webcalUrl}>{t('feeds.openInApp')}</a>
            </p>
          </div>
        )}
      </div>

      <h3>{t('feeds.howTo')}</h3>
      <details>
        <summary>Microsoft Outlook</summary>
        <p>{t('feeds.outlook')}</p>
      </details>
      <details>
        <summary>Mozilla Thunderbird</summary>
        <p>{t('feeds.thunderbird')}</p>
      </details>
      <details>
        <summary>Google Kalender / Google Calendar</summary>
        <p>{t('feeds.google')}</p>
      </details>

      <h3>{t('feeds.yours')}</h3>
      {feeds.isPending ? (
        <p role="status">{t('shell.loading')}</p>
      ) : feeds.isError ? (
        <p role="alert">{problemMessage(feeds.error, t)}</p>
      ) : feeds.data.length === 0 ? (
        <p>{t('feeds.none')}</p>
      ) : (
        <ul className="feed-list">
          {feeds.data.map((f) => (
            <FeedItem key={f.id} feed={f} language={language} />
          ))}
        </ul>
      )}
    </section>
  );
}

function FeedItem({ feed: f, language }: { feed: CalendarFeed; language: Language }) {
  const { t } = useTranslation();
  const revoke = useRevokeFeed();
  const [confirming, setConfirming] = useState(false);
  return (
    <li className="feed">
      <span className="feed-name">{f.name}</span>
      <span className="hint">
        {f.language === 'de' ? 'Deutsch' : 'English'} ·{' '}
        {t('feeds.createdAt', { when: formatDateTime(f.createdAt, language) })} ·{' '}
        {f.lastUsedAt
          ? t('feeds.lastUsed', { when: formatDateTime(f.lastUsedAt, language) })
          : t('feeds.neverUsed')}
      </span>
      {f.status === 'revoked' ? (
        <span className="feed-status">✕ {t('feeds.revoked')}</span>
      ) : confirming ? (
        <span className="feed-confirm" role="group" aria-label={t('feeds.revokeQuestion', { name: f.name })}>
          <span>{t('feeds.revokeQuestion', { name: f.name })}</span>
          <button
            type="button"
            className="danger"
            onClick={() => revoke.mutate(f.id)}
            disabled={revoke.isPending}
          >
            {t('feeds.revokeConfirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('myBookings.abort')}
          </button>
        </span>
      ) : (
        <>
          <span className="feed-status">✓ {t('feeds.active')}</span>
          <button
            type="button"
            onClick={() => setConfirming(true)}
            aria-label={t('feeds.revokeLabel', { name: f.name })}
          >
            {t('feeds.revoke')}
          </button>
        </>
      )}
      {revoke.error && (
        <p className="form-error" role="alert">
          {problemMessage(revoke.error, t)}
        </p>
      )}
    </li>
  );
}
