/**
 * The admin commands typed in chat, in English, French and Chinese. A command may name a person by an @mention
 * (the mention itself is read from the activity's entities) or by an e-mail address / UPN.
 */
import type { Role } from '../../rules/index.js';

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
  | { readonly name: 'audit' }
  /** Shows (no value) or sets the organization's name; `value` is the name as typed, validated by the service. */
  | { readonly name: 'org-name'; readonly value?: string }
  | { readonly name: 'faq-feedback' }
  | { readonly name: 'requirement-edit'; readonly requirementId?: string }
  | { readonly name: 'requirement-save'; readonly form: RequirementForm }
  | { readonly name: 'requirement-remove'; readonly requirementId: string; readonly confirmed: boolean };

/** The requirement editor card's fields as submitted (strings; the requirements service validates them). */
export interface RequirementForm {
  readonly id: string;
  readonly competency: string;
  readonly requiredPeople: string;
  readonly codes: string;
  readonly nameEn: string;
  readonly nameFr: string;
  readonly nameZh: string;
  /** The id being edited (absent for a new requirement): a changed id is a new requirement, the old one stays. */
  readonly editing?: string;
}

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
  ['org-name', ['organization name', 'organisation name', 'org name', 'nom de l organisation', 'nom de l organization', 'nom d organisation', '组织名称', '组织名', '组织的名称']],
  ['faq-feedback', ['faq feedback', 'feedback', 'avis sur la faq', 'avis faq', 'retours faq', 'retours sur la faq', '常见问题反馈', '反馈', 'faq 反馈']],
];

/**
 * "organization name Contoso": the phrases that set the name, followed by the name as typed (any script, any case).
 * Compared on a folded copy (no accents, lower case) of the same length, so the name keeps the case it was typed in.
 */
const ORG_NAME_PREFIXES: readonly string[] = [
  'set organization name', 'set organisation name', 'rename organization', 'rename organisation', 'organization name', 'organisation name', 'org name',
  'definir le nom de l organisation', 'renommer l organisation', 'nom de l organisation', 'nom d organisation',
  '设置组织名称', '组织名称设为', '组织名称改为', '组织名称', '组织名',
];

/** Folds case and accents without changing the length (one UTF-16 unit in, one out), so indexes match the raw text. */
function foldSameLength(text: string): string {
  // Printable ASCII folds to its lower case, one unit for one: the common case skips the per-character normalization.
  if (/^[ -~]*$/.test(text)) return text.toLowerCase();
  return [...text].map((c) => {
    const folded = c.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
    return folded.length === c.length ? folded : c;
  }).join('');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * All the phrases in one pattern, built once: alternatives are tried in the list's order, so the first phrase that
 * matches wins as before. Words of a phrase may be joined by spaces or apostrophes ("nom de l’organisation"); a Latin
 * phrase ends at a word boundary, a Chinese one may run straight into the name ("组织名称Contoso").
 */
const ORG_NAME_PATTERN = new RegExp(
  `^(?:${ORG_NAME_PREFIXES.map((prefix) => `${prefix.split(' ').map(escapeRegExp).join('\\s*')}${/^[ -~]+$/.test(prefix) ? '(?=$|[\\s:：=])' : ''}`).join('|')})`,
);

/** The name typed after an organization-name phrase: undefined when the text is not one, '' when no name follows. */
function organizationNameArgument(text: string): string | undefined {
  const raw = text.trim();
  const match = ORG_NAME_PATTERN.exec(foldSameLength(raw).replace(/['’]/g, ' '));
  if (!match) return undefined;
  const rest = raw.slice(match[0].length).replace(/^[\s:：=]+/, '').trim();
  return rest.replace(/^["“”«»'‘’「『]+|["“”«»'‘’」』]+$/g, '').replace(/^\u00A0+|\u00A0+$/g, '').trim();
}

const compact = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\p{P}\p{S}\s]+/gu, '');

const LOOKUP = new Map(PHRASES.flatMap(([name, phrases]) => phrases.map((p) => [compact(p), name] as const)));

/** Longest text read as a command: every phrase with an address, a mention or an organization name fits inside. */
const MAX_COMMAND_CHARS = 600;

/**
 * An e-mail address or UPN. The look-behind lets a match start only where a run of address characters starts, so
 * a long run without `@` is scanned once, not once per position (the pattern stays linear).
 */
const EMAIL = /(?<![A-Za-z0-9._%+'-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/;

/** Removes Teams' `<at>Name</at>` mentions with plain index scans; returns the rest and how many there were. */
function withoutMentions(text: string): { rest: string; count: number } {
  let rest = '';
  let count = 0;
  let from = 0;
  for (;;) {
    const open = text.indexOf('<at>', from);
    const close = open < 0 ? -1 : text.indexOf('</at>', open + 4);
    if (close < 0) return { rest: rest + text.slice(from), count };
    rest += `${text.slice(from, open)} `;
    count += 1;
    from = close + 5;
  }
}

/**
 * Recognizes an admin command. A typed e-mail address is the target; otherwise a mention is, and `mentionsOfOthers`
 * says how many people other than the bot the message mentions (Teams writes each as `<at>Name</at>`): the bot's own
 * mention in a channel is never a target (the dialog checks the mention entities again).
 * Text longer than MAX_COMMAND_CHARS is not a command.
 */
export function recognizeAdminCommand(text: string, mentionsOfOthers?: number): AdminCommand | undefined {
  if (text.length > MAX_COMMAND_CHARS) return undefined;
  const mentions = withoutMentions(text);
  const atCount = mentions.count;
  let rest = mentions.rest;
  const organizationName = organizationNameArgument(rest);
  if (organizationName !== undefined) return organizationName === '' ? { name: 'org-name' } : { name: 'org-name', value: organizationName.slice(0, 500) };
  const email = EMAIL.exec(rest)?.[0];
  if (email) rest = rest.replace(email, ' ');
  const name = LOOKUP.get(compact(rest));
  if (name === undefined) return undefined;
  const others = mentionsOfOthers ?? atCount;
  // A typed address names the person even when the message also @mentions the bot (as every channel message does).
  const target: AdminTarget = email ? { kind: 'email', email: email.toLowerCase() } : others > 0 ? { kind: 'mention' } : { kind: 'none' };
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
    case 'faq-feedback':
      return { name };
    case 'org-name':
      return { name: 'org-name' };
    default:
      return undefined;
  }
}
