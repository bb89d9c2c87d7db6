/**
 * Reads what a Teams activity says about where it comes from: who speaks, in which organization, in which kind of
 * conversation, its id and reference, the person's time zone, the team and channel, the people mentioned. The one
 * place that knows the shape of `from`, `channelData` and `conversation`; dialogs, commands and bot/ ask here.
 */
import { TurnContext, type Activity, type Mention } from 'botbuilder';
import { isTimeZone } from '../../locales/locale.js';
import { boundedReference, channelConversationId, type ConversationScope } from '../../services/outbox/conversationReferences.js';
import type { Actor } from '../../services/actor.js';

/** What Teams writes in `channelData` (every field may be missing or of another type: read with care). */
interface TeamsChannelData {
  tenant?: { id?: unknown };
  team?: { id?: unknown; name?: unknown };
  channel?: { id?: unknown; name?: unknown };
}

function channelDataOf(activity: Partial<Activity>): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

/** Whether the activity comes through Teams (rather than the Emulator, Web Chat or the terminal chat). */
export function isTeams(activity: Partial<Activity>): boolean {
  return activity.channelId === 'msteams';
}

/** Teams: the tenant of the conversation (`channelData.tenant.id`, else `conversation.tenantId`); elsewhere `defaultTenantId`. */
export function tenantOf(activity: Partial<Activity>, defaultTenantId: string): string | undefined {
  if (!isTeams(activity)) return defaultTenantId;
  const fromChannel = channelDataOf(activity).tenant?.id;
  return typeof fromChannel === 'string' ? fromChannel : activity.conversation?.tenantId;
}

/** Teams: the sender's Entra ID object id; elsewhere the channel's user id. */
export function personIdOf(activity: Partial<Activity>): string | undefined {
  return isTeams(activity) ? activity.from?.aadObjectId : activity.from?.id;
}

/**
 * Reads the speaker's identity from the activity itself, never from card data (rule 3): in Teams the Entra ID object
 * id and the tenant; on other channels the channel's user id and the configured default organization.
 * Returns undefined when the activity does not say who sent it, and, when `teamsOnly` (the bot is authenticated:
 * `MicrosoftAppId` set), for every channel but Teams: there `from.id` is chosen by the client, so it must never be
 * taken for a person (nor matched against the bootstrap admins).
 */
export function identityOf(activity: Partial<Activity>, defaultTenantId: string, teamsOnly = false): Actor | undefined {
  const from = activity.from;
  if (!from) return undefined;
  if (isOutsideTeams(activity, teamsOnly)) return undefined;
  const personId = personIdOf(activity);
  const tenantId = tenantOf(activity, defaultTenantId);
  if (!personId || !tenantId) return undefined;
  return { personId, tenantId, displayName: from.name || undefined };
}

/** True when identities are accepted from Teams only and this activity comes from another channel. */
export function isOutsideTeams(activity: Partial<Activity>, teamsOnly: boolean): boolean {
  return teamsOnly && !isTeams(activity);
}

/**
 * Whether an activity comes from a personal (one-to-one) chat with the bot: Teams says `personal`; other channels
 * (the Emulator, the terminal chat) say nothing, and are one-to-one. A group chat or a channel is shared: everyone
 * in it sees the cards and may press their buttons, so the employee flows (link, unlink, status) never run there.
 */
export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  if (type === 'personal') return true;
  return type === undefined && !isTeams(activity);
}

/** The scope of the conversation an activity comes from. */
export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const type = activity.conversation?.conversationType;
  return type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
}

/** The conversation to post to: a channel, not the thread of the message that asked. */
export function conversationIdOf(activity: Partial<Activity>): string {
  return channelConversationId(activity.conversation?.id ?? '');
}

/** The conversation reference to store, pointing at the conversation itself rather than at one message. */
export function referenceOf(activity: Partial<Activity>): Record<string, unknown> {
  const reference = TurnContext.getConversationReference(activity);
  delete reference.activityId;
  if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationIdOf(activity) };
  return boundedReference(JSON.parse(JSON.stringify(reference)) as Record<string, unknown>);
}

/** The reference of the very message an activity is (its `activityId` kept), as the sign-in link returns to it. */
export function messageReferenceOf(activity: Partial<Activity>): Record<string, unknown> {
  return TurnContext.getConversationReference(activity) as Record<string, unknown>;
}

/** The team and channel of a channel conversation, as Teams names them (names trimmed; blank names left out). */
export function teamChannelOf(activity: Partial<Activity>): { teamId?: string; teamName?: string; channelName?: string } {
  const { team, channel } = channelDataOf(activity);
  const teamId = typeof team?.id === 'string' ? team.id : undefined;
  const teamName = typeof team?.name === 'string' && team.name.trim() !== '' ? team.name.trim() : undefined;
  const channelName = typeof channel?.name === 'string' && channel.name.trim() !== '' ? channel.name.trim() : activity.conversation?.name || undefined;
  return { ...(teamId ? { teamId } : {}), ...(teamName ? { teamName } : {}), ...(channelName ? { channelName } : {}) };
}

/** The person's IANA time zone as the client reports it (`localTimezone`), else UTC (an unknown name too). */
export function timeZoneOf(activity: Partial<Activity>): string {
  const zone = activity.localTimezone;
  return typeof zone === 'string' && zone !== '' && isTimeZone(zone) ? zone : 'UTC';
}

/** The people a message mentions, other than the bot itself. */
export function mentionsOf(activity: Partial<Activity>): Mention[] {
  return (activity.entities ?? [])
    .filter((e): e is Mention & { type: string } => e.type === 'mention' && typeof (e as Partial<Mention>).mentioned?.id === 'string')
    .filter((m) => m.mentioned.id !== activity.recipient?.id);
}
