import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18n from 'i18next';
import { useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en } from './en';
import { createFormats, type Formats } from './format';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'dms.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

/** The person's choice if they made one, else the browser's languages: any Chinese one picks zh-CN, anything else English. */
export const initialLanguage = (): Language => {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'zh-CN' || stored === 'en') return stored;
  const wanted = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en'];
  for (const l of wanted) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
};

const applyToPage = (language: Language) => {
  document.documentElement.lang = language;
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
};

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyToPage(i18n.language as Language);

export const setLanguage = async (language: Language) => {
  localStorage.setItem(STORAGE_KEY, language);
  await i18n.changeLanguage(language);
  applyToPage(language);
};

/** Messages and formats of the current language, in one hook: `const { t, f } = useI18n()`. */
export const useI18n = () => {
  const { t, i18n: instance } = useTranslation();
  const language = (instance.resolvedLanguage ?? instance.language) as Language;
  const f: Formats = useMemo(() => createFormats(language), [language]);
  return { t, f, language };
};

export { i18n };
