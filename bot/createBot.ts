import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  ConversationState,
  UserState,
  type BotAdapter,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import type { i18n } from 'i18next';
import { MainDialog } from '../dialogs/mainDialog.js';
import type { Preferences } from '../dialogs/preferences.js';
import type { TurnLanguage } from '../dialogs/turnLanguage.js';
import type { Locale } from '../locales/locale.js';
import { defaultPolicy, type Policy } from '../rules/index.js';
import { FaqService } from '../services/faq/index.js';
import type { Ledger } from '../storage/index.js';
import { translatorFor } from '../locales/translate.js';
import { AssistantBot } from './assistantBot.js';
import type { AppConfig } from './config.js';
import { localeMiddleware } from './localeMiddleware.js';
import type { Logger } from './logger.js';
import { createOnTurnError } from './onTurnError.js';

/** Everything the bot keeps: the organization's ledger, and hot conversation and user state. */
export interface BotStores {
  readonly ledger: Ledger;
  /** Dialog and user state (botbuilder `Storage`), kept apart from the ledger. */
  readonly state: Storage;
}

/** Collaborators that `createBot` does not build itself. */
export interface BotEnvironment<A extends BotAdapter> {
  readonly stores: BotStores;
  readonly i18n: i18n;
  readonly logger: Logger;
  /** The adapter to attach to; tests pass a `TestAdapter`, the server a `CloudAdapter`. */
  readonly adapter: A;
  /** The rules' numbers; tests and deployments may change them (default: `defaultPolicy`). */
  readonly policy?: Policy;
  /** The current instant; tests pass a fixed clock. */
  readonly clock?: () => Date;
}

/** The assembled bot: the adapter with middleware attached, and the turn logic to run on it. */
export interface BotApp<A extends BotAdapter> {
  readonly adapter: A;
  readonly bot: AssistantBot;
  readonly logic: (context: TurnContext) => Promise<void>;
}

/** Builds the Bot Framework adapter for the configured credentials (none: no authentication). */
export function createCloudAdapter(config: AppConfig): CloudAdapter {
  const { appId, appPassword, appType, tenantId } = config.botAuth;
  const settings = { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppType: appType, MicrosoftAppTenantId: tenantId };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  return new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));
}

/** The one composition root: wires state, languages, dialogs and the activity handler onto an adapter. */
export function createBot<A extends BotAdapter>(config: AppConfig, env: BotEnvironment<A>): BotApp<A> {
  const conversationState = new ConversationState(env.stores.state);
  const userState = new UserState(env.stores.state);
  const dialogState = conversationState.createProperty<DialogState>('dialogState');
  const localeProperty = userState.createProperty<Locale | undefined>('locale');

  const preferences: Preferences = {
    locale: (context) => localeProperty.get(context),
    async setLocale(context, locale) {
      await localeProperty.set(context, locale);
      // Saved at once: the choice must survive even if the rest of the turn fails.
      await userState.saveChanges(context, false);
    },
  };
  const languages = new Map<Locale, TurnLanguage>();
  const languageFor = (locale: Locale): TurnLanguage => {
    let language = languages.get(locale);
    if (!language) {
      language = { locale, t: translatorFor(env.i18n, locale) };
      languages.set(locale, language);
    }
    return language;
  };

  const policy = env.policy ?? defaultPolicy;
  const clock = env.clock ?? (() => new Date());
  const faq = new FaqService({ policy, ledger: env.stores.ledger, clock });

  const mainDialog = new MainDialog({ preferences, languageFor, faq });
  const bot = new AssistantBot({ conversationState, userState, dialogState, mainDialog, logger: env.logger });

  env.adapter.use(localeMiddleware(preferences, languageFor));
  env.adapter.onTurnError = createOnTurnError({ logger: env.logger, conversationState, languageFor });
  void config;
  return { adapter: env.adapter, bot, logic: (context) => bot.run(context) };
}
