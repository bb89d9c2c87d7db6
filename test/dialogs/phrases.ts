import type { Locale } from '../../locales/locale.js';

/** What a person types in each language, and the time zone their client reports (none: UTC). */
export interface Phrases {
  readonly link: string;
  readonly unlink: string;
  readonly status: string;
  readonly whenAgain: string;
  readonly cancel: string;
  readonly help: string;
  readonly yes: string;
  readonly no: string;
  readonly university: string;
  readonly timeZone: string | undefined;
}

/** The phrasings of the issue, per locale. */
export const PHRASES: Readonly<Record<Locale, Phrases>> = {
  en: {
    link: 'link my MCID',
    unlink: 'unlink',
    status: 'my status',
    whenAgain: 'When can I link again?',
    cancel: 'cancel',
    help: 'help',
    yes: 'yes',
    no: 'no',
    university: 'Partner University',
    timeZone: undefined,
  },
  fr: {
    link: 'associer mon compte Learn',
    unlink: 'dissocier',
    status: 'mon statut',
    whenAgain: 'Quand puis-je lier à nouveau ?',
    cancel: 'annuler',
    help: 'aide',
    yes: 'oui',
    no: 'non',
    university: 'compte Partner University',
    timeZone: 'Europe/Paris',
  },
  'zh-CN': {
    link: '关联我的 MCID',
    unlink: '取消关联',
    status: '我的状态',
    whenAgain: '什么时候可以再关联？',
    cancel: '取消',
    help: '帮助',
    yes: '是',
    no: '不',
    university: '合作伙伴大学',
    timeZone: 'Asia/Shanghai',
  },
};
