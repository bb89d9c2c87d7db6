import type { TurnContext } from 'botbuilder';
import type { Locale } from '../locales/locale.js';
import type { Translate } from '../locales/translate.js';

/** The language decided for this turn, and its translator. */
export interface TurnLanguage {
  readonly locale: Locale;
  readonly t: Translate;
}

const TURN_LANGUAGE = Symbol('turnLanguage');

/** Records the turn's language; called once per turn by the locale middleware (and again if the person switches). */
export function setTurnLanguage(context: TurnContext, language: TurnLanguage): void {
  context.turnState.set(TURN_LANGUAGE, language);
}

/** The language of this turn; throws if the locale middleware did not run, which is a wiring bug. */
export function turnLanguage(context: TurnContext): TurnLanguage {
  const language = context.turnState.get(TURN_LANGUAGE) as TurnLanguage | undefined;
  if (!language) throw new Error('turnLanguage: the locale middleware has not run for this turn');
  return language;
}
