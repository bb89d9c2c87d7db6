import {
  TeamsActivityHandler,
  type ConversationState,
  type StatePropertyAccessor,
  type TurnContext,
  type UserState,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { parseCardAction } from '../../cards/actions.js';
import { mainMenuCard } from '../../cards/index.js';
import { menuCardFor } from '../../dialogs/menus.js';
import { intentFromCardAction, recognizeText, type Intent } from '../../dialogs/recognizers/intents.js';
import { isTeams } from '../../dialogs/teams/activity.js';
import type { MainDialog } from '../../dialogs/mainDialog.js';
import { turnLanguage } from '../../dialogs/turnLanguage.js';
import type { ConversationReferenceService } from '../../services/outbox/conversationReferences.js';
import type { Logger } from '../logger.js';
import { StateConflictError } from './optimisticState.js';
import { installedConversationOf } from '../proactive/proactive.js';

/** Collaborators of the activity handler, all supplied by `createBot`. */
export interface AssistantBotDeps {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  readonly dialogState: StatePropertyAccessor<DialogState>;
  readonly mainDialog: MainDialog;
  readonly logger: Logger;
  /** Stores where the bot may post proactively on install, and forgets it on uninstall (for the competency alerts). */
  readonly conversations?: ConversationReferenceService;
  /** Organization of people outside Teams. */
  readonly defaultTenantId?: string;
  /** Identities from Teams only (the bot is authenticated): installs elsewhere record no person. */
  readonly teamsOnly?: boolean;
  /** Recognises, before the turn is routed, a person an admin registered by e-mail address (first contact). */
  readonly recognizeNewcomer?: (context: TurnContext) => Promise<void>;
}

/** The Teams activity handler: greets on install and routes messages and card buttons to the main dialog. */
export class AssistantBot extends TeamsActivityHandler {
  constructor(private readonly deps: AssistantBotDeps) {
    super();

    this.onMessage(async (context, next) => {
      await deps.recognizeNewcomer?.(context);
      const intent = await this.intentOf(context);
      if (intent) await deps.mainDialog.run(context, deps.dialogState, intent);
      await next();
    });

    // Teams announces a new installation (personal or team) with installationUpdate, which carries the
    // locale; conversationUpdate does not, so in Teams we greet on installationUpdate only.
    this.onInstallationUpdateAdd(async (context, next) => {
      await this.rememberConversation(context);
      await this.greet(context);
      await next();
    });

    // 'remove' and 'remove-upgrade': the bot can no longer post there.
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forgetConversation(context);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      const botAdded = context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id);
      if (botAdded) await this.rememberConversation(context);
      if (botAdded && !isTeams(context.activity)) await this.greet(context);
      await next();
    });

    this.onMembersRemoved(async (context, next) => {
      if (context.activity.membersRemoved?.some((m) => m.id === context.activity.recipient.id)) await this.forgetConversation(context);
      await next();
    });
  }

  /**
   * Runs the turn, then saves conversation and user state once. When another turn of the conversation saved its
   * dialog step first (two instances, or two messages at the same moment), that step stands and this turn's is not
   * saved: its replies are already sent and its ledger changes committed, so running it again would repeat them.
   * The person is told, in their language, that their message crossed another one and to send it again if needed.
   */
  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    try {
      await this.deps.conversationState.saveChanges(context, false);
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      this.deps.logger.warn({ conversationId: context.activity.conversation?.id, activityId: context.activity.id }, 'dialog step not saved: another turn of the conversation saved first');
      if (context.activity.type === 'message') await context.sendActivity(turnLanguage(context).t('errors.crossed'));
    }
    await this.deps.userState.saveChanges(context, false);
  }

  /** Stores the conversation reference of an install (the Bot Framework conversation id, not the Graph team id). */
  private async rememberConversation(context: TurnContext): Promise<void> {
    const installed = installedConversationOf(context.activity, this.deps.defaultTenantId ?? '', this.deps.teamsOnly);
    if (installed && this.deps.conversations) await this.deps.conversations.remember(installed);
  }

  /** Forgets the conversation (a team's: all its channels) after an uninstall. */
  private async forgetConversation(context: TurnContext): Promise<void> {
    const installed = installedConversationOf(context.activity, this.deps.defaultTenantId ?? '', this.deps.teamsOnly);
    if (installed && this.deps.conversations) await this.deps.conversations.forget(installed);
  }

  private async greet(context: TurnContext): Promise<void> {
    const { t } = turnLanguage(context);
    // A team gets the team menu: the employee menu's buttons would only say "open a one-to-one chat" there.
    await context.sendActivity({ attachments: [menuCardFor(context.activity, t, { greeting: true })] });
  }

  /** Reads a typed command or a card button; a malformed button gets a polite answer and no intent. */
  private async intentOf(context: TurnContext): Promise<Intent | undefined> {
    const { activity } = context;
    const hasText = typeof activity.text === 'string' && activity.text.trim() !== '';
    if (activity.value !== undefined && !hasText) {
      const parsed = parseCardAction(activity.value);
      if (parsed.ok) return intentFromCardAction(parsed.action);
      this.deps.logger.warn(
        { conversationId: activity.conversation.id, activityId: activity.id, problem: parsed.error },
        'card action refused',
      );
      const { t } = turnLanguage(context);
      await context.sendActivity({ text: t('errors.badAction'), attachments: [mainMenuCard(t)] });
      return undefined;
    }
    if (!hasText) {
      const { t } = turnLanguage(context);
      await context.sendActivity({ text: t('errors.textOnly'), attachments: [mainMenuCard(t)] });
      return undefined;
    }
    return recognizeText(activity.text);
  }
}
