import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { apiFetch } from '../api/client';
import { currentLanguage, switchLanguage } from '../i18n';
import type { Language } from '../format';

/** Switches the interface now; signed in, the choice is also stored with the account (next sign-in). */
export function useChooseLanguage(signedIn: boolean) {
  const remember = useMutation({
    mutationFn: (language: Language) => apiFetch('/auth/me/language', { method: 'PUT', body: { language } }),
  });
  return {
    choose: (language: Language) => {
      void switchLanguage(language);
      if (signedIn) remember.mutate(language);
    },
    saved: remember.isSuccess,
    error: remember.error,
  };
}

/** One button: German ⇄ English. */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const { choose } = useChooseLanguage(signedIn);
  const other = currentLanguage() === 'de' ? 'en' : 'de';
  return (
    <button
      type="button"
      className="link-button"
      lang={other}
      aria-label={t('language.switchLabel')}
      onClick={() => choose(other)}
    >
      {t('language.switchTo')}
    </button>
  );
}
