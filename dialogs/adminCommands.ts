/**
 * The admin commands typed in chat, in English, French and Chinese. A command may name a person by an @mention
 * (the mention itself is read from the activity's entities) or by an e-mail address / UPN.
 */
import type { Role } from '../rules/index.js';

/** Who a command is about, as typed. */
export type AdminTarget = { readonly kind: 'mention' } | { readonly kind: 'email'; readonly email: string } | { readonly kind: 'none' };

/** An admin command. */
export type AdminCommand =
  | { readonly name: 'menu' }
  | { readonly name: 'grant'; readonly role: Exclude<Role, 'member'>; readonly target: AdminTarget }
  | { readonly name: 'revoke'; readonly target: AdminTarget }
  | { readonly name: 'roles' }
  | { readonly name: 'add-user'; readonly target: AdminTarget }
  | { readonly name: 'pending-users' }
  | { readonly name: 'remind'; readonly personId: string }
  | { readonly name: 'delete-account'; readonly target: AdminTarget }
  | { readonly name: 'delete-account-confirm'; readonly personId: string; readonly nonce: string }
  | { readonly name: 'requirements' }
  | { readonly name: 'status' }
  | { readonly name: 'report' }
  | { readonly name: 'audit' };

type Phrase = readonly [AdminCommand['name'] | `grant:${Exclude<Role, 'member'>}`, readonly string[]];

/** Phrases, normalized and compared without spaces (Chinese has none, French elides). */
const PHRASES: readonly Phrase[] = [
  ['menu', ['admin', 'administration', 'admin menu', 'menu admin', 'menu administration', '管理', '管理员菜单', '管理菜单']],
  ['grant:global-admin', ['grant global admin', 'make global admin', 'accorder administrateur general', 'nommer administrateur general', '授予全局管理员', '设为全局管理员']],
  ['grant:partner-admin', ['grant partner admin', 'make partner admin', 'accorder administrateur partenaire', 'nommer administrateur partenaire', '授予合作伙伴管理员', '设为合作伙伴管理员']],
  ['grant:account-admin', ['grant account admin', 'make account admin', 'accorder administrateur de compte', 'nommer administrateur de compte', '授予帐户管理员', '授予账户管理员', '设为帐户管理员', '设为账户管理员']],
  ['revoke', ['remove role', 'revoke role', 'remove admin role', 'retirer le role', 'retirer role', 'revoquer le role', '撤销角色', '移除角色', '取消角色']],
  ['roles', ['roles', 'admins', 'list admins', 'administrateurs', 'liste des administrateurs', '角色', '管理员列表', '管理员']],
  ['add-user', ['add user', 'add partner center user', 'ajouter utilisateur', 'ajouter un utilisateur', 'ajouter l utilisateur', '添加用户', '添加合作伙伴中心用户']],
  ['pending-users', ['pending users', 'unlinked users', 'users not linked', 'utilisateurs en attente', 'utilisateurs non lies', 'utilisateurs non associes', 'users who have not linked', 'users who haven’t linked', 'users who have not linked yet', 'users who haven’t linked yet', '尚未关联的用户', '未关联用户', '待关联用户']],
  ['delete-account', ['delete account', 'delete user', 'supprimer le compte', 'supprimer compte', 'supprimer l utilisateur', '删除帐户', '删除账户', '删除用户']],
  ['requirements', ['requirements', 'competency requirements', 'exigences', 'exigences de competence', 'exigences des competences', '能力要求']],
  ['status', ['competency status', 'competencies', 'etat des competences', 'competences', '能力状态']],
  ['report', ['skills report', 'rapport de competences', 'rapport des competences', 'rapport des qualifications', '技能报告']],
  ['audit', ['audit', 'audit log', 'journal d audit', 'journal', '审核日志', '审计日志']],
];

const compact = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, '');

const LOOKUP = new Map(PHRASES.flatMap(([name, phrases]) => phrases.map((p) => [compact(p), name] as const)));

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

/**
 * Recognizes an admin command. `mentionsOfOthers` is how many people other than the bot the message mentions
 * (Teams writes each as `<at>Name</at>`); the bot's own mention in a channel is not a target.
 */
export function recognizeAdminCommand(text: string, mentionsOfOthers?: number): AdminCommand | undefined {
  const atCount = (text.match(/<at>.*?<\/at>/g) ?? []).length;
  let rest = text.replace(/<at>.*?<\/at>/g, ' ');
  const email = EMAIL.exec(rest)?.[0];
  if (email) rest = rest.replace(email, ' ');
  const name = LOOKUP.get(compact(rest));
  if (name === undefined) return undefined;
  const others = mentionsOfOthers ?? atCount;
  const target: AdminTarget = others > 0 ? { kind: 'mention' } : email ? { kind: 'email', email: email.toLowerCase() } : { kind: 'none' };
  if (name.startsWith('grant:')) return { name: 'grant', role: name.slice('grant:'.length) as Exclude<Role, 'member'>, target };
  switch (name) {
    case 'revoke':
    case 'add-user':
    case 'delete-account':
      return { name, target };
    case 'menu':
    case 'roles':
    case 'pending-users':
    case 'requirements':
    case 'status':
    case 'report':
    case 'audit':
      return { name };
    default:
      return undefined;
  }
}
