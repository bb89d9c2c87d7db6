import { LOCALES, type Locale } from '../../locales/locale.js';
import { PARTNER_LINKS } from '../../rules/index.js';

/** Stable FAQ topic ids; cards carry them in their feedback actions, so never rename one. */
export const TOPIC_IDS = [
  'why-link',
  'prerequisite-access',
  'link-learn',
  'link-university',
  'same-credentials',
  'find-mcid',
  'one-mcid',
  'unlink',
  'admin-link-for-users',
  'change-company',
  'left-company',
  'credit-time',
  'association-limited',
  'admin-no-response',
  'skills-report',
  'not-in-report',
  'competency-status',
  'competency-at-risk',
  'support',
] as const;

/** One FAQ topic id. */
export type TopicId = (typeof TOPIC_IDS)[number];

/** The languages the FAQ is written in. */
export const FAQ_LOCALES = LOCALES;

/** One FAQ language. */
export type FaqLocale = Locale;

/** A bot flow an answer card may offer to start. */
export type FaqAction = 'link.start' | 'status.show' | 'unlink.start';

/** A link an answer card may offer; the label is a key of the card's own locale namespace. */
export interface FaqLink {
  readonly kind: 'dashboard' | 'support' | 'certificationSupport' | 'competencies';
  readonly url: string;
}

/** The language-independent facts of a topic: where to go and what the bot can do next. */
export interface TopicInfo {
  readonly id: TopicId;
  readonly links: readonly FaqLink[];
  readonly action?: FaqAction;
}

const dashboard: FaqLink = { kind: 'dashboard', url: PARTNER_LINKS.dashboard };
const partnerSupport: FaqLink = { kind: 'support', url: PARTNER_LINKS.support };
const certificationSupport: FaqLink = { kind: 'certificationSupport', url: PARTNER_LINKS.certificationSupport };
const competencies: FaqLink = { kind: 'competencies', url: PARTNER_LINKS.competencies };

const INFO: { readonly [K in TopicId]: Omit<TopicInfo, 'id'> } = {
  'why-link': { links: [] },
  'prerequisite-access': { links: [dashboard] },
  'link-learn': { links: [dashboard], action: 'link.start' },
  'link-university': { links: [dashboard], action: 'link.start' },
  'same-credentials': { links: [dashboard] },
  'find-mcid': { links: [] },
  'one-mcid': { links: [] },
  unlink: { links: [dashboard], action: 'unlink.start' },
  'admin-link-for-users': { links: [] },
  'change-company': { links: [dashboard] },
  'left-company': { links: [] },
  'credit-time': { links: [] },
  'association-limited': { links: [partnerSupport], action: 'status.show' },
  'admin-no-response': { links: [] },
  'skills-report': { links: [dashboard] },
  'not-in-report': { links: [] },
  'competency-status': { links: [competencies] },
  'competency-at-risk': { links: [competencies] },
  support: { links: [partnerSupport, certificationSupport] },
};

/** Returns the links and the optional bot action of a topic. */
export function topicInfo(id: TopicId): TopicInfo {
  return { id, ...INFO[id] };
}

/** Tells whether a string is one of the stable topic ids. */
export function isTopicId(value: string): value is TopicId {
  return (TOPIC_IDS as readonly string[]).includes(value);
}
