/** The label of everything the bot does not cover. */
export const OUT_OF_SCOPE = 'out-of-scope';

/** The flows and commands a message can ask for (besides the admin and alert commands, `admin:*` and `alerts:*`). */
export const ACTION_LABELS = ['link', 'unlink', 'status', 'help', 'language', 'cancel', 'faq'] as const;

/** Small talk: answered in a line, with the menu. */
export const SMALL_TALK_LABELS = ['greeting', 'thanks'] as const;

/** The prefix of an FAQ topic's label (`topic:find-mcid`). */
export const TOPIC_PREFIX = 'topic:';

/** Which family a label belongs to. */
export function labelFamily(label: string): 'action' | 'admin' | 'alerts' | 'topic' | 'small-talk' | 'out-of-scope' {
  if (label === OUT_OF_SCOPE) return 'out-of-scope';
  if (label.startsWith(TOPIC_PREFIX)) return 'topic';
  if (label.startsWith('admin:')) return 'admin';
  if (label.startsWith('alerts:')) return 'alerts';
  if ((SMALL_TALK_LABELS as readonly string[]).includes(label)) return 'small-talk';
  return 'action';
}
