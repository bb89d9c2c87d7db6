import type { TurnContext } from 'botbuilder';
import type { Intent } from './recognizers/intents.js';

const TURN_INTENT = Symbol('turnIntent');

/** Records what the person asked for in this turn, read once from the activity by the activity handler. */
export function setTurnIntent(context: TurnContext, intent: Intent): void {
  context.turnState.set(TURN_INTENT, intent);
}

/** What the person asked for in this turn (typed or clicked), or undefined outside a message turn. */
export function turnIntent(context: TurnContext): Intent | undefined {
  return context.turnState.get(TURN_INTENT) as Intent | undefined;
}
