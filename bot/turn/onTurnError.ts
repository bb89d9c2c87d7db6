import type { ConversationState, TurnContext } from 'botbuilder';
import { resolveTurnLocale } from '../../locales/resolveLocale.js';
import type { Locale } from '../../locales/locale.js';
import type { TurnLanguage } from '../../dialogs/turnLanguage.js';
import type { Logger } from '../logger.js';

/**
 * The one handler for the unexpected: logs with conversation and activity ids, apologises in the
 * person's language and clears the conversation state so the next message starts clean.
 */
export function createOnTurnError(deps: {
  logger: Logger;
  conversationState: ConversationState;
  languageFor: (locale: Locale) => TurnLanguage;
}) {
  return async (context: TurnContext, error: Error): Promise<void> => {
    const { activity } = context;
    deps.logger.error(
      { err: error, conversationId: activity.conversation?.id, activityId: activity.id, activityType: activity.type },
      'unhandled error in turn',
    );
    try {
      await deps.conversationState.delete(context);
      await deps.conversationState.saveChanges(context, true);
    } catch (stateError) {
      deps.logger.error({ err: stateError, conversationId: activity.conversation?.id }, 'could not clear conversation state');
    }
    if (activity.type !== 'message' && activity.type !== 'invoke') return;
    try {
      // The locale middleware may be what failed, so decide the language again from the activity alone.
      const { t } = deps.languageFor(resolveTurnLocale(undefined, activity.locale));
      await context.sendActivity(t('errors.turn'));
    } catch (sendError) {
      deps.logger.error({ err: sendError, conversationId: activity.conversation?.id }, 'could not send the apology');
    }
  };
}
