import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../format';
import { de } from './de';
import { en } from './en';

/** The interface language: German unless the user switched; kept in this browser. */
export const LANGUAGE_KEY = 'allmende.language';

export function storedLanguage(): Language {
  try {
    return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'de';
  } catch {
    return 'de';
  }
}

function applyToDocument(language: string): void {
  document.documentElement.lang = language;
}

/** Switches the interface (and <html lang>, which screen readers pronounce by) and remembers it. */
export async function switchLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // private mode: the switch lasts this page
  }
  await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return i18n.language === 'en' ? 'en' : 'de';
}

i18n.on('languageChanged', applyToDocument);

void i18n.use(initReactI18next).init({
  resources: { de: { translation: de }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'de',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToDocument(i18n.language);

export { i18n };
