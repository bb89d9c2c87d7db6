/**
 * UTC instant arithmetic for the rules. Every rule works on UTC instants; time zones belong to display.
 * "N days" is N × 24 hours; "N months" is calendar months in UTC, keeping the time of day and clamping the
 * day to the end of a shorter month (Jan 31 + 1 month = Feb 28, or Feb 29 in a leap year).
 */

/** Milliseconds in one hour. */
const HOUR_MS = 3_600_000;

/** Milliseconds in one day of 24 hours (no calendar days: DST does not exist in UTC). */
const DAY_MS = 24 * HOUR_MS;

/** The instant `hours` × 1 hour after `instant`. */
export function addHours(instant: Date, hours: number): Date {
  return new Date(instant.getTime() + hours * HOUR_MS);
}

/** The instant `days` × 24 hours after `instant`. */
export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Number of days in a UTC month (`month` 0–11, may overflow into other years). */
export function daysInUtcMonth(year: number, month: number): number {
  return utcInstant(year, month + 1, 0).getUTCDate();
}

/** The UTC instant for a calendar date; months and days overflow like `Date.UTC`, but years below 100 stay literal. */
export function utcInstant(year: number, month: number, day: number, hours = 0, minutes = 0, seconds = 0, ms = 0): Date {
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hours, minutes, seconds, ms);
  return date;
}

/** The same UTC time of day `months` calendar months later (or earlier), with the day clamped to the target month. */
export function addUtcMonths(instant: Date, months: number): Date {
  const monthIndex = instant.getUTCFullYear() * 12 + instant.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(instant.getUTCDate(), daysInUtcMonth(year, month));
  return utcInstant(year, month, day, instant.getUTCHours(), instant.getUTCMinutes(), instant.getUTCSeconds(), instant.getUTCMilliseconds());
}

/** 00:00 UTC on day `dayOfMonth` (clamped to the month's length) of the month after the one containing `instant`. */
export function dayOfNextUtcMonth(instant: Date, dayOfMonth: number): Date {
  const year = instant.getUTCFullYear();
  const month = instant.getUTCMonth() + 1;
  return utcInstant(year, month, Math.min(dayOfMonth, daysInUtcMonth(year, month)));
}
