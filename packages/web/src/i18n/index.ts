import type { Locale } from 'antd/es/locale';
import dayjs from 'dayjs';
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import type { en } from './en';
import { createFormats, type Formats } from './format';
import type { libraryAdmin } from './sections/libraryAdmin.en';
import type { owed } from './sections/owed.en';
import type { performance } from './sections/performance.en';
import type { receivables } from './sections/receivables.en';
import type { webhooks } from './sections/webhooks.en';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'dms.language';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en & Sections };
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

/**
 * A language's messages, Ant Design's locale and dayjs's, loaded when the language is first used: a person downloads
 * one language, not both.
 */
const loaders: Record<Language, () => Promise<{ messages: object; antd: Locale }>> = {
  en: async () => {
    const [{ en: messages }, { default: antd }] = await Promise.all([import('./en'), import('antd/es/locale/en_US')]);
    return { messages, antd };
  },
  'zh-CN': async () => {
    const [{ zhCN: messages }, { default: antd }] = await Promise.all([import('./zh-CN'), import('antd/es/locale/zh_CN'), import('dayjs/locale/zh-cn')]);
    return { messages, antd };
  },
};
const antdLocales = new Map<Language, Locale>();

/** Each language is asked for once: a second call gets the load under way (a failed load may be asked for again). */
const loading = new Map<Language, ReturnType<(typeof loaders)[Language]>>();
const loadLanguage = (language: Language) => {
  let pending = loading.get(language);
  if (!pending) {
    pending = loaders[language]();
    loading.set(language, pending);
    pending.catch(() => loading.delete(language));
  }
  return pending;
};
// The first screen's language starts loading as this module is evaluated: before the screen's own code asks the server
// for a dozen figures, behind which (six connections a server, and one embedded database computing them in turn) the
// messages took half a second to arrive, and the first render waits for them.
void loadLanguage(initialLanguage()).catch(() => undefined);

/**
 * Sections of the catalogue that only later screens use (the same i18next messages, typed and tested as en.ts and
 * zh-CN.ts are): each loads with its screens, in the language shown, so the first screens do not carry it.
 */
interface Sections {
  performance: typeof performance;
  libraryAdmin: typeof libraryAdmin;
  receivables: typeof receivables;
  owed: typeof owed;
  webhooks: typeof webhooks;
}
/** Sections loaded by language (the receivables and webhooks screens' come with their code instead: ReceivablesPage.tsx, OwedPage.tsx, WebhooksPage.tsx). */
type LoadedSection = Exclude<keyof Sections, 'receivables' | 'owed' | 'webhooks'>;
const SECTIONS: { [S in LoadedSection]: Record<Language, () => Promise<Record<S, object>>> } = {
  performance: { en: () => import('./sections/performance.en'), 'zh-CN': () => import('./sections/performance.zh-CN') },
  libraryAdmin: { en: () => import('./sections/libraryAdmin.en'), 'zh-CN': () => import('./sections/libraryAdmin.zh-CN') },
};
const sectionsLoaded = new Set<LoadedSection>();

/** Loads a section's messages (for the language shown, or the one about to be); a lazy screen awaits it with its code. */
export const loadSection = async (section: LoadedSection, language: Language = i18n.language as Language) => {
  const module: Record<string, object> = await SECTIONS[section][language]();
  i18n.addResourceBundle(language, 'translation', { [section]: module[section] }, true, true);
  sectionsLoaded.add(section);
};

const load = async (language: Language) => {
  if (antdLocales.has(language)) return;
  const { messages, antd } = await loadLanguage(language);
  i18n.addResourceBundle(language, 'translation', messages);
  antdLocales.set(language, antd);
};

/** Ant Design's locale for a language already loaded (the app renders only once its language is). */
export const antdLocaleOf = (language: Language): Locale | undefined => antdLocales.get(language);

const applyToPage = (language: Language) => {
  document.documentElement.lang = language;
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
};

/** Loads the person's language and sets i18next up with it; the app renders once this resolves. */
export const startI18n = async () => {
  const language = initialLanguage();
  await i18n.use(initReactI18next).init({
    resources: {},
    partialBundledLanguages: true,
    lng: language,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  await load(language);
  applyToPage(language);
};

export const setLanguage = async (language: Language) => {
  localStorage.setItem(STORAGE_KEY, language);
  await Promise.all([load(language), ...[...sectionsLoaded].map((section) => loadSection(section, language))]);
  await i18n.changeLanguage(language);
  applyToPage(language);
};

/** Messages and formats of the current language, in one hook: `const { t, f } = useI18n()`. */
export const useI18n = () => {
  const { t, i18n: instance } = useTranslation();
  const language = (instance.resolvedLanguage ?? instance.language) as Language;
  const f: Formats = createFormats(language);
  return { t, f, language };
};

export { i18n };
