/** Formatters built so far, one per language (three, and the variants a client may send: few). */
const formats = new Map<string, Intl.NumberFormat>();
const MAX_FORMATS = 100;

/**
 * Writes a number as people of `locale` do ("1,234", "1 234"). Building an Intl.NumberFormat costs far more than
 * formatting with it (the first one of a language loads its data: milliseconds), so one per language is kept.
 */
export function formatNumber(locale: string, value: number): string {
  let format = formats.get(locale);
  if (!format) {
    if (formats.size >= MAX_FORMATS) formats.delete(formats.keys().next().value!);
    formats.set(locale, (format = new Intl.NumberFormat(locale)));
  }
  return format.format(value);
}
