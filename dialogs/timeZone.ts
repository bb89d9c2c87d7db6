import type { Activity } from 'botbuilder';
import { isTimeZone } from '../locales/locale.js';

/** The person's IANA time zone as the client reports it (`localTimezone`), else UTC (an unknown name too). */
export function timeZoneOf(activity: Partial<Activity>): string {
  const zone = activity.localTimezone;
  return typeof zone === 'string' && zone !== '' && isTimeZone(zone) ? zone : 'UTC';
}
