/** Every language the bot speaks, in the order the language picker shows them. */
export const LOCALES = ['en', 'zh-CN', 'fr'] as const;

/** One of the languages the bot speaks. */
export type Locale = (typeof LOCALES)[number];

/** The language used when nothing else tells us which one a person reads. */
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's name written in that language, for the picker's buttons and the `{{language}}` placeholder. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  en: 'English',
  'zh-CN': '中文（简体）',
  fr: 'Français',
};

/** Whether a value (a stored preference, a card payload) is exactly one of our locale codes. */
export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
}

/** Whether `Intl` knows an IANA time zone name (Teams' `localTimezone` comes from the client, unchecked). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
