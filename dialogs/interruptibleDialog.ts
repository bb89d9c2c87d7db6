import type { TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, DialogTurnStatus, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { languagePickerCard, mainMenuCard } from '../cards/index.js';
import type { CardLocale } from '../cards/employee.js';
import { LOCALE_NAMES, type Locale } from '../locales/locale.js';
import type { AssociationService } from '../services/associations/associations.js';
import type { LinkReminderService } from '../services/associations/linkReminders.js';
import type { SignInLinks } from '../services/signin/links.js';
import { identityOf, isOutsideTeams, timeZoneOf } from './teams/activity.js';
import type { Actor } from '../services/actor.js';
import type { Preferences } from './preferences.js';
import { accountKindNamed, yesNo } from './recognizers/answerWords.js';
import type { Intent } from './recognizers/intents.js';
import { setTurnIntent, turnIntent } from './turnIntent.js';
import { setTurnLanguage, turnLanguage, type TurnLanguage } from './turnLanguage.js';

/** What the employee flows (link, unlink, status) need from the composition root. */
export interface EmployeeFlowDeps {
  readonly associations: AssociationService;
  readonly signInLinks: SignInLinks;
  readonly preferences: Preferences;
  readonly languageFor: (locale: Locale) => TurnLanguage;
  /** Organization of people who talk to the bot outside Teams. */
  readonly defaultTenantId: string;
  readonly clock: () => Date;
  /** A fresh token for a confirmation card (replay protection). */
  readonly newNonce: () => string;
  /** Identities from Teams only (the bot is authenticated); otherwise also the channel's user id (local development). */
  readonly teamsOnly?: boolean;
  /** The organization's name, when a Global admin set one: shown instead of the tenant id. */
  readonly organizationName?: (tenantId: string) => Promise<string | undefined>;
  /** "Remind me when I can link again", when the bot can post reminders. */
  readonly reminders?: LinkReminderService;
  /** Answers a question (or small talk) typed at a prompt, without leaving the flow; the main dialog provides it. */
  readonly answer?: (context: TurnContext, intent: Extract<Intent, { kind: 'question' | 'small-talk' }>) => Promise<void>;
}

/** How sure a reading must be to interrupt a prompt with an answer (a prompt expects an answer, not a question). */
const MID_FLOW_CONFIDENCE = 0.6;

/** The result a flow ends with when the person asked for something else: the main dialog dispatches this turn again. */
const REDISPATCH = Object.freeze({ redispatch: true as const });

/** Whether a dialog result asks the main dialog to dispatch the turn's intent afresh. */
export function isRedispatch(result: unknown): boolean {
  return typeof result === 'object' && result !== null && (result as { redispatch?: unknown }).redispatch === true;
}

/**
 * The base of every employee flow: at any step, "cancel" stops it, "help" explains the step and asks again, a
 * language change restarts the flow in the new language, and any other command ends it so that the main dialog
 * runs that command instead.
 */
export abstract class InterruptibleDialog extends ComponentDialog {
  /** The `employee:` key of the one-line help shown when the person asks for help in the middle of this flow; none: show the menu. */
  protected readonly helpKey: string | undefined = undefined;

  constructor(
    id: string,
    protected readonly deps: EmployeeFlowDeps,
  ) {
    super(id);
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return (await this.interrupt(innerDc)) ?? super.onContinueDialog(innerDc);
  }

  private async interrupt(innerDc: DialogContext): Promise<DialogTurnResult | undefined> {
    const intent = turnIntent(innerDc.context);
    const { context } = innerDc;
    const { t, locale } = turnLanguage(context);
    // Typed text is scored against what the step expects first: "yes", "Partner University" or an MCID answer it,
    // whatever else they might also read as.
    const typed = context.activity.value === undefined ? context.activity.text : undefined;
    if (typeof typed === 'string' && isStepAnswer(typed)) {
      setTurnIntent(context, { kind: 'unknown', text: typed });
      return undefined;
    }
    switch (intent?.kind) {
      case 'cancel':
        await context.sendActivity({ text: t('employee:flow.cancelled'), attachments: [mainMenuCard(t)] });
        return innerDc.cancelAllDialogs();
      case 'help':
        if (this.helpKey === undefined) return this.redispatch(innerDc);
        await context.sendActivity(t(`employee:${this.helpKey}`));
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'choose-language':
        await context.sendActivity({ attachments: [languagePickerCard(t, locale)] });
        return Dialog.EndOfTurn;
      case 'set-language': {
        await this.deps.preferences.setLocale(context, intent.locale);
        const language = this.deps.languageFor(intent.locale);
        setTurnLanguage(context, language);
        await context.sendActivity(language.t('languageChanged', { language: LOCALE_NAMES[intent.locale] }));
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(this.initialDialogId);
      }
      case 'question':
      case 'small-talk':
        // A question asked at a prompt is answered, and the prompt asked again; the flow goes on. A weak reading is
        // left to the step, which asks again in its own words.
        if (!this.deps.answer || intent.score < MID_FLOW_CONFIDENCE) {
          setTurnIntent(context, { kind: 'unknown', text: typed ?? '' });
          return undefined;
        }
        await this.deps.answer(context, intent);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'clarify':
        // Two readings and neither sure: at a prompt that is an answer the step did not expect; it asks again.
        setTurnIntent(context, { kind: 'unknown', text: typed ?? '' });
        return undefined;
      case 'unknown':
      case 'flow-answer':
      case undefined:
        // Typed text and flow buttons are answers for the step that is waiting.
        return undefined;
      default:
        // Any other command (link, unlink, status, FAQ, …) replaces this flow.
        return this.redispatch(innerDc);
    }
  }

  private async redispatch(innerDc: DialogContext): Promise<DialogTurnResult> {
    await innerDc.cancelAllDialogs();
    return { status: DialogTurnStatus.complete, result: REDISPATCH };
  }

  /** Who is speaking, from the activity only; says so and returns undefined when the activity does not tell. */
  protected async identify(context: TurnContext): Promise<Actor | undefined> {
    const identity = identityOf(context.activity, this.deps.defaultTenantId, this.deps.teamsOnly);
    if (!identity) {
      const { t } = turnLanguage(context);
      await context.sendActivity(isOutsideTeams(context.activity, this.deps.teamsOnly ?? false) ? t('teamsOnly') : t('employee:flow.noIdentity'));
    }
    return identity;
  }

  /** The person's language and time zone, for the cards. */
  protected cardLocale(context: TurnContext): CardLocale {
    return { t: turnLanguage(context).t, timeZone: timeZoneOf(context.activity) };
  }
}

/** Whether typed text answers a flow's step as it stands: yes/no, an account kind, or something shaped like an account id. */
export function isStepAnswer(text: string): boolean {
  const trimmed = text.trim();
  if (yesNo(trimmed) !== undefined || accountKindNamed(trimmed) !== undefined) return true;
  // An MCID typed alone (one word with a digit, or digits in groups) or an e-mail address typed alone.
  const id = /^[\d\s]{4,40}$/.test(trimmed) ? trimmed.replace(/\s+/g, '') : trimmed;
  return (/^[A-Za-z0-9-]{4,40}$/.test(id) && /\d/.test(id)) || /^[^\s@]{1,64}@[^\s@]{1,255}$/.test(trimmed);
}
