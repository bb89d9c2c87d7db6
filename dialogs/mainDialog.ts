import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  DialogSet,
  DialogTurnStatus,
  WaterfallDialog,
  type DialogState,
  type WaterfallStepContext,
  type DialogTurnResult,
} from 'botbuilder-dialogs';
import { didYouMeanCard, faqAnswerCard, faqBrowserCard, faqFallbackCard, faqNotHelpfulCard, type DidYouMeanChoice } from '../cards/faq.js';
import { languagePickerCard, mainMenuCard } from '../cards/index.js';
import { isTopicId, topicInfo, type FaqAnswer, type FaqService } from '../services/faq/index.js';
import type { Recognizer } from '../understanding/index.js';
import { defaultRecognizer } from '../understanding/defaultRecognizer.js';
import { LOCALE_NAMES, type Locale } from '../locales/locale.js';
import type { AdminCommands } from './commands/admin/router.js';
import type { AlertCommands } from './commands/alerts.js';
import { DialogIds } from './dialogIds.js';
import { understandText, type ClarifyChoice, type Intent } from './recognizers/intents.js';
import { isRedispatch, type EmployeeFlowDeps } from './interruptibleDialog.js';
import { LinkDialog } from './linkDialog.js';
import { StatusDialog } from './statusDialog.js';
import { setTurnIntent, turnIntent } from './turnIntent.js';
import { UnlinkDialog } from './unlinkDialog.js';
import type { Preferences } from './preferences.js';
import { setTurnLanguage, turnLanguage, type TurnLanguage } from './turnLanguage.js';
import { conversationIdOf, identityOf, isOutsideTeams, isPersonalConversation, referenceOf, timeZoneOf } from './teams/activity.js';
import { menuCardFor } from './menus.js';
import { reminderSetCard } from '../cards/employee.js';
import type { LinkReminderService } from '../services/associations/linkReminders.js';

/** What the main dialog needs from the composition root. */
export interface MainDialogDeps {
  readonly preferences: Preferences;
  /** Builds the translator for a language (the person may switch mid-turn). */
  readonly languageFor: (locale: Locale) => TurnLanguage;
  readonly faq: FaqService;
  /** Services of the employee flows (link, unlink, status). */
  readonly employee: Omit<EmployeeFlowDeps, 'preferences' | 'languageFor'>;
  /** The admin commands (dialogs/commands/admin/): roles, users, requirements, status, report, audit. */
  readonly admin: AdminCommands;
  /** The alert commands (dialogs/commands/alerts.ts): "alerts on/off", the list, and the alert cards' buttons. */
  readonly alerts: AlertCommands;
  /** Reads typed text into a scored intent (default: the committed model). */
  readonly recognizer?: Recognizer;
}

/** Link, unlink, status and their buttons: what concerns one person's accounts, done only in a personal chat. */
function isEmployeeFlow(intent: Intent): boolean {
  return intent.kind === 'link' || intent.kind === 'unlink' || intent.kind === 'status' || intent.kind === 'flow-answer' || intent.kind === 'link-remind';
}

/** A flow `route` asks to begin, with its options. */
interface FlowStart {
  readonly id: typeof DialogIds.link | typeof DialogIds.unlink | typeof DialogIds.status;
  readonly options?: object;
}

/** The intents that may begin a multi-turn flow; every other intent is answered within its turn. */
function startsFlow(intent: Intent): boolean {
  return intent.kind === 'link' || intent.kind === 'unlink' || intent.kind === 'status' || intent.kind === 'link-remind';
}

/** The root of every conversation: routes what the person asked for to a reply or a child dialog. */
export class MainDialog extends ComponentDialog {
  private readonly recognizer: Recognizer;

  constructor(private readonly deps: MainDialogDeps) {
    super(DialogIds.main);
    this.recognizer = deps.recognizer ?? defaultRecognizer();
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.dispatchStep.bind(this)]));
    const flowDeps: EmployeeFlowDeps = {
      ...deps.employee,
      preferences: deps.preferences,
      languageFor: deps.languageFor,
      answer: (context, intent) => this.answerTyped(context, intent),
    };
    this.addDialog(new LinkDialog(flowDeps));
    this.addDialog(new UnlinkDialog(flowDeps));
    this.addDialog(new StatusDialog(flowDeps));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  /** Runs one turn: an active flow continues, otherwise the intent is dispatched. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, intent: Intent): Promise<void> {
    // Typed text is read here, once, by the injected recognizer; a flow waiting for an answer sees the same reading.
    // An `unknown` intent comes from recognizeText, which has already looked for the exact commands.
    const read = intent.kind === 'unknown' && intent.understanding === undefined ? understandText(intent.text, turnLanguage(context).locale, this.recognizer) : intent;
    setTurnIntent(context, read);
    // With no flow waiting and none to start, the answer needs no dialog stack: routed directly, the turn neither
    // builds one nor changes conversation state (measured: 15 to 25 % less CPU on an FAQ or help turn).
    if (!startsFlow(read) && !(await dialogState.get(context))?.dialogStack?.length) {
      await this.route(context, read);
      return;
    }
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    // Only employee flows outlive a turn, and they are private: one found in a shared conversation (left from before
    // this check) is dropped, never continued, so nobody answers a card that shows someone else's accounts.
    if (!isPersonalConversation(context.activity) && dc.activeDialog !== undefined) await dc.cancelAllDialogs();
    const result = await dc.continueDialog();
    // A flow that ended because the person asked for something else hands this turn back for dispatch.
    if (result.status === DialogTurnStatus.empty || (result.status === DialogTurnStatus.complete && isRedispatch(result.result))) {
      await dc.beginDialog(this.id);
    }
  }

  private async dispatchStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const flow = await this.route(step.context, turnIntent(step.context)!);
    return flow ? step.beginDialog(flow.id, flow.options) : step.endDialog();
  }

  /** Answers what the person asked for, or names the flow to begin (only for intents where `startsFlow` holds). */
  private async route(context: TurnContext, intent: Intent): Promise<FlowStart | undefined> {
    const { t, locale } = turnLanguage(context);
    if (isEmployeeFlow(intent) && !isPersonalConversation(context.activity)) {
      // Accounts and status are private: said and shown only in the person's own chat with the bot.
      await context.sendActivity(t('employee:flow.personalOnly'));
      return undefined;
    }
    switch (intent.kind) {
      case 'help':
        await context.sendActivity({ attachments: [menuCardFor(context.activity, t)] });
        break;
      case 'cancel':
        await context.sendActivity({ text: t('cancel.nothingToCancel'), attachments: [menuCardFor(context.activity, t)] });
        break;
      case 'choose-language':
        await context.sendActivity({ attachments: [languagePickerCard(t, turnLanguage(context).locale)] });
        break;
      case 'set-language':
        await this.setLanguage(context, intent.locale);
        break;
      case 'link':
        return { id: DialogIds.link, options: intent.another ? { another: intent.another } : intent.mcid ? { mcid: intent.mcid } : undefined };
      case 'link-remind':
        // Without a way to post later, the status card states the date instead.
        if (!this.deps.employee.reminders) return { id: DialogIds.status };
        await this.remindLink(context, this.deps.employee.reminders);
        break;
      case 'who-admins':
        await this.deps.admin.showAdmins(context);
        break;
      case 'faq-comment':
        await this.recordComment(context, intent);
        break;
      case 'unlink':
        return { id: DialogIds.unlink };
      case 'status':
        return { id: DialogIds.status };
      case 'flow-answer':
        // A flow button with no flow waiting for it: a replayed submit or a card from a finished step.
        await context.sendActivity({ text: t('employee:flow.stale'), attachments: [mainMenuCard(t)] });
        break;
      case 'faq':
        await context.sendActivity({ attachments: [faqBrowserCard(t, { locale, topics: this.deps.faq.topics(locale) })] });
        break;
      case 'faq-show':
        if (isTopicId(intent.topic)) await this.showAnswer(context, this.deps.faq.answer(intent.topic, intent.locale));
        else await context.sendActivity({ text: t('errors.badAction'), attachments: [mainMenuCard(t)] });
        break;
      case 'faq-feedback':
        await this.recordFeedback(context, intent);
        break;
      case 'unknown':
      case 'question':
      case 'small-talk':
      case 'clarify':
        await this.answerTyped(context, intent);
        break;
      case 'admin':
        await this.deps.admin.handle(context, intent.command);
        break;
      case 'alerts':
        await this.deps.alerts.run(context, intent.command);
        break;
    }
    return undefined;
  }

  /**
   * Answers what was typed without starting a flow: an FAQ topic in the language of the question, small talk with the
   * menu, a "Did you mean …?" card, or the decline with the nearest topics. Flows call it for a question asked at
   * one of their prompts.
   */
  async answerTyped(context: TurnContext, intent: Extract<Intent, { kind: 'unknown' | 'question' | 'small-talk' | 'clarify' }>): Promise<void> {
    switch (intent.kind) {
      case 'question':
        if (isTopicId(intent.topic)) return this.showAnswer(context, this.deps.faq.answer(intent.topic, intent.locale));
        return this.decline(context, intent.locale, []);
      case 'small-talk': {
        const { t } = this.deps.languageFor(intent.locale);
        await context.sendActivity({ text: t(`smallTalk.${intent.talk}`), attachments: [mainMenuCard(t)] });
        return;
      }
      case 'clarify': {
        const { t } = this.deps.languageFor(intent.locale);
        const titles = this.deps.faq.topics(intent.locale);
        const choice = (c: ClarifyChoice): DidYouMeanChoice | undefined => {
          if (c.kind === 'flow') return c;
          const topic = titles.find((x) => x.topic === c.topic);
          return topic && { kind: 'topic', topic };
        };
        const [a, b] = intent.choices.map(choice);
        if (a && b) await context.sendActivity({ attachments: [didYouMeanCard(t, { locale: intent.locale, choices: [a, b] })] });
        else await this.decline(context, intent.locale, []);
        return;
      }
      case 'unknown': {
        const understanding = intent.understanding ?? this.recognizer.recognize(intent.text, turnLanguage(context).locale);
        const nearest = understanding.decision.kind === 'out-of-scope' ? understanding.decision.nearest : [];
        return this.decline(context, understanding.language, nearest);
      }
    }
  }

  /** The polite decline, in the language of the question, with the nearest topics and the support contacts. */
  private async decline(context: TurnContext, locale: Locale, nearest: readonly string[]): Promise<void> {
    const { t } = this.deps.languageFor(locale);
    const titles = this.deps.faq.topics(locale);
    const suggestions = nearest.flatMap((id) => titles.filter((x) => x.topic === id));
    await context.sendActivity({ attachments: [faqFallbackCard(t, { locale, suggestions, supportLinks: topicInfo('support').links })] });
  }

  /** Shows an answer with the card's buttons in the answer's language. */
  private async showAnswer(context: TurnContext, answer: FaqAnswer): Promise<void> {
    const { t } = this.deps.languageFor(answer.locale);
    // The feedback buttons prove the card was sent here, and carry its language: nothing is kept in conversation state.
    const vote = await this.deps.faq.voteTicket(conversationIdOf(context.activity), answer.topic, answer.locale);
    await context.sendActivity({ attachments: [faqAnswerCard(t, { ...answer, vote })] });
  }

  /** A vote on an answer card, by the person as every flow reads them (never from the card's data); the rule is the FAQ service's. */
  private async recordFeedback(context: TurnContext, vote: { topic: string; helpful: boolean; locale: Locale; card: string; proof: string }): Promise<void> {
    const { activity } = context;
    const { t } = turnLanguage(context);
    // An authenticated bot counts no vote from an identity a non-Teams client chose for itself.
    const { defaultTenantId, teamsOnly } = this.deps.employee;
    const voter = identityOf(activity, defaultTenantId, teamsOnly);
    if (!voter) {
      await context.sendActivity(isOutsideTeams(activity, teamsOnly ?? false) ? t('teamsOnly') : t('errors.badAction'));
      return;
    }
    const { topic, locale, helpful } = vote;
    const outcome = await this.deps.faq.recordFeedback({ conversationId: conversationIdOf(activity), voter, ticket: { card: vote.card, proof: vote.proof }, topic, locale, helpful });
    if (outcome.kind !== 'recorded') await context.sendActivity({ text: t('errors.badAction'), attachments: [mainMenuCard(t)] });
    else if (outcome.helpful) await context.sendActivity(t('faqCard.thanks'));
    else {
      // Not helpful: the nearest other answers, the support contacts, and a box to say what was missing.
      const { t: answerT } = this.deps.languageFor(locale);
      const card = faqNotHelpfulCard(answerT, { topic, locale, related: outcome.related, supportLinks: outcome.supportLinks });
      await context.sendActivity({ text: t('faqCard.thanks'), attachments: [card] });
    }
  }

  /** "Remind me on that date": schedules a reminder for the date the rules allow a new link (checked again now). */
  private async remindLink(context: TurnContext, reminders: LinkReminderService): Promise<void> {
    const { t, locale } = turnLanguage(context);
    const { defaultTenantId, teamsOnly, associations } = this.deps.employee;
    const person = identityOf(context.activity, defaultTenantId, teamsOnly);
    if (!person) {
      await context.sendActivity(isOutsideTeams(context.activity, teamsOnly ?? false) ? t('teamsOnly') : t('employee:flow.noIdentity'));
      return;
    }
    const check = await associations.checkLink({ ...person, kind: 'learn' });
    if (check.kind !== 'wait') {
      await context.sendActivity({ text: t('employee:reminder.notNeeded'), attachments: [mainMenuCard(t)] });
      return;
    }
    await reminders.schedule({ tenantId: person.tenantId, personId: person.personId, dueAt: check.until, locale, reference: referenceOf(context.activity) });
    await context.sendActivity({ attachments: [reminderSetCard({ t, timeZone: timeZoneOf(context.activity) }, check.until)] });
  }

  /** Stores the comment written under a 👎 for the admins of the person's organization. */
  private async recordComment(context: TurnContext, comment: { topic: string; locale: Locale; comment: string }): Promise<void> {
    const { t } = turnLanguage(context);
    const { defaultTenantId, teamsOnly } = this.deps.employee;
    const author = identityOf(context.activity, defaultTenantId, teamsOnly);
    if (!author) {
      await context.sendActivity(isOutsideTeams(context.activity, teamsOnly ?? false) ? t('teamsOnly') : t('errors.badAction'));
      return;
    }
    const outcome = await this.deps.faq.recordComment({ tenantId: author.tenantId, topic: comment.topic, locale: comment.locale, text: comment.comment });
    if (outcome === 'recorded') await context.sendActivity(t('faqCard.commentThanks'));
    else if (outcome === 'empty') await context.sendActivity(t('faqCard.commentEmpty'));
    else await context.sendActivity({ text: t('errors.badAction'), attachments: [menuCardFor(context.activity, t)] });
  }

  private async setLanguage(context: TurnContext, locale: Locale): Promise<void> {
    await this.deps.preferences.setLocale(context, locale);
    const language = this.deps.languageFor(locale);
    setTurnLanguage(context, language);
    const { t } = language;
    await context.sendActivity({
      text: t('languageChanged', { language: LOCALE_NAMES[locale] }),
      attachments: [menuCardFor(context.activity, t)],
    });
  }
}
