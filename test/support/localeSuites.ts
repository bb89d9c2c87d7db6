/**
 * The per-locale scaffold of the transcript tests: one i18next instance per suite, and one `describe('in <locale>')`
 * per language with what a person of that language types, their locale and time zone, and the translator.
 */
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES, type Locale } from '../../locales/locale.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { PHRASES, type Phrases } from '../dialogs/phrases.js';

/** Creates the suite's i18next instance before its tests; the returned getter reads it inside hooks and tests. */
export function useI18n(): () => i18n {
  let instance: i18n | undefined;
  before(async () => {
    instance = await createI18n();
  });
  return () => {
    if (!instance) throw new Error('useI18n: read the instance inside a hook or a test, not while describing');
    return instance;
  };
}

/** What one language's block of tests is given. */
export interface LocaleSuite {
  readonly locale: Locale;
  /** What a person of this language types, and the time zone their client reports. */
  readonly phrases: Phrases;
  /** The `say` options of such a person: their locale and time zone. */
  readonly as: { readonly locale: Locale; readonly timeZone: string | undefined };
  /** The translator of this language (callable inside hooks and tests). */
  readonly t: Translate;
}

/** Runs `body` once per supported language, each inside `describe('in <locale>')`. */
export function forEachLocale(instance: () => i18n, body: (suite: LocaleSuite) => void): void {
  for (const locale of LOCALES) {
    const phrases = PHRASES[locale];
    describe(`in ${locale}`, () => {
      let translate: Translate | undefined;
      before(() => {
        translate = translatorFor(instance(), locale);
      });
      const t: Translate = (key, options) => {
        if (!translate) throw new Error('forEachLocale: translate inside a hook or a test, not while describing');
        return translate(key, options);
      };
      body({ locale, phrases, as: { locale, timeZone: phrases.timeZone }, t });
    });
  }
}
