import type { i18n } from 'i18next';
import { COMMON_NS, type commonResources } from './i18n.js';
import type { Locale } from './locale.js';

/** A translation function fixed to one person's language for one turn. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** Dotted paths to the leaves of a nested strings object: `{ menu: { link: '' } }` → `'menu.link'`. */
type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every key of the common namespace, derived from the English file so a typo fails type-checking. */
type CommonKey = Leaves<(typeof commonResources)['en']>;

/** A Translate that accepts only common keys; every Translate is one, so builders can narrow `t` to it for free. */
export type CommonTranslate = (key: CommonKey, options?: Record<string, unknown>) => string;

/** The Translate of one locale, reading the common namespace unless a key says `ns:key`. */
export function translatorFor(instance: i18n, locale: Locale): Translate {
  const t = instance.getFixedT(locale, COMMON_NS);
  // A string without options is the same every time (resources are loaded once): looked up once, not on every card
  // (i18next's lookup costs about as much as the rest of a card). Keys come from code, so the memo stays small.
  const plain = new Map<string, string>();
  return (key, options) => {
    if (options !== undefined) return String(t(key, options));
    let text = plain.get(key);
    if (text === undefined) {
      // i18next's overloads type the result by key; for a dynamic string key it is a string at run time.
      text = String(t(key));
      if (plain.size < MAX_MEMOIZED_STRINGS) plain.set(key, text);
    }
    return text;
  };
}

/** One Translate per locale, made on first use and kept (each keeps its own memo of plain strings). */
export function translatorsOf(instance: i18n): (locale: Locale) => Translate {
  const made = new Map<Locale, Translate>();
  return (locale) => {
    let t = made.get(locale);
    if (!t) made.set(locale, (t = translatorFor(instance, locale)));
    return t;
  };
}

/** Far more than the keys in the resources: a bound, in case a key is ever built from outside input. */
const MAX_MEMOIZED_STRINGS = 4096;
