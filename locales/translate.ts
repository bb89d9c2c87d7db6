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
export type CommonKey = Leaves<(typeof commonResources)['en']>;

/** A Translate that accepts only common keys; every Translate is one, so builders can narrow `t` to it for free. */
export type CommonTranslate = (key: CommonKey, options?: Record<string, unknown>) => string;

/** The Translate of one locale, reading the common namespace unless a key says `ns:key`. */
export function translatorFor(instance: i18n, locale: Locale): Translate {
  const t = instance.getFixedT(locale, COMMON_NS);
  // i18next's overloads type the result by key; for a dynamic string key it is a string at run time.
  return (key, options) => String(t(key, options));
}
