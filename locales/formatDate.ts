/**
 * Formats an instant through Intl in a language, with the one rule Intl lacks: French writes the first day of a
 * month as an ordinal ("1er avril 2027"), never "1 avril".
 */
export function formatDateTime(locale: string, value: Date, options: Intl.DateTimeFormatOptions): string {
  return dateTimeFormatter(locale, options)(value);
}

/** A reusable formatter of `formatDateTime` for one language and set of options. */
export function dateTimeFormatter(locale: string, options: Intl.DateTimeFormatOptions): (value: Date) => string {
  // Building an Intl.DateTimeFormat costs far more than formatting with it: one per language and options, reused.
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    if (formats.size >= MAX_FORMATS) formats.delete(formats.keys().next().value!);
    formats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  }
  return formatWith(locale, format);
}

/** Formatters built so far (the options come from code, the languages from three locales and time zones: few). */
const formats = new Map<string, Intl.DateTimeFormat>();
const MAX_FORMATS = 500;

function formatWith(locale: string, format: Intl.DateTimeFormat): (value: Date) => string {
  if (!locale.startsWith('fr')) return (value) => format.format(value);
  return (value) => {
    const parts = format.formatToParts(value);
    const spelledMonth = parts.some((p) => p.type === 'month' && !/^\d+$/.test(p.value));
    return parts.map((p) => (spelledMonth && p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
  };
}
