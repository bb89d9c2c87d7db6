import type { Attachment } from 'botbuilder';
import { formatNumber } from '../locales/formatNumber.js';
import { LOCALES, LOCALE_NAMES, type Locale } from '../locales/locale.js';
import type { CommonTranslate, Translate } from '../locales/translate.js';
import type { Button } from './actions.js';
import { formatAlertDate } from './alert.js';
import { prepareTemplates, renderCard } from './render.js';
import adminTemplate from './templates/adminCard.json' with { type: 'json' };
import alertTemplate from './templates/alert.json' with { type: 'json' };
import didYouMeanTemplate from './templates/didYouMean.json' with { type: 'json' };
import employeeTemplate from './templates/employeeCard.json' with { type: 'json' };
import faqAnswerTemplate from './templates/faqAnswer.json' with { type: 'json' };
import faqBrowserTemplate from './templates/faqBrowser.json' with { type: 'json' };
import faqFallbackTemplate from './templates/faqFallback.json' with { type: 'json' };
import faqNotHelpfulTemplate from './templates/faqNotHelpful.json' with { type: 'json' };
import languagePickerTemplate from './templates/languagePicker.json' with { type: 'json' };
import mainMenuTemplate from './templates/mainMenu.json' with { type: 'json' };
import noticeTemplate from './templates/notice.json' with { type: 'json' };
import requirementEditorTemplate from './templates/requirementEditor.json' with { type: 'json' };
import signInOutcomeTemplate from './templates/signInOutcome.json' with { type: 'json' };
import teamMenuTemplate from './templates/teamMenu.json' with { type: 'json' };

/** Every card template in cards/templates/ (a test holds this list to the folder). */
export const CARD_TEMPLATES: readonly object[] = [
  adminTemplate, alertTemplate, didYouMeanTemplate, employeeTemplate, faqAnswerTemplate, faqBrowserTemplate, faqFallbackTemplate,
  faqNotHelpfulTemplate, languagePickerTemplate, mainMenuTemplate, noticeTemplate, requirementEditorTemplate, signInOutcomeTemplate,
  teamMenuTemplate,
];

/**
 * Parses every card template once, at start, and loads each language's number and date formats (the first use of a
 * language's formats loads its data: milliseconds each): no turn or alert delivery pays for either.
 */
export function prepareCards(): void {
  prepareTemplates(CARD_TEMPLATES);
  for (const locale of LOCALES) {
    formatNumber(locale, 1_000);
    formatAlertDate(new Date(0), locale);
  }
}

interface MainMenuData {
  title: string;
  intro: string;
  hint: string;
  buttons: Button[];
}

interface LanguagePickerData {
  title: string;
  prompt: string;
  current: string;
  buttons: Button[];
}

interface NoticeData {
  title: string;
  text: string;
  buttons: Button[];
}

/** The main menu: a greeting (welcome) or a question (help), what the bot does, what one can type, and the buttons. */
export function mainMenuCard(t: Translate, opts: { greeting?: boolean } = {}): Attachment {
  const tr: CommonTranslate = t; // the same function, with key-checked calls
  const data: MainMenuData = {
    title: tr(opts.greeting ? 'welcome.title' : 'menu.title'),
    intro: tr('welcome.intro'),
    hint: tr('menu.hint'),
    buttons: [
      { label: tr('menu.link'), payload: { action: 'menu.link' } },
      { label: tr('menu.unlink'), payload: { action: 'menu.unlink' } },
      { label: tr('menu.status'), payload: { action: 'menu.status' } },
      { label: tr('menu.faq'), payload: { action: 'menu.faq' } },
      { label: tr('menu.language'), payload: { action: 'language.choose' } },
    ],
  };
  return renderCard(mainMenuTemplate, data);
}

/** The language picker: one button per language, each labelled in its own language so anyone can find theirs. */
export function languagePickerCard(t: Translate, current: Locale): Attachment {
  const tr: CommonTranslate = t;
  const data: LanguagePickerData = {
    title: tr('language.title'),
    prompt: tr('language.prompt'),
    current: tr('language.current', { language: LOCALE_NAMES[current] }),
    buttons: LOCALES.map((locale) => ({
      label: LOCALE_NAMES[locale],
      payload: { action: 'language.set', locale },
    })),
  };
  return renderCard(languagePickerTemplate, data);
}

/** A short titled message (coming soon, an error) with an optional button back to the main menu; text arrives translated. */
export function noticeCard(t: Translate, notice: { title: string; text: string; backToMenu?: boolean }): Attachment {
  const tr: CommonTranslate = t;
  const data: NoticeData = {
    title: notice.title,
    text: notice.text,
    buttons: notice.backToMenu ? [{ label: tr('menu.back'), payload: { action: 'menu.help' } }] : [],
  };
  return renderCard(noticeTemplate, data);
}

/**
 * The deep link that opens a person's one-to-one chat with the bot in Teams. `botId` is the bot's Teams id (`28:<app
 * id>`, the `recipient.id` of the activities it receives) or its bare app id; undefined when it is not one.
 */
export function personalChatLink(botId: string): string | undefined {
  const appId = botId.startsWith('28:') ? botId.slice(3) : botId;
  if (!/^[A-Za-z0-9-]{1,100}$/.test(appId)) return undefined;
  return `https://teams.microsoft.com/l/chat/0/0?users=28:${appId}`;
}

/**
 * The menu of a team or group chat: what makes sense where everyone reads (the FAQ, the channel's competency alerts,
 * the admin views, checked when pressed), and a button that opens one's personal chat for accounts and status.
 */
export function teamMenuCard(t: Translate, opts: { greeting?: boolean; botId: string }): Attachment {
  const tr: CommonTranslate = t;
  const chat = personalChatLink(opts.botId);
  return renderCard(teamMenuTemplate, {
    title: tr(opts.greeting ? 'teamMenu.greetingTitle' : 'teamMenu.title'),
    paragraphs: [tr('teamMenu.intro'), tr(chat ? 'teamMenu.personal' : 'teamMenu.personalNoLink')],
    adminsTitle: tr('teamMenu.adminsTitle'),
    adminsText: tr('teamMenu.adminsText'),
    adminButtons: [
      { label: tr('teamMenu.alertsOn'), payload: { action: 'alerts.on' } },
      { label: tr('teamMenu.alertsOff'), payload: { action: 'alerts.off' } },
      { label: tr('teamMenu.admin'), payload: { action: 'admin.open', view: 'menu' } },
    ] satisfies Button[],
    links: chat ? [{ label: tr('teamMenu.openChat'), url: chat }] : [],
    buttons: [
      { label: tr('menu.faq'), payload: { action: 'menu.faq' } },
      { label: tr('menu.language'), payload: { action: 'language.choose' } },
    ] satisfies Button[],
  });
}
