import type { CardAction } from '../cards/actions.js';
import type { Locale } from '../locales/locale.js';

/** What a person asked for, whether they typed it or pressed a button. */
export type Intent =
  | { readonly kind: 'help' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'choose-language' }
  | { readonly kind: 'set-language'; readonly locale: Locale }
  | { readonly kind: 'link' }
  | { readonly kind: 'unlink' }
  | { readonly kind: 'status' }
  | { readonly kind: 'faq' }
  | { readonly kind: 'faq-feedback'; readonly topic: string; readonly helpful: boolean }
  | { readonly kind: 'faq-show'; readonly topic: string; readonly locale: Locale }
  | { readonly kind: 'unknown'; readonly text: string };

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
  ['cancel', ['cancel', 'stop', 'quit', 'annuler', 'arreter', 'abandonner', '取消', '停止', '退出']],
  ['choose-language', ['language', 'change language', 'langue', 'changer de langue', '语言', '切换语言', '更改语言']],
  ['link', ['link', 'link my mcid', 'link my account', 'associate', 'lier', 'associer', 'associer mon mcid', 'associer mon compte', 'lier mon mcid', '关联', '关联我的 mcid', '关联我的mcid', '关联账户', '关联帐户']],
  ['unlink', ['unlink', 'unlink my mcid', 'remove my mcid', 'dissocier', 'dissocier mon mcid', 'delier', '取消关联', '解除关联', '取消关联我的 mcid']],
  ['status', ['status', 'my status', 'when can i link again', 'statut', 'mon statut', 'quand puis je associer', 'quand puis je lier', '状态', '我的状态', '什么时候可以再关联']],
  ['faq', ['faq', 'questions', 'foire aux questions', 'questions frequentes', '常见问题', '问题']],
];

const LOOKUP = new Map<string, Intent['kind']>(COMMANDS.flatMap(([kind, phrases]) => phrases.map((p) => [p, kind] as const)));

/** Recognizes the commands of the main menu typed in any of the three languages. */
export function recognizeText(text: string): Intent {
  const kind = LOOKUP.get(normalizeCommand(text));
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
    case 'faq.feedback':
      return { kind: 'faq-feedback', topic: action.topic, helpful: action.helpful };
    case 'faq.show':
      return { kind: 'faq-show', topic: action.topic, locale: action.locale };
  }
}
