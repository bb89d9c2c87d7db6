import type { CardAction } from '../cards/actions.js';
import type { Locale } from '../locales/locale.js';
import type { AccountKind } from '../rules/index.js';
import { recognizeAdminCommand, type AdminCommand } from './adminCommands.js';
import { recognizeAlertCommand, type AlertCommand } from './alertCommands.js';

/** What a person asked for, whether they typed it or pressed a button. */
export type Intent =
  | { readonly kind: 'help' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'choose-language' }
  | { readonly kind: 'set-language'; readonly locale: Locale }
  /** Link an account; `another`: of that kind, asking for a new account id at once ("Use another MCID"). */
  | { readonly kind: 'link'; readonly another?: AccountKind }
  | { readonly kind: 'unlink' }
  | { readonly kind: 'status' }
  | { readonly kind: 'faq' }
  | { readonly kind: 'faq-feedback'; readonly topic: string; readonly helpful: boolean }
  | { readonly kind: 'faq-show'; readonly topic: string; readonly locale: Locale }
  | { readonly kind: 'unknown'; readonly text: string }
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

/** The card payloads that answer a step of a flow. */
export type FlowAnswer = Extract<CardAction, { action: 'link.kind' | 'link.move' | 'link.account' | 'unlink.confirm' }>;

/** Lower-cases, removes accents and punctuation, and folds white space, so "Aide !" reads as "aide". */
export function normalizeCommand(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/<at>.*?<\/at>/g, ' ') // Teams puts the bot's @mention in channel messages
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Command phrases per intent, already normalized (no accents, lower case). A message is a command when
 * it is one of these phrases exactly; longer sentences are questions for the FAQ.
 */
const COMMANDS: ReadonlyArray<readonly [Intent['kind'], readonly string[]]> = [
  ['help', ['help', 'menu', 'start', 'hi', 'hello', 'aide', 'menu principal', 'bonjour', 'salut', '帮助', '菜单', '你好', '开始']],
  ['cancel', ['cancel', 'stop', 'quit', 'never mind', 'nevermind', 'annuler', 'arreter', 'abandonner', 'laisse tomber', '取消', '停止', '退出', '算了', '不用了']],
  ['choose-language', ['language', 'change language', 'langue', 'changer de langue', '语言', '切换语言', '更改语言']],
  ['link', [
    'link', 'link my mcid', 'link my account', 'link an account', 'link my learn account', 'link my microsoft learn account',
    'link my certifications', 'link my partner university account', 'associate', 'associate my mcid', 'associate my account',
    'connect my mcid', 'lier', 'associer', 'associer mon mcid', 'associer mon compte', 'associer mon compte learn',
    'associer mon compte microsoft learn', 'associer mon compte partner university', 'lier mon mcid', 'lier mon compte',
    'lier un compte', 'lier mon compte learn', 'relier mon mcid', '关联', '关联我的 mcid', '关联我的mcid', '关联账户', '关联帐户',
    '关联我的帐户', '关联我的账户', '关联 mcid', '关联mcid', '关联我的 learn 帐户', '关联合作伙伴大学帐户', '绑定 mcid', '绑定mcid', '绑定我的 mcid',
  ]],
  ['unlink', [
    'unlink', 'unlink my mcid', 'unlink my account', 'unlink an account', 'remove my mcid', 'disconnect my mcid', 'dissociate',
    'dissocier', 'dissocier mon mcid', 'dissocier mon compte', 'dissocier un compte', 'delier', 'delier mon mcid', 'supprimer mon association',
    '取消关联', '解除关联', '取消关联我的 mcid', '取消关联我的mcid', '解除关联我的 mcid', '解除关联我的mcid', '解绑', '解绑 mcid', '解绑mcid',
  ]],
  ['status', [
    'status', 'my status', 'show my status', 'when can i link again', 'when can i link', 'when can i associate again',
    'when can i link my mcid again', 'next link date', 'statut', 'mon statut', 'mon etat', 'quand puis je associer',
    'quand puis je lier', 'quand puis je lier a nouveau', 'quand puis je associer a nouveau', 'quand puis je de nouveau lier un compte',
    'quand puis je de nouveau associer mon mcid', 'quand puis je relier mon mcid', 'quand pourrai je lier a nouveau', 'quand pourrai je associer a nouveau',
    '状态', '我的状态', '查看状态', '什么时候可以再关联', '什么时候可以再次关联', '什么时候能再关联', '我什么时候可以再关联', '我什么时候可以再次关联', '下次关联时间',
  ]],
  ['faq', ['faq', 'questions', 'foire aux questions', 'questions frequentes', '常见问题', '问题']],
];

const LOOKUP = new Map<string, Intent['kind']>(COMMANDS.flatMap(([kind, phrases]) => phrases.map((p) => [p, kind] as const)));

/** "When can I link again?" asked in other words: the person's own next date, which the status answers. */
const ASKS_NEXT_LINK_DATE: readonly RegExp[] = [
  /^when (can|may|will) i (be able to )?(re ?link|link|associate)( my (mcid|account|learn account))?( again)?$/,
  /^(quand|a partir de quand) (puis je|pourrai je|est ce que je peux|est ce que je pourrai) (de nouveau |a nouveau )?(re)?(lier|associer)( de nouveau| a nouveau)?( mon (mcid|compte( learn)?))?( de nouveau| a nouveau)?$/,
  /^我?(什么时候|何时)(可以|能|才能)(再|再次|重新)关联(我的)? ?(mcid|帐户|账户)?$/,
];

/** Recognizes the commands of the main menu typed in any of the three languages. */
export function recognizeText(text: string): Intent {
  const admin = recognizeAdminCommand(text);
  if (admin) return { kind: 'admin', command: admin };
  const alerts = recognizeAlertCommand(text);
  if (alerts) return { kind: 'alerts', command: alerts };
  const normalized = normalizeCommand(text);
  const kind = LOOKUP.get(normalized) ?? (ASKS_NEXT_LINK_DATE.some((pattern) => pattern.test(normalized)) ? 'status' : undefined);
  switch (kind) {
    case 'help':
    case 'cancel':
    case 'choose-language':
    case 'link':
    case 'unlink':
    case 'status':
    case 'faq':
      return { kind };
    default:
      return { kind: 'unknown', text };
  }
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
      return { kind: 'faq-feedback', topic: action.topic, helpful: action.helpful };
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
