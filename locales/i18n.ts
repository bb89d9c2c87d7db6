import i18next, { type i18n } from 'i18next';
import type { Locale } from './locale.js';
import { dateTimeFormatter } from './formatDate.js';
import { NAMESPACES, resources } from './resources.js';

/** The namespace of the bot's own interface strings (FAQ content lives in its own namespace, loaded elsewhere). */
export const COMMON_NS = 'common';

/** The common strings of every locale (the namespace most keys live in). */
export const commonResources = {
  en: resources.en.common,
  'zh-CN': resources['zh-CN'].common,
  fr: resources.fr.common,
} as const satisfies Record<Locale, unknown>;

/** A fresh, initialised i18next instance with every namespace of every locale (never the global instance). */
export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources,
    lng: 'en',
    ns: [...NAMESPACES],
    defaultNS: COMMON_NS,
    // 'zh' must be listed and mapped explicitly: with nonExplicitSupportedLngs, i18next resolves zh-CN to English.
    supportedLngs: ['en', 'fr', 'zh', 'zh-CN'],
    fallbackLng: { zh: ['zh-CN', 'en'], 'zh-Hans': ['zh-CN', 'en'], default: ['en'] },
    // Strings go into Adaptive Cards and plain messages, not HTML: escaping would show &amp; to people.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
  });
  // French writes the first day of a month as an ordinal ("1er avril"); Intl writes "1 avril".
  instance.services.formatter?.addCached('datetime', (lng, options) => {
    const format = dateTimeFormatter(lng ?? 'en', { ...(options as Intl.DateTimeFormatOptions) });
    return (value: unknown) => format(value as Date);
  });
  return instance;
}
