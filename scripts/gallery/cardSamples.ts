/**
 * Every card the bot sends, each built by its real builder in cards/ from sample data: the one table the card
 * gallery (`npm run gallery`) and its browser test read. A new card is one more entry here.
 */
import type { Attachment } from 'botbuilder';
import { describeOutcome } from '../../bot/signin/outcomeView.js';
import { adminCard, requirementEditorCard, type RequirementEditorField } from '../../cards/admin.js';
import { alertCard, competencyStatusCard, type AlertCardData } from '../../cards/alert.js';
import {
  accountKindCard,
  adminsCard,
  alreadyLinkedCard,
  boundElsewhereCard,
  confirmAccountCard,
  linkReminderCard,
  moveCard,
  nothingToUnlinkCard,
  notRegisteredCard,
  otherAccountCard,
  reminderSetCard,
  signInCard,
  statusCard,
  unlinkConfirmCard,
  unlinkedCard,
  waitCard,
  type CardLocale,
} from '../../cards/employee.js';
import { didYouMeanCard, faqAnswerCard, faqBrowserCard, faqFallbackCard, faqNotHelpfulCard } from '../../cards/faq.js';
import { languagePickerCard, mainMenuCard, noticeCard, teamMenuCard } from '../../cards/index.js';
import { signInOutcomeCard } from '../../cards/signIn.js';
import type { Locale } from '../../locales/locale.js';
import { defaultPolicy, type Association } from '../../rules/index.js';
import type { FaqService } from '../../services/faq/index.js';
import type { TicketPayload } from '../../services/signin/tickets.js';

/** What a sample needs: the language (its Translate and code), a time zone, and the FAQ content. */
interface SampleContext extends CardLocale {
  readonly locale: Locale;
  readonly faq: FaqService;
}

/** One card of the gallery: a file-name-safe name and how to build it. */
export interface CardSample {
  readonly name: string;
  readonly build: (ctx: SampleContext) => Attachment;
}

/** The fixed instant the samples are dated from (never today's date). */
export const SAMPLE_NOW = new Date('2026-03-02T09:00:00Z');

const learn: Association = { id: 'a1', personId: 'p', tenantId: 't', kind: 'learn', accountId: '12345678', start: new Date('2026-01-15T09:00:00Z') };
const university: Association = { ...learn, id: 'u1', kind: 'university', accountId: 'wei.zhang@contoso.com' };

const atRisk: AlertCardData = {
  requirementId: 'req-azure',
  kind: 'at-risk',
  cause: 'unlink',
  competency: 'Azure Infrastructure',
  required: 3,
  current: 3,
  lowest: 2,
  effectiveAt: new Date('2026-04-10T00:00:00Z'),
  involved: [
    { name: 'Alice Martin', credentials: [{ code: 'AZ-104', title: 'Azure Administrator Associate' }], change: 'stops', at: new Date('2026-04-10T00:00:00Z'), reason: 'association-ended', endReason: 'unlinked' },
    { name: 'Bo Chen', credentials: [{ code: 'AZ-305', title: 'Azure Solutions Architect Expert' }], change: 'stops', at: new Date('2026-04-30T00:00:00Z'), reason: 'credential-expires' },
    { name: 'Chloé Durand', credentials: [{ code: 'AZ-900', title: 'Azure Fundamentals' }], change: 'stopped' },
  ],
  moreInvolved: 4,
};

const ticket = (locale: Locale): TicketPayload => ({
  v: 1,
  jti: 'j'.repeat(24),
  personId: 'p',
  tenantId: 't',
  kind: 'learn',
  accountId: learn.accountId,
  conversation: {},
  locale,
  iat: 0,
  exp: 1,
});

/** The gallery's cards, in the order they appear in a conversation. */
export const CARD_SAMPLES: readonly CardSample[] = [
  { name: 'welcome', build: ({ t }) => mainMenuCard(t, { greeting: true }) },
  { name: 'team-welcome', build: ({ t }) => teamMenuCard(t, { greeting: true, botId: '28:0b5e3a8c-4f3e-4d1a-9c7b-2a6f1e0d9c31' }) },
  { name: 'language-picker', build: ({ t, locale }) => languagePickerCard(t, locale) },
  { name: 'notice', build: ({ t }) => noticeCard(t, { title: t('errors.title'), text: t('errors.turn'), backToMenu: true }) },
  { name: 'link-account-kind', build: ({ t }) => accountKindCard(t) },
  { name: 'link-confirm-account', build: ({ t }) => confirmAccountCard(t, { kind: 'learn', accountId: learn.accountId, nonce: 'nonce-0001' }) },
  { name: 'link-not-registered', build: ({ t }) => notRegisteredCard(t) },
  { name: 'link-bound-elsewhere', build: ({ t }) => boundElsewhereCard(t, { kind: 'learn', accountId: learn.accountId }) },
  { name: 'link-wait', build: (ctx) => waitCard(ctx, { until: new Date('2026-03-18T09:00:00Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 }, defaultPolicy) },
  { name: 'reminder-set', build: (ctx) => reminderSetCard(ctx, new Date('2026-03-18T09:00:00Z')) },
  { name: 'reminder', build: ({ t }) => linkReminderCard(t) },
  { name: 'link-already-linked', build: (ctx) => alreadyLinkedCard(ctx, learn) },
  { name: 'admins', build: ({ t }) => adminsCard(t, { organization: 'Contoso', userAdmins: ['Ada Admin', 'Li Wei'], otherAdmins: ['Chloé Durand'] }) },
  { name: 'link-other-account', build: ({ t }) => otherAccountCard(t, 'university') },
  { name: 'link-move', build: ({ t }) => moveCard(t, { kind: 'learn', accountId: learn.accountId, quota: { startsUsed: 2, startsLeft: 1 }, nonce: 'nonce-0001' }, defaultPolicy) },
  { name: 'link-sign-in', build: ({ t }) => signInCard(t, { kind: 'learn', accountId: learn.accountId, url: 'https://bot.contoso.com/signin/start?ticket=sample', move: false }, defaultPolicy) },
  {
    name: 'sign-in-linked',
    build: ({ t, locale }) =>
      signInOutcomeCard(describeOutcome(t, locale, { kind: 'linked', association: learn, ended: null, creditFrom: new Date('2026-01-25T09:00:00Z') }, ticket(locale), defaultPolicy)),
  },
  {
    name: 'sign-in-refused',
    build: ({ t, locale }) => signInOutcomeCard(describeOutcome(t, locale, { kind: 'refused', reason: 'account-mismatch' }, ticket(locale), defaultPolicy)),
  },
  { name: 'unlink-confirm', build: (ctx) => unlinkConfirmCard(ctx, [learn, university], 'nonce-0001') },
  { name: 'unlink-nothing', build: ({ t }) => nothingToUnlinkCard(t) },
  { name: 'unlinked', build: (ctx) => unlinkedCard(ctx, { ended: learn, creditUntil: new Date('2026-04-01T09:00:00Z') }, defaultPolicy) },
  {
    name: 'status',
    build: (ctx) =>
      statusCard(
        ctx,
        {
          tenantId: 't',
          registered: true,
          linked: [learn, university],
          learn: { startsUsed: 2, nextAllowed: new Date('2026-03-18T09:00:00Z'), linkedElsewhere: false },
          credentials: [
            {
              credential: { id: 'c', tenantId: 't', kind: 'learn', accountId: learn.accountId, type: 'exam', code: 'AZ-104', title: 'Azure Administrator Associate', passed: new Date('2026-01-20T09:00:00Z'), competencies: [] },
              counts: { from: new Date('2026-01-25T09:00:00Z'), until: new Date('2026-06-10T00:00:00Z'), stopReason: 'credential-expires' },
            },
            {
              credential: { id: 'd', tenantId: 't', kind: 'learn', accountId: learn.accountId, type: 'exam', code: 'AZ-305', title: 'Azure Solutions Architect Expert', passed: new Date('2026-02-27T09:00:00Z'), competencies: [] },
              counts: null,
            },
          ],
        },
        defaultPolicy,
        SAMPLE_NOW,
      ),
  },
  { name: 'faq-answer', build: ({ t, locale, faq }) => faqAnswerCard(t, faq.answer('credit-time', locale)) },
  {
    name: 'faq-fallback',
    build: ({ t, locale, faq }) => faqFallbackCard(t, { locale, suggestions: faq.topics(locale).slice(0, 3), supportLinks: faq.answer('support', locale).links }),
  },
  {
    name: 'faq-not-helpful',
    build: ({ t, locale, faq }) =>
      faqNotHelpfulCard(t, { topic: 'credit-time', locale, related: faq.topics(locale).slice(0, 3), supportLinks: faq.answer('support', locale).links }),
  },
  {
    name: 'did-you-mean',
    build: ({ t, locale, faq }) => didYouMeanCard(t, { locale, choices: [{ kind: 'flow', flow: 'link' }, { kind: 'topic', topic: faq.topics(locale)[0]! }] }),
  },
  { name: 'faq-browser', build: ({ t, locale, faq }) => faqBrowserCard(t, { locale, topics: faq.topics(locale) }) },
  {
    name: 'admin-menu',
    build: ({ t }) =>
      adminCard({
        title: t('admin:menu.title'),
        intro: t('admin:menu.intro', { role: t('admin:roles.global-admin') }),
        sections: [
          { heading: t('admin:menu.activityTitle'), buttons: (['audit', 'faq-feedback'] as const).map((view) => ({ label: t(`admin:menu.views.${view}`), payload: { action: 'admin.open', view } })) },
          { heading: t('admin:menu.typedTitle'), lines: (['add-users', 'delete-accounts', 'manage-roles', 'rename-organization'] as const).map((c) => t(`admin:menu.typed.${c}`)) },
        ],
        buttons: (['status', 'report', 'requirements', 'pending-users', 'roles'] as const).map((view) => ({ label: t(`admin:menu.views.${view}`), payload: { action: 'admin.open', view } })),
      }),
  },
  {
    name: 'requirement-editor',
    build: ({ t }) => {
      const field = (id: RequirementEditorField['id'], key: string, value: string): RequirementEditorField => ({
        id,
        label: t(`admin:requirementForm.fields.${key}`),
        value,
        placeholder: key === 'required' ? '2' : key === 'codes' ? 'AZ-104, AZ-305' : t(`admin:requirementForm.placeholders.${key}`),
      });
      return requirementEditorCard({
        title: t('admin:requirementForm.newTitle'),
        intro: t('admin:requirementForm.intro'),
        errors: [t('admin:requirementForm.errors.exists', { id: 'azure-infra' })],
        fields: [
          field('reqId', 'id', 'azure-infra'),
          field('reqNameEn', 'nameEn', 'Azure Infrastructure'),
          field('reqNameFr', 'nameFr', 'Infrastructure Azure'),
          field('reqNameZh', 'nameZh', 'Azure 基础结构'),
          field('reqCompetency', 'competency', 'Azure'),
          field('reqRequired', 'required', '3'),
          field('reqCodes', 'codes', 'AZ-104, AZ-305'),
        ],
        buttons: [
          { label: t('admin:requirementForm.save'), payload: { action: 'admin.requirement.save' } },
          { label: t('admin:requirementForm.cancel'), payload: { action: 'admin.open', view: 'requirements' } },
        ],
      });
    },
  },
  { name: 'alert-at-risk', build: ({ t, locale }) => alertCard(t, locale, '0123456789abcdef0123456789abcdef', atRisk) },
  {
    name: 'alert-acknowledged',
    build: ({ t, locale }) => alertCard(t, locale, '0123456789abcdef0123456789abcdef', atRisk, { name: 'Ada Admin', at: new Date('2026-03-03T08:30:00Z') }),
  },
  {
    name: 'competency-status',
    build: ({ t, locale }) =>
      competencyStatusCard(t, locale, {
        requirementId: 'req-azure',
        status: 'at-risk',
        competency: 'Azure Infrastructure',
        required: 3,
        current: 3,
        lowest: 2,
        changesAt: new Date('2026-04-10T00:00:00Z'),
        evaluatedAt: SAMPLE_NOW,
      }),
  },
];

/** The file name of one picture: card, language and theme. */
export function galleryFileName(sample: CardSample, locale: Locale, theme: string): string {
  return `${sample.name}.${locale}.${theme}.png`;
}

