import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client';
import { currentLanguage, switchLanguage } from '../i18n';

/** One button: German ⇄ English. Signed in, the choice is also stored with the account. */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const remember = useMutation({
    mutationFn: (language: 'de' | 'en') =>
      apiFetch('/auth/me/language', { method: 'PUT', body: { language } }),
  });
  const other = currentLanguage() === 'de' ? 'en' : 'de';
  return (
    <button
      type="button"
      className="link-button"
      lang={other}
      aria-label={t('language.switchLabel')}
      onClick={() => {
        void switchLanguage(other);
        if (signedIn) remember.mutate(other);
      }}
    >
      {t('language.switchTo')}
    </button>
  );
}
