import { randomBytes, randomUUID } from 'node:crypto';
import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationServiceClientCredentialFactory,
  type BotAdapter,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { prepareCards } from '../cards/index.js';
import type { i18n } from 'i18next';
import { AdminCommands } from '../dialogs/commands/admin/router.js';
import { AlertCommands } from '../dialogs/commands/alerts.js';
import type { NoticeSender } from '../dialogs/noticeSender.js';
import type { RosterLookup } from '../dialogs/commands/admin/rosterLookup.js';
import { MainDialog } from '../dialogs/mainDialog.js';
import type { Recognizer } from '../understanding/index.js';
import type { Preferences } from '../dialogs/preferences.js';
import type { TurnLanguage } from '../dialogs/turnLanguage.js';
import type { Locale } from '../locales/locale.js';
import { defaultPolicy, type Policy } from '../rules/index.js';
import { createAdminServices, type AdminServices } from '../services/admin/services.js';
import type { OnOrganizationChanged } from '../services/organizationEvents.js';
import { AlertEvaluation } from '../services/alerts/evaluation.js';
import { AlertSubscriptions } from '../services/alerts/subscriptions.js';
import { AssociationService } from '../services/associations/associations.js';
import { ConversationReferenceService } from '../services/outbox/conversationReferences.js';
import type { DispatcherOptions, ProactiveSender } from '../services/outbox/dispatcher.js';
import type { Timer } from '../services/timer.js';
import { NoticeOutbox } from '../services/outbox/outbox.js';
import { FaqService } from '../services/faq/index.js';
import { requirementNameIn } from '../services/admin/requirements.js';
import type { SignInLinks } from '../services/signin/links.js';
import type { Ledger } from '../storage/index.js';
import { translatorsOf } from '../locales/translate.js';
import { TeamsRoster } from './admin/teamsRoster.js';
import { AlertWorker } from './proactive/alertWorker.js';
import { LinkReminderWorker } from './proactive/linkReminderWorker.js';
import { LinkReminderService } from '../services/associations/linkReminders.js';
import { AssistantBot } from './turn/assistantBot.js';
import { OptimisticConversationState } from './turn/optimisticState.js';
import { SnapshotUserState } from './turn/userState.js';
import { CachingBotFrameworkAuthentication } from './turn/connectorCache.js';
import type { AppConfig } from './config.js';
import { localeMiddleware } from './turn/localeMiddleware.js';
import { textBoundMiddleware } from './turn/textBound.js';
import type { Logger } from './logger.js';
import { createOnTurnError } from './turn/onTurnError.js';
import { outboxNoticeSender } from './proactive/notices.js';
import { adapterProactiveSender, CloudProactiveSender } from './proactive/proactive.js';

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
  /** Makes the link on the link card that starts the sign-in (services/signin/tickets.ts; README, "Sign-in that completes a link"). */
  readonly signInLinks: SignInLinks;
  /** New record ids and card nonces (default: random UUIDs); tests may pass a sequence. */
  readonly newId?: () => string;
  /** Reads typed text (default: the recognizer over the committed model, understanding/model.json). */
  readonly recognizer?: Recognizer;
  /** Resolves the people admins mention or name by e-mail (default: the Teams roster); tests pass a double. */
  readonly roster?: RosterLookup;
  /** Sends admin reminders, private views and link reminders (default: the outbox, or the adapter when there is no dispatcher). */
  readonly proactive?: NoticeSender;
  /** Also called after every change that can move a competency's status (unlink, link, move, deletion, import, requirements). */
  readonly onOrganizationChanged?: OnOrganizationChanged;
  /** Secret of the skills-report links (default: `REPORT_SECRET`, else a random one for this process). */
  readonly reportSecret?: string;
  /** Sends what the outbox delivers, alerts and notices, one request per call (default with a CloudAdapter: its proactive API). */
  readonly alertSender?: ProactiveSender;
  /** Scheduling time of the alert dispatcher and the daily sweep (default: the process clock). */
  readonly timer?: Timer;
  /** Alert dispatcher tunables (tests shorten the back-off). */
  readonly alertDispatcher?: DispatcherOptions;
  /** This instance's id in the sending leases (default: random per process start); tests name their instances. */
  readonly alertOwner?: string;
}

/** The assembled bot: the adapter with middleware attached, and the turn logic to run on it. */
export interface BotApp<A extends BotAdapter> {
  readonly adapter: A;
  readonly bot: AssistantBot;
  readonly logic: (context: TurnContext) => Promise<void>;
  /** The admin services, shared with the admin HTTP endpoint. */
  readonly admin: AdminServices;
  /** Competency alerts: `reevaluate(tenantId, cause)` after anything that can change a requirement's status. */
  readonly alerts: AlertEvaluation;
  /**
   * What a change outside the bot's own services (the sign-in completion) calls after it commits: processes the
   * organization's pending event (which that change staged in its transaction), if it is still pending.
   */
  readonly onOrganizationChanged: OnOrganizationChanged;
  /** The alert dispatcher and daily sweep; start it after the server, stop it before closing the stores. */
  readonly alertWorker?: AlertWorker;
  /** Sends the link reminders people asked for; start it after the server, stop it before closing the stores. */
  readonly reminderWorker?: LinkReminderWorker;
  /** The outbox of notices (sign-in outcomes, admin reminders, link reminders), when there is a dispatcher. */
  readonly notices?: NoticeOutbox;
}

/** Where the adapter fetches the Bot Framework signing keys (tests point these at a local stand-in). */
export interface OpenIdMetadataUrls {
  readonly ToBotFromChannelOpenIdMetadataUrl?: string;
  readonly ToBotFromEmulatorOpenIdMetadataUrl?: string;
}

/** Builds the Bot Framework adapter for the configured credentials (none: no authentication). */
export function createCloudAdapter(config: AppConfig, metadata: OpenIdMetadataUrls = {}): CloudAdapter {
  const { appId, appPassword, appType, tenantId } = config.botAuth;
  // Naming any endpoint makes the SDK use only the endpoints named: the rest are the public cloud's own values.
  const endpoints =
    metadata.ToBotFromChannelOpenIdMetadataUrl || metadata.ToBotFromEmulatorOpenIdMetadataUrl
      ? {
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
          OAuthUrl: 'https://api.botframework.com',
          CallerId: CallerIdConstants.PublicAzureChannel,
          ...metadata,
        }
      : {};
  const settings = { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppType: appType, MicrosoftAppTenantId: tenantId, ...endpoints };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  return new CloudAdapter(new CachingBotFrameworkAuthentication(settings, credentials));
}

/** The one composition root: wires state, languages, dialogs and the activity handler onto an adapter. */
export function createBot<A extends BotAdapter>(config: AppConfig, env: BotEnvironment<A>): BotApp<A> {
  // The card templates are parsed here, once per process, not in the first turn or alert delivery.
  prepareCards();
  // Saved with the eTag it was read with, so that two turns answering one conversation never lose a dialog step.
  const conversationState = new OptimisticConversationState(env.stores.state);
  const userState = new SnapshotUserState(env.stores.state);
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
  const translate = translatorsOf(env.i18n);
  const languageFor = (locale: Locale): TurnLanguage => ({ locale, t: translate(locale) });

  const ledger = env.stores.ledger;
  const policy = env.policy ?? defaultPolicy;
  const clock = env.clock ?? (() => new Date());
  const newId = env.newId ?? (() => randomUUID());
  // The skills-report secret also keys the vote proofs (its own derived key): buttons stay valid across restarts.
  const secret = env.reportSecret ?? config.admin.reportSecret ?? randomBytes(32);
  const faq = new FaqService({ policy, ledger, clock, voteSecret: secret });

  // Competency alerts (README, "Competency alerts"): re-evaluation into the outbox, delivered by the worker outside every person's turn.
  let alertWorker: AlertWorker | undefined;
  // Alert commands are authorized like every admin command: by the people service's roles (bootstrap admins
  // included). The admin services are built below because they re-evaluate alerts; the call is made lazily.
  const people = { roleOf: (tenantId: string, personId: string) => admin.people.roleOf(tenantId, personId) };
  const alerts = new AlertEvaluation({ ledger, policy, clock, timerNow: env.timer && (() => env.timer!.now()), onEnqueued: (rows) => alertWorker?.dispatcher.enqueued(rows), people });
  const alertSender = env.alertSender ?? (env.adapter instanceof CloudAdapter ? new CloudProactiveSender(env.adapter, { appId: config.botAuth.appId }) : undefined);
  if (alertSender) {
    alertWorker = new AlertWorker({ ledger, alerts, sender: alertSender, i18n: env.i18n, logger: env.logger, clock, timer: env.timer, dispatcher: env.alertDispatcher, owner: env.alertOwner });
  }
  // Every committed change that can move a requirement's status left a pending event in its transaction: this
  // process handles it at once (another instance, or the next start, would find it otherwise).
  const onOrganizationChanged: OnOrganizationChanged = async (tenantId, cause) => {
    await alerts.processPendingChange(tenantId);
    await env.onOrganizationChanged?.(tenantId, cause);
  };
  const onHookError = (error: unknown): void =>
    env.logger.error({ err: (error as Error).message }, 'competency re-evaluation after a change failed');

  // Everything else the bot sends on its own is a notice in the same outbox, sent by the same dispatcher.
  const notices = alertWorker
    ? new NoticeOutbox({ ledger, clock, timerNow: env.timer && (() => env.timer!.now()), onEnqueued: (rows) => alertWorker?.dispatcher.enqueued(rows) })
    : undefined;
  // "Remind me when I can link again": stored, then handed to the outbox by the reminder worker when its date comes.
  const conversations = new ConversationReferenceService({ ledger, clock });
  const proactive = env.proactive ?? (notices ? outboxNoticeSender({ conversations, notices, newId }) : adapterProactiveSender(env.adapter, config.botAuth.appId, env.logger));
  const reminders = new LinkReminderService({ ledger, clock, onScheduled: (dueAt) => reminderWorker.nudge(dueAt) });
  const reminderWorker = new LinkReminderWorker({ reminders, sender: proactive, i18n: env.i18n, logger: env.logger, clock, timer: env.timer });
  const associations = new AssociationService({ ledger, policy, clock, onOrganizationChanged, onHookError });
  // An authenticated bot (MicrosoftAppId) takes identities from Teams only: elsewhere `from.id` is the client's choice.
  const teamsOnly = config.botAuth.appId !== undefined;
  const employee = {
    associations,
    signInLinks: env.signInLinks,
    defaultTenantId: config.defaultTenantId,
    clock,
    newNonce: newId,
    teamsOnly,
    // Read lazily: the admin services are built below.
    organizationName: (tenantId: string) => admin.organizations.name(tenantId),
    reminders,
  };

  const admin = createAdminServices({
    ledger,
    policy,
    clock,
    bootstrapAdmins: config.admin.bootstrapAdmins,
    onOrganizationChanged,
    onHookError,
    reportSecret: secret,
    publicBaseUrl: config.signIn.publicBaseUrl,
  });
  const adminCommands = new AdminCommands({
    ...admin,
    faq,
    roster: env.roster ?? new TeamsRoster(env.logger),
    proactive,
    personalConversations: (tenantId, personId) => conversations.personalReferences(tenantId, personId),
    reportLink: (tenantId, locale) => admin.reportLink(tenantId, locale),
    defaultTenantId: config.defaultTenantId,
    translatorFor: translate,
    newNonce: newId,
    teamsOnly,
  });

  const alertCommands = new AlertCommands({
    alerts: new AlertSubscriptions({ ledger, policy, clock, people }),
    defaultTenantId: config.defaultTenantId,
    languageFor,
    teamsOnly,
    requirementName: (tenantId, requirementId, locale, competency) => requirementNameIn(ledger, tenantId, requirementId, locale, competency),
  });
  const mainDialog = new MainDialog({ preferences, languageFor, faq, employee, admin: adminCommands, alerts: alertCommands, recognizer: env.recognizer });
  const bot = new AssistantBot({
    conversationState, userState, dialogState, mainDialog, logger: env.logger, conversations, defaultTenantId: config.defaultTenantId, teamsOnly,
    recognizeNewcomer: (context) => adminCommands.recognizeNewcomer(context),
  });

  env.adapter.use(textBoundMiddleware(), localeMiddleware(preferences, languageFor));
  env.adapter.onTurnError = createOnTurnError({ logger: env.logger, conversationState, languageFor });
  return { adapter: env.adapter, bot, logic: (context) => bot.run(context), admin, alerts, alertWorker, reminderWorker, onOrganizationChanged, notices };
}
