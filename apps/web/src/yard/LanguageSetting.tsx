import { useTranslation } from 'react-i18next';
import { problemMessage } from '../api/problem-message';
import { currentLanguage } from '../i18n';
import { useChooseLanguage } from '../shell/LanguageSwitch';

/** Profile: the interface language, kept with the account so the next sign-in starts in it. */
export function LanguageSetting() {
  const { t } = useTranslation();
  const { choose, saved, error } = useChooseLanguage(true);
  const language = currentLanguage();
  return (
    <section aria-labelledby="language-title">
      <h2 id="language-title">{t('profileLanguage.title')}</h2>
      <fieldset className="radio-group">
        <legend>{t('profileLanguage.legend')}</legend>
        {(['de', 'en'] as const).map((l) => (
          <div key={l} className="checkbox">
            <input
              id={`language-${l}`}
              type="radio"
              name="language"
              value={l}
              checked={language === l}
              onChange={() => choose(l)}
            />
            <label htmlFor={`language-${l}`} lang={l}>
              {l === 'de' ? 'Deutsch' : 'English'}
            </label>
          </div>
        ))}
      </fieldset>
      <p className="notice" role="status">
        {saved ? t('profileLanguage.saved') : ''}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {problemMessage(error, t)}
        </p>
      )}
    </section>
  );
}
