import type { Activity } from 'botbuilder';

/**
 * Whether an activity comes from a personal (one-to-one) chat with the bot: Teams says `personal`; other channels
 * (the Emulator, the terminal chat) say nothing, and are one-to-one. A group chat or a channel is shared: everyone
 * in it sees the cards and may press their buttons, so the employee flows (link, unlink, status) never run there.
 */
export function isPersonalConversation(activity: Partial<Activity>): boolean {
  const type = activity.conversation?.conversationType;
  if (type === 'personal') return true;
  return type === undefined && activity.channelId !== 'msteams';
}
