import type { CardAction } from '../../cards/actions.js';
import type { Locale } from '../../locales/locale.js';
import type { AccountKind } from '../../rules/index.js';
import { recognizeAdminCommand, type AdminCommand } from './adminCommand.js';
import { recognizeAlertCommand, type AlertCommand } from './alertCommand.js';
import { TOPIC_PREFIX, type Recognizer, type Understanding } from '../../understanding/index.js';
import { defaultRecognizer } from '../../understanding/defaultRecognizer.js';

/** What a person asked for, whether they typed it or pressed a button. */
export type Intent =
  | { readonly kind: 'help' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'choose-language' }
  | { readonly kind: 'set-language'; readonly locale: Locale }
  /**
   * Link an account; `another`: of that kind, asking for a new account id at once ("Use another MCID"); `mcid` when
   * the message gave one (it is used, not asked again).
   */
  | { readonly kind: 'link'; readonly another?: AccountKind; readonly mcid?: string }
  | { readonly kind: 'unlink' }
  | { readonly kind: 'status' }
  | { readonly kind: 'faq' }
  | { readonly kind: 'faq-feedback'; readonly topic: string; readonly helpful: boolean; readonly locale: Locale; readonly card: string; readonly proof: string }
  | { readonly kind: 'faq-show'; readonly topic: string; readonly locale: Locale }
  /**
   * Typed text that is no exact command: before the recognizer read it (as `recognizeText` returns it), or out of
   * scope (`understanding` tells the nearest topics).
   */
  | { readonly kind: 'unknown'; readonly text: string; readonly understanding?: Understanding }
  /** A question of the FAQ, answered in the language it is written in. */
  | { readonly kind: 'question'; readonly topic: string; readonly locale: Locale; readonly score: number }
  /** A greeting or thanks: a short answer and the menu. */
  | { readonly kind: 'small-talk'; readonly talk: 'greeting' | 'thanks'; readonly locale: Locale; readonly score: number }
  /** Two close readings: the person is asked which one they meant. */
  | { readonly kind: 'clarify'; readonly choices: readonly [ClarifyChoice, ClarifyChoice]; readonly locale: Locale }
  /** The comment typed under a 👎, about one answer in one language. */
  | { readonly kind: 'faq-comment'; readonly topic: string; readonly locale: Locale; readonly comment: string }
  /** "Who are my admins?": anyone may ask, to know whom to ask for a Partner Center user. */
  | { readonly kind: 'who-admins' }
  /** "Remind me when I can link again": private, like the other employee flows. */
  | { readonly kind: 'link-remind' }
  /** An admin command (typed or a button of an admin card); the role is checked when it runs. */
  | { readonly kind: 'admin'; readonly command: AdminCommand }
  /** An alert command ("alerts on", an alert card's buttons); the role is checked when it runs. */
  | { readonly kind: 'alerts'; readonly command: AlertCommand }
  /** A button that answers a step of a flow (link, unlink); only the flow waiting for it acts on it. */
  | { readonly kind: 'flow-answer'; readonly action: FlowAnswer };

/** One reading offered by a "Did you mean …?" card. */
export type ClarifyChoice = { readonly kind: 'flow'; readonly flow: 'link' | 'unlink' | 'status' } | { readonly kind: 'topic'; readonly topic: string };

/** The card payloads that answer a step of a flow. */
type FlowAnswer = Extract<CardAction, { action: 'link.kind' | 'link.move' | 'link.account' | 'unlink.confirm' }>;

/**
 * The typed commands that carry arguments (an admin command naming a person, an alert command), read exactly;
 * everything else is `unknown` until the recognizer reads it (see `routeText`).
 */
export function recognizeText(text: string): Intent {
  const admin = recognizeAdminCommand(text);
  if (admin) return { kind: 'admin', command: admin };
  const alerts = recognizeAlertCommand(text);
  if (alerts) return { kind: 'alerts', command: alerts };
  return { kind: 'unknown', text };
}

const ADMIN_VIEWS = new Set<string>(['menu', 'roles', 'pending-users', 'requirements', 'status', 'report', 'audit']);
const ALERT_COMMANDS = new Set<string>(['on', 'off', 'list']);

/** The flow or topic a clarifying choice stands for. */
function choiceOf(label: string): ClarifyChoice | undefined {
  if (label === 'link' || label === 'unlink' || label === 'status') return { kind: 'flow', flow: label };
  if (label.startsWith(TOPIC_PREFIX)) return { kind: 'topic', topic: label.slice(TOPIC_PREFIX.length) };
  return undefined;
}

/** Turns the recognizer's decision into what the bot does. */
function intentOf(understanding: Understanding, text: string): Intent {
  const { decision, entities, language } = understanding;
  if (decision.kind === 'clarify') {
    const [a, b] = decision.choices.map((c) => choiceOf(c.label));
    if (a && b) return { kind: 'clarify', choices: [a, b], locale: language };
    return { kind: 'unknown', text, understanding };
  }
  if (decision.kind === 'out-of-scope') return { kind: 'unknown', text, understanding };
  const { label } = decision;
  switch (label) {
    case 'link':
      return entities.mcid ? { kind: 'link', mcid: entities.mcid } : { kind: 'link' };
    case 'unlink':
    case 'status':
    case 'help':
    case 'cancel':
    case 'faq':
      return { kind: label };
    case 'language':
      return { kind: 'choose-language' };
    case 'greeting':
    case 'thanks':
      return { kind: 'small-talk', talk: label, locale: language, score: decision.score };
  }
  if (label.startsWith(TOPIC_PREFIX)) return { kind: 'question', topic: label.slice(TOPIC_PREFIX.length), locale: language, score: decision.score };
  const [family, name] = label.split(':') as [string, string];
  if (family === 'admin' && ADMIN_VIEWS.has(name)) return { kind: 'admin', command: { name } as AdminCommand };
  if (family === 'alerts' && ALERT_COMMANDS.has(name)) return { kind: 'alerts', command: { name } as AlertCommand };
  return { kind: 'unknown', text, understanding };
}

/**
 * Reads typed text: the exact commands first, then the recognizer (a flow, an FAQ topic, small talk, a question
 * between two readings, or out of scope). One call per turn; the turn's routing for anyone who needs it.
 */
export function routeText(text: string, personLocale: Locale, recognizer: Recognizer = defaultRecognizer()): Intent {
  const exact = recognizeText(text);
  if (exact.kind !== 'unknown') return exact;
  return understandText(text, personLocale, recognizer);
}

/**
 * The recognizer's reading of text that `recognizeText` already found no exact command in (its `unknown` intent):
 * the second half of `routeText`, so a turn does not run the command checks twice.
 */
export function understandText(text: string, personLocale: Locale, recognizer: Recognizer): Intent {
  return intentOf(recognizer.recognize(text, personLocale), text);
}

/** Maps a parsed card button to the same intent as typing its command. */
export function intentFromCardAction(action: CardAction): Intent {
  switch (action.action) {
    case 'menu.help':
      return { kind: 'help' };
    case 'menu.link':
      return { kind: 'link' };
    case 'menu.unlink':
      return { kind: 'unlink' };
    case 'menu.status':
      return { kind: 'status' };
    case 'menu.faq':
      return { kind: 'faq' };
    case 'language.choose':
      return { kind: 'choose-language' };
    case 'language.set':
      return { kind: 'set-language', locale: action.locale };
    case 'flow.cancel':
      return { kind: 'cancel' };
    case 'link.kind':
    case 'link.move':
    case 'link.account':
    case 'unlink.confirm':
      return { kind: 'flow-answer', action };
    case 'faq.feedback':
      return { kind: 'faq-feedback', topic: action.topic, helpful: action.helpful, locale: action.locale, card: action.card, proof: action.proof };
    case 'faq.show':
      return { kind: 'faq-show', topic: action.topic, locale: action.locale };
    case 'faq.comment':
      return { kind: 'faq-comment', topic: action.topic, locale: action.locale, comment: action.comment ?? '' };
    case 'people.admins':
      return { kind: 'who-admins' };
    case 'link.another':
      return { kind: 'link', another: action.kind };
    case 'link.remind':
      return { kind: 'link-remind' };
    case 'alerts.on':
      return { kind: 'alerts', command: { name: 'on' } };
    case 'alerts.off':
      return { kind: 'alerts', command: { name: 'off' } };
    case 'admin.requirement.edit':
      return { kind: 'admin', command: { name: 'requirement-edit', ...(action.requirement ? { requirementId: action.requirement } : {}) } };
    case 'admin.requirement.save':
      return {
        kind: 'admin',
        command: {
          name: 'requirement-save',
          form: {
            id: text(action.reqId),
            competency: text(action.reqCompetency),
            requiredPeople: text(action.reqRequired),
            codes: text(action.reqCodes),
            nameEn: text(action.reqNameEn),
            nameFr: text(action.reqNameFr),
            nameZh: text(action.reqNameZh),
            ...(action.editing ? { editing: action.editing } : {}),
          },
        },
      };
    case 'admin.requirement.remove':
      return { kind: 'admin', command: { name: 'requirement-remove', requirementId: action.requirement, confirmed: action.confirm } };
    case 'admin.open':
      return { kind: 'admin', command: { name: action.view } };
    case 'admin.remind':
      return { kind: 'admin', command: { name: 'remind', personId: action.personId } };
    case 'admin.deleteAccount.confirm':
      return { kind: 'admin', command: { name: 'delete-account-confirm', personId: action.personId, nonce: action.nonce } };
    case 'alert.ack':
      return { kind: 'alerts', command: { name: 'ack', alertId: action.alert } };
    case 'alert.status':
      return { kind: 'alerts', command: { name: 'status', requirementId: action.requirement } };
  }
}

/** A card input's value as text (Teams may send a number input as a number, and leaves out an empty one). */
function text(value: string | number | undefined): string {
  return value === undefined ? '' : String(value);
}
