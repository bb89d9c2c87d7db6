import type { Middleware, TurnContext } from 'botbuilder';
import { resolveTurnLocale } from '../../locales/resolveLocale.js';
import type { Locale } from '../../locales/locale.js';
import type { Preferences } from '../../dialogs/preferences.js';
import { setTurnLanguage, type TurnLanguage } from '../../dialogs/turnLanguage.js';

/** Decides the turn's language once: the person's stored choice, else the activity's locale, else English. */
export function localeMiddleware(preferences: Preferences, languageFor: (locale: Locale) => TurnLanguage): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const stored = await preferences.locale(context);
      setTurnLanguage(context, languageFor(resolveTurnLocale(stored, context.activity.locale)));
      await next();
    },
  };
}
