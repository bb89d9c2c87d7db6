/**
 * Formats an instant through Intl in a language, with the one rule Intl lacks: French writes the first day of a
 * month as an ordinal ("1er avril 2027"), never "1 avril".
 */
export function formatDateTime(locale: string, value: Date, options: Intl.DateTimeFormatOptions): string {
  return dateTimeFormatter(locale, options)(value);
}

/** A reusable formatter of `formatDateTime` for one language and set of options. */
export function dateTimeFormatter(locale: string, options: Intl.DateTimeFormatOptions): (value: Date) => string {
  const format = new Intl.DateTimeFormat(locale, options);
  if (!locale.startsWith('fr')) return (value) => format.format(value);
  return (value) => {
    const parts = format.formatToParts(value);
    const spelledMonth = parts.some((p) => p.type === 'month' && !/^\d+$/.test(p.value));
    return parts.map((p) => (spelledMonth && p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
  };
}
