import type { Activity } from 'botbuilder';

/** Who is speaking: a work account in one organization (rule 1). */
export interface Identity {
  /** Teams: the Entra ID object id; other channels: the channel's user id. */
  readonly personId: string;
  /** Teams: the tenant id; other channels: the configured default organization. */
  readonly tenantId: string;
  readonly displayName?: string;
}

/**
 * Reads the speaker's identity from the activity itself, never from card data (rule 3).
 * Returns undefined when the activity does not say who sent it, and, when `teamsOnly` (the bot is authenticated:
 * `MicrosoftAppId` set), for every channel but Teams: there `from.id` is chosen by the client, so it must never be
 * taken for a person (nor matched against the bootstrap admins).
 */
export function identityOf(activity: Partial<Activity>, defaultTenantId: string, teamsOnly = false): Identity | undefined {
  const from = activity.from;
  if (!from) return undefined;
  const inTeams = activity.channelId === 'msteams';
  if (teamsOnly && !inTeams) return undefined;
  const tenantFromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const personId = inTeams ? from.aadObjectId : from.id;
  const tenantId = inTeams ? (typeof tenantFromChannel === 'string' ? tenantFromChannel : activity.conversation?.tenantId) : defaultTenantId;
  if (!personId || !tenantId) return undefined;
  return { personId, tenantId, displayName: from.name || undefined };
}

/** True when identities are accepted from Teams only and this activity comes from another channel. */
export function isOutsideTeams(activity: Partial<Activity>, teamsOnly: boolean): boolean {
  return teamsOnly && activity.channelId !== 'msteams';
}
