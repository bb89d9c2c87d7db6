import i18next, { type i18n } from 'i18next';
import en from './en/common.json' with { type: 'json' };
import fr from './fr/common.json' with { type: 'json' };
import zhCN from './zh-CN/common.json' with { type: 'json' };
import type { Locale } from './locale.js';

/** The namespace of the bot's own interface strings (FAQ content lives in its own namespace, loaded elsewhere). */
export const COMMON_NS = 'common';

/** The interface strings of every locale, bundled at build time so the bot reads no files at run time. */
export const commonResources = { en, 'zh-CN': zhCN, fr } as const satisfies Record<Locale, unknown>;

/** A fresh, initialised i18next instance with the common strings of every locale (never the global instance). */
export async function createI18n(): Promise<i18n> {
  const instance = i18next.createInstance();
  await instance.init({
    resources: {
      en: { [COMMON_NS]: en },
      'zh-CN': { [COMMON_NS]: zhCN },
      fr: { [COMMON_NS]: fr },
    },
    lng: 'en',
    ns: [COMMON_NS],
    defaultNS: COMMON_NS,
    // 'zh' must be listed and mapped explicitly: with nonExplicitSupportedLngs, i18next resolves zh-CN to English.
    supportedLngs: ['en', 'fr', 'zh', 'zh-CN'],
    fallbackLng: { zh: ['zh-CN', 'en'], 'zh-Hans': ['zh-CN', 'en'], default: ['en'] },
    // Strings go into Adaptive Cards and plain messages, not HTML: escaping would show &amp; to people.
    interpolation: { escapeValue: false },
    returnEmptyString: false,
  });
  return instance;
}
