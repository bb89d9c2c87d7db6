import type { TurnContext } from 'botbuilder';
import type { Locale } from '../locales/locale.js';

/** A person's saved choices, kept in user state so they survive restarts. */
export interface Preferences {
  /** The language the person chose, if they ever chose one. */
  locale(context: TurnContext): Promise<Locale | undefined>;
  /** Saves the person's language choice. */
  setLocale(context: TurnContext, locale: Locale): Promise<void>;
}
