import type { Activity, Attachment } from 'botbuilder';
import { mainMenuCard, teamMenuCard } from '../cards/index.js';
import type { Translate } from '../locales/translate.js';
import { isPersonalConversation } from './teams/activity.js';

/**
 * The menu that fits where the person is: the employee menu in a personal chat, the team menu in a channel or group
 * chat (where link, unlink and status could only answer "open a one-to-one chat").
 */
export function menuCardFor(activity: Partial<Activity>, t: Translate, opts: { greeting?: boolean } = {}): Attachment {
  if (isPersonalConversation(activity)) return mainMenuCard(t, opts);
  return teamMenuCard(t, { ...opts, botId: activity.recipient?.id ?? '' });
}
