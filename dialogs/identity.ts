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
 * Returns undefined when the activity does not say who sent it.
 */
export function identityOf(activity: Partial<Activity>, defaultTenantId: string): Identity | undefined {
  const from = activity.from;
  if (!from) return undefined;
  const tenantFromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const inTeams = activity.channelId === 'msteams';
  const personId = inTeams ? from.aadObjectId : from.id;
  const tenantId = inTeams ? (typeof tenantFromChannel === 'string' ? tenantFromChannel : activity.conversation?.tenantId) : defaultTenantId;
  if (!personId || !tenantId) return undefined;
  return { personId, tenantId, displayName: from.name || undefined };
}
