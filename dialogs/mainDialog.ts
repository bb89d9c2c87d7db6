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
import { languagePickerCard, mainMenuCard, noticeCard } from '../cards/index.js';
import { LOCALE_NAMES, type Locale } from '../locales/locale.js';
import { DialogIds } from './dialogIds.js';
import type { Intent } from './intents.js';
import type { Preferences } from './preferences.js';
import { setTurnLanguage, turnLanguage, type TurnLanguage } from './turnLanguage.js';

/** What the main dialog needs from the composition root. */
export interface MainDialogDeps {
  readonly preferences: Preferences;
  /** Builds the translator for a language (the person may switch mid-turn). */
  readonly languageFor: (locale: Locale) => TurnLanguage;
}

const TURN_INTENT = Symbol('turnIntent');

/** The root of every conversation: routes what the person asked for to a reply or a child dialog. */
export class MainDialog extends ComponentDialog {
  constructor(private readonly deps: MainDialogDeps) {
    super(DialogIds.main);
    this.addDialog(new WaterfallDialog(DialogIds.mainWaterfall, [this.dispatchStep.bind(this)]));
    this.initialDialogId = DialogIds.mainWaterfall;
  }

  /** Runs one turn: an active flow continues, otherwise the intent is dispatched. */
  async run(context: TurnContext, dialogState: StatePropertyAccessor<DialogState>, intent: Intent): Promise<void> {
    context.turnState.set(TURN_INTENT, intent);
    const dialogs = new DialogSet(dialogState);
    dialogs.add(this);
    const dc = await dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      await dc.beginDialog(this.id);
    }
  }

  private async dispatchStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const intent = step.context.turnState.get(TURN_INTENT) as Intent;
    const context = step.context;
    const { t } = turnLanguage(context);
    switch (intent.kind) {
      case 'help':
        await context.sendActivity({ attachments: [mainMenuCard(t)] });
        break;
      case 'cancel':
        await context.sendActivity({ text: t('cancel.nothingToCancel'), attachments: [mainMenuCard(t)] });
        break;
      case 'choose-language':
        await context.sendActivity({ attachments: [languagePickerCard(t, turnLanguage(context).locale)] });
        break;
      case 'set-language':
        await this.setLanguage(context, intent.locale);
        break;
      case 'link':
      case 'unlink':
      case 'status':
      case 'faq':
      case 'faq-feedback':
        await context.sendActivity({ attachments: [comingSoon(t, intent.kind)] });
        break;
      case 'unknown':
        await context.sendActivity({ text: t('fallback.notUnderstood'), attachments: [mainMenuCard(t)] });
        break;
    }
    return step.endDialog();
  }

  private async setLanguage(context: TurnContext, locale: Locale): Promise<void> {
    await this.deps.preferences.setLocale(context, locale);
    const language = this.deps.languageFor(locale);
    setTurnLanguage(context, language);
    const { t } = language;
    await context.sendActivity({
      text: t('languageChanged', { language: LOCALE_NAMES[locale] }),
      attachments: [mainMenuCard(t)],
    });
  }
}

function comingSoon(t: TurnLanguage['t'], kind: 'link' | 'unlink' | 'status' | 'faq' | 'faq-feedback') {
  const feature = t(`feature.${kind === 'faq-feedback' ? 'faq' : kind}`);
  return noticeCard(t, { title: t('comingSoonTitle'), text: t('comingSoon', { feature }), backToMenu: true });
}
