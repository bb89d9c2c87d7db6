import type { Activity } from 'botbuilder';

/** The person's IANA time zone as the client reports it (`localTimezone`), else UTC. */
export function timeZoneOf(activity: Partial<Activity>): string {
  const zone = activity.localTimezone;
  if (typeof zone === 'string' && zone !== '') {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return zone;
    } catch {
      // An unknown zone name: fall back to UTC rather than fail the turn.
    }
  }
  return 'UTC';
}
