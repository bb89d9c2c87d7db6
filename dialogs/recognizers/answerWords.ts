import type { AccountKind } from '../../rules/index.js';
import { normalize } from '../../understanding/index.js';

// Typed answers to the flows' questions, in the three languages, already normalized like commands.
const YES = new Set(['yes', 'y', 'yep', 'ok', 'okay', 'sure', 'confirm', 'yes link it here', 'yes link it', 'oui', 'o', 'd accord', 'confirmer', 'oui le lier ici', 'oui l associer ici', 'oui l associer', '是', '是的', '好', '好的', '确定', '确认', '是 关联到这里', '是 关联它', '对']);
const NO = new Set(['no', 'n', 'nope', 'keep', 'non', 'garder', 'conserver', '否', '不', '不要', '不用', '保留', 'use another mcid', 'use another address', 'utiliser un autre mcid', 'utiliser une autre adresse', '使用其他 mcid', '使用其他地址']);
const KINDS: ReadonlyArray<readonly [AccountKind, readonly string[]]> = [
  ['learn', ['learn', 'microsoft learn', 'learning', 'microsoft learning', 'microsoft learning account', 'mcid', 'certification', 'certifications', 'exams', 'compte learn', 'compte microsoft learning', 'compte microsoft learn', 'certifications et examens', 'examens', 'learn 帐户', 'learn 账户', 'microsoft learning 帐户', 'microsoft learning 账户', '认证', '考试']],
  ['university', ['university', 'partner university', 'partner university account', 'pu', 'assessments', 'compte partner university', 'universite partenaire', 'l universite partenaire', 'universite partenaire partner university', 'compte universite partenaire', 'compte universite partenaire partner university', 'evaluations', '合作伙伴大学', '合作伙伴大学帐户', '合作伙伴大学账户', 'partner university 帐户', 'partner university 账户', '大学', '评估']],
];

/** Whether typed text says yes (true), no (false), or neither (undefined). */
export function yesNo(text: string): boolean | undefined {
  const normalized = normalize(text);
  if (YES.has(normalized)) return true;
  if (NO.has(normalized)) return false;
  return undefined;
}

/** The account kind typed text names, if any ("Learn", "Partner University", "合作伙伴大学", …). */
export function accountKindNamed(text: string): AccountKind | undefined {
  const normalized = normalize(text);
  return KINDS.find(([, words]) => words.includes(normalized))?.[0];
}
