import type { Attachment } from 'botbuilder';
import type { Translate } from '../locales/translate.js';
import { PARTNER_LINKS, type AccountKind, type Association, type CreditPeriod, type Credential, type Policy, type StartQuota, type WaitConstraint } from '../rules/index.js';
import type { Button } from './actions.js';
import { renderCard } from './render.js';
import employeeTemplate from './templates/employeeCard.json' with { type: 'json' };

/** How dates are shown to one person: their language (in `t`) and their time zone. */
export interface CardLocale {
  readonly t: Translate;
  /** An IANA time zone, e.g. `Europe/Paris`; `UTC` when the client did not say. */
  readonly timeZone: string;
}

interface EmployeeCardData {
  title: string;
  paragraphs: string[];
  facts: Array<{ title: string; value: string }>;
  sections: Array<{ heading: string; facts: Array<{ title: string; value: string }> }>;
  notes: string[];
  links: Array<{ label: string; url: string }>;
  buttons: Button[];
}

function card(data: Partial<EmployeeCardData> & { title: string }): Attachment {
  return renderCard(employeeTemplate, { paragraphs: [], facts: [], sections: [], notes: [], links: [], buttons: [], ...data } satisfies EmployeeCardData);
}

/** Interpolation options that format `date` (and `from`, `until`) as a long date in the person's time zone. */
function dates(timeZone: string, values: Record<string, unknown>): Record<string, unknown> {
  const style = { timeZone, dateStyle: 'long' };
  return { ...values, formatParams: { date: style, from: style, until: style, earliest: style, latest: style } };
}

/**
 * Interpolation options that format `date` as a long date in the person's time zone, with the time of day when it is
 * not midnight there: a next date that falls in the evening is that evening, not the whole day.
 */
export function moment(timeZone: string, values: Record<string, unknown> & { date: Date }): Record<string, unknown> {
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(values.date);
  const style = clock === '00:00' ? { timeZone, dateStyle: 'long' } : { timeZone, dateStyle: 'long', timeStyle: 'short' };
  return { ...values, formatParams: { date: style } };
}

const cancelButton = (t: Translate) => ({ label: t('employee:flow.cancel'), payload: { action: 'flow.cancel' } as const });
const menuButton = (t: Translate) => ({ label: t('menu.back'), payload: { action: 'menu.help' } as const });
const statusButton = (t: Translate) => ({ label: t('menu.status'), payload: { action: 'menu.status' } as const });
const adminsButton = (t: Translate) => ({ label: t('employee:admins.button'), payload: { action: 'people.admins' } as const });

/** The organization as people read it: its name, or "your organization" until a Global admin gave it one. */
export function organizationLabel(t: Translate, name: string | undefined): string {
  return name ?? t('employee:organization.unnamed');
}

/** Link, step one: which kind of account, each explained in one line. */
export function accountKindCard(t: Translate): Attachment {
  return card({
    title: t('employee:kind.title'),
    paragraphs: [t('employee:kind.learnHint'), t('employee:kind.universityHint')],
    buttons: [
      { label: t('employee:accountTitle.learn'), payload: { action: 'link.kind', kind: 'learn' } },
      { label: t('employee:accountTitle.university'), payload: { action: 'link.kind', kind: 'university' } },
      cancelButton(t),
    ],
  });
}

/** Link, when the person gave an account before and never proved it: link that one, or give another (a typo is not final). */
export function confirmAccountCard(t: Translate, account: { kind: AccountKind; accountId: string; nonce: string }): Attachment {
  return card({
    title: t('employee:confirmAccount.title'),
    paragraphs: [t(`employee:confirmAccount.${account.kind}`, { accountId: account.accountId })],
    buttons: [
      { label: t('employee:confirmAccount.yes'), payload: { action: 'link.account', keep: true, nonce: account.nonce } },
      { label: t(`employee:confirmAccount.change.${account.kind}`), payload: { action: 'link.account', keep: false, nonce: account.nonce } },
      cancelButton(t),
    ],
  });
}

/** The person is not a Partner Center user of the organization: why that matters and whom to ask. */
export function notRegisteredCard(t: Translate): Attachment {
  return card({
    title: t('employee:notRegistered.title'),
    paragraphs: [t('employee:notRegistered.why'), t('employee:notRegistered.who')],
    buttons: [adminsButton(t), menuButton(t)],
  });
}

/** "Who are my admins?": the admins who can add Partner Center users, and the others, by name; no ids. */
export function adminsCard(t: Translate, admins: { organization: string; userAdmins: readonly string[]; otherAdmins: readonly string[] }): Attachment {
  const list = (names: readonly string[]) => names.join(', ');
  return card({
    title: t('employee:admins.title', { organization: admins.organization }),
    paragraphs:
      admins.userAdmins.length + admins.otherAdmins.length === 0
        ? [t('employee:admins.none')]
        : [
            ...(admins.userAdmins.length > 0 ? [t('employee:admins.canAdd', { names: list(admins.userAdmins) })] : [t('employee:admins.noneCanAdd')]),
            ...(admins.otherAdmins.length > 0 ? [t('employee:admins.others', { names: list(admins.otherAdmins) })] : []),
          ],
    buttons: [menuButton(t)],
  });
}

/** The account the person typed is another person's: refused, with the way to Certification Support for merges. */
export function boundElsewhereCard(t: Translate, account: { kind: AccountKind; accountId: string }): Attachment {
  return card({
    title: t('employee:boundElsewhere.title'),
    paragraphs: [
      t('employee:boundElsewhere.text', { account: t(`employee:account.${account.kind}`), accountId: account.accountId }),
      t('employee:boundElsewhere.merge'),
    ],
    links: [{ label: t('employee:boundElsewhere.support'), url: PARTNER_LINKS.certificationSupport }],
    buttons: [{ label: t(`employee:confirmAccount.change.${account.kind}`), payload: { action: 'link.another', kind: account.kind } }, menuButton(t)],
  });
}

/** Rule 4 says wait: the exact next date, the constraint that sets it, and the starts used and left. */
export function waitCard(
  { t, timeZone }: CardLocale,
  wait: { until: Date; constraint: WaitConstraint; startsUsed: number; startsLeft: number },
  policy: Policy,
  remind = false,
): Attachment {
  const months = policy.associationWindowMonths;
  const max = policy.maxAssociationStartsPerWindow;
  const why =
    wait.constraint === 'cool-off'
      ? t('employee:wait.coolOff', { days: policy.daysBetweenAssociationStarts })
      : t('employee:wait.yearly', { max, months });
  return card({
    title: t('employee:wait.title'),
    paragraphs: [t('employee:wait.next', moment(timeZone, { date: wait.until })), why],
    notes: [t('employee:wait.starts', { months, used: wait.startsUsed, max, left: wait.startsLeft })],
    buttons: [
      ...(remind ? [{ label: t('employee:wait.remind'), payload: { action: 'link.remind' } as const }] : []),
      statusButton(t),
      menuButton(t),
    ],
  });
}

/** The account is already linked here: nothing to do. */
export function alreadyLinkedCard({ t, timeZone }: CardLocale, association: Association): Attachment {
  return card({
    title: t('employee:already.title'),
    paragraphs: [
      t('employee:already.text', dates(timeZone, { account: t(`employee:account.${association.kind}`), accountId: association.accountId, date: association.start })),
    ],
    buttons: [statusButton(t), menuButton(t)],
  });
}

/** The person already has another account of this kind linked here (one per person, rule 2). */
export function otherAccountCard(t: Translate, kind: AccountKind): Attachment {
  return card({
    title: t('employee:otherAccount.title'),
    paragraphs: [t('employee:otherAccount.text', { account: t(`employee:account.${kind}`) })],
    buttons: [statusButton(t), menuButton(t)],
  });
}

/** The account is linked to another organization: linking here ends that (rule 5); asks to confirm. */
export function moveCard(
  t: Translate,
  move: { kind: AccountKind; accountId: string; quota: StartQuota | null; nonce: string },
  policy: Policy,
): Attachment {
  const quota = move.quota;
  return card({
    title: t('employee:move.title'),
    paragraphs: [t('employee:move.text', { account: t(`employee:account.${move.kind}`), accountId: move.accountId })],
    notes: quota
      ? [t('employee:move.quota', { used: quota.startsUsed, max: policy.maxAssociationStartsPerWindow, months: policy.associationWindowMonths })]
      : [],
    buttons: [{ label: t('employee:move.confirm'), payload: { action: 'link.move', nonce: move.nonce } }, cancelButton(t)],
  });
}

/** The last step of linking: the deep link to sign in, what will happen, the shared-e-mail tip and when credit counts. */
export function signInCard(
  t: Translate,
  signIn: { kind: AccountKind; accountId: string; url: string; move: boolean; organization?: string },
  policy: Policy,
): Attachment {
  const credit =
    signIn.kind === 'learn'
      ? t('employee:signIn.creditLearn', { days: policy.creditDelayDays })
      : t('employee:signIn.creditUniversity', {
          hours: policy.universityExistingCreditHours,
          min: policy.universityNewCreditMinDays,
          max: policy.universityNewCreditMaxDays,
        });
  return card({
    title: t('employee:signIn.title'),
    paragraphs: [
      t(`employee:signIn.${signIn.kind}`, { accountId: signIn.accountId }),
      ...(signIn.move ? [t('employee:signIn.move')] : []),
      credit,
    ],
    facts: [{ title: t('employee:status.organization'), value: organizationLabel(t, signIn.organization) }],
    notes: [t('employee:signIn.tip')],
    links: [{ label: t('employee:signIn.button'), url: signIn.url }],
  });
}

/** Unlink: what is linked here, with one confirming button per account (each carrying the card's nonce) and Cancel. */
export function unlinkConfirmCard({ t, timeZone }: CardLocale, linked: readonly Association[], nonce: string): Attachment {
  return card({
    title: t('employee:unlink.title'),
    paragraphs: [t('employee:unlink.text')],
    facts: linked.map((a) => ({
      title: t(`employee:accountTitle.${a.kind}`),
      value: t('employee:unlink.since', dates(timeZone, { accountId: a.accountId, date: a.start })),
    })),
    buttons: [
      ...linked.map((a) => ({
        label: t('employee:unlink.button', { account: t(`employee:account.${a.kind}`) }),
        payload: { action: 'unlink.confirm', kind: a.kind, nonce } as const,
      })),
      cancelButton(t),
    ],
  });
}

/** Nothing of this person is linked here. */
export function nothingToUnlinkCard(t: Translate): Attachment {
  return card({
    title: t('employee:unlink.nothingTitle'),
    paragraphs: [t('employee:unlink.nothing')],
    buttons: [{ label: t('menu.link'), payload: { action: 'menu.link' } }, menuButton(t)],
  });
}

/** After unlinking: credit keeps counting until the next skills-report refresh; a re-link counts toward the limit. */
export function unlinkedCard(
  { t, timeZone }: CardLocale,
  unlinked: { ended: Association; creditUntil: Date },
  policy: Policy,
): Attachment {
  const { ended } = unlinked;
  return card({
    title: t('employee:unlink.doneTitle'),
    paragraphs: [
      t('employee:unlink.done', { account: t(`employee:account.${ended.kind}`), accountId: ended.accountId }),
      t('employee:unlink.credit', dates(timeZone, { date: unlinked.creditUntil })),
      ...(ended.kind === 'learn'
        ? [
            t('employee:unlink.relink', {
              max: policy.maxAssociationStartsPerWindow,
              months: policy.associationWindowMonths,
              days: policy.daysBetweenAssociationStarts,
            }),
          ]
        : []),
    ],
    buttons: [statusButton(t), menuButton(t)],
  });
}

/** What the status card shows: the service's `PersonStatus`, reduced to what a card needs. */
export interface StatusView {
  readonly tenantId: string;
  /** The organization's name, when a Global admin gave it one (never the tenant id, which nobody can read). */
  readonly organizationName?: string;
  readonly registered: boolean;
  readonly linked: readonly Association[];
  readonly learn: { readonly startsUsed: number; readonly nextAllowed: Date | null; readonly linkedElsewhere: boolean } | null;
  /** Accounts unlinked here, and until when their credit still counts (null: no longer). */
  readonly unlinked?: ReadonlyArray<{ readonly association: Association; readonly creditUntil: Date | null }>;
  readonly credentials: ReadonlyArray<{
    readonly credential: Credential;
    readonly counts: CreditPeriod | null;
    /** Credit starts somewhere in this range (rule 7, Partner University assessments passed after linking). */
    readonly range?: { readonly earliest: Date; readonly latest: Date };
  }>;
}

/** My status: organization, linked accounts and since when, starts used, next allowed date, and when each credential counts. */
export function statusCard({ t, timeZone }: CardLocale, status: StatusView, policy: Policy, now: Date): Attachment {
  if (!status.registered) {
    return card({ title: t('employee:status.title'), paragraphs: [t('employee:status.notRegistered')], buttons: [adminsButton(t), menuButton(t)] });
  }
  const months = policy.associationWindowMonths;
  const max = policy.maxAssociationStartsPerWindow;
  const used = status.learn?.startsUsed ?? 0;
  const next = status.learn?.nextAllowed ?? null;
  const facts = [
    { title: t('employee:status.organization'), value: organizationLabel(t, status.organizationName) },
    ...status.linked.map((a) => ({
      title: t(`employee:accountTitle.${a.kind}`),
      value: t('employee:status.since', dates(timeZone, { accountId: a.accountId, date: a.start })),
    })),
    // The MCID's links and next date only once the person has an MCID of their own here (proven or linked).
    ...(status.learn === null
      ? []
      : [
          { title: t('employee:status.starts'), value: t('employee:status.startsValue', { used, max, months }) },
          { title: t('employee:status.next'), value: next === null ? t('employee:status.now') : t('employee:status.nextDate', moment(timeZone, { date: next })) },
        ]),
  ];
  const unlinked = status.unlinked ?? [];
  const paragraphs = [
    ...(status.linked.length === 0 ? [t(unlinked.length > 0 ? 'employee:status.nothingLinked' : 'employee:status.neverLinked')] : []),
    ...unlinked.map(({ association: a, creditUntil }) => {
      const values = { account: t(`employee:account.${a.kind}`), accountId: a.accountId, date: a.end ?? a.start };
      return creditUntil === null
        ? t('employee:status.unlinkedOn', dates(timeZone, values))
        : t('employee:status.unlinkedCounting', dates(timeZone, { ...values, until: creditUntil }));
    }),
    ...(status.learn?.linkedElsewhere ? [t('employee:status.elsewhere')] : []),
  ];
  const credentialFacts = status.credentials.map(({ credential, counts, range }) => ({
    title: `${credential.code} ${credential.title}`,
    value: countsText(t, timeZone, counts, now, range),
  }));
  return card({
    title: t('employee:status.title'),
    paragraphs,
    facts,
    sections: credentialFacts.length > 0 ? [{ heading: t('employee:status.credentials'), facts: credentialFacts }] : [],
    notes: status.linked.length > 0 && credentialFacts.length === 0 ? [t('employee:status.noCredentials')] : [],
    buttons: [
      ...(status.linked.length === 0 ? [{ label: t('menu.link'), payload: { action: 'menu.link' } as const }] : []),
      ...(status.linked.length > 0 ? [{ label: t('menu.unlink'), payload: { action: 'menu.unlink' } as const }] : []),
      menuButton(t),
    ],
  });
}

function countsText(t: Translate, timeZone: string, counts: CreditPeriod | null, now: Date, range?: { earliest: Date; latest: Date }): string {
  if (counts === null) return t('employee:status.neverCounts');
  // Not sure to count yet: people see the whole range (the upper bound is what planning relies on).
  if (range !== undefined && now.getTime() < range.latest.getTime()) {
    const { earliest, latest } = range;
    return counts.until === null
      ? t('employee:status.countsRange', dates(timeZone, { earliest, latest }))
      : t('employee:status.countsRangeUntil', dates(timeZone, { earliest, latest, until: counts.until }));
  }
  if (counts.until !== null) return t('employee:status.countsBetween', dates(timeZone, { from: counts.from, until: counts.until }));
  const key = counts.from.getTime() <= now.getTime() ? 'employee:status.countsSince' : 'employee:status.countsFrom';
  return t(key, dates(timeZone, { date: counts.from }));
}

/** The reminder a person asked for: linking is possible again, with the way to do it. */
export function linkReminderCard(t: Translate): Attachment {
  return card({
    title: t('employee:reminder.title'),
    paragraphs: [t('employee:reminder.text')],
    buttons: [{ label: t('menu.link'), payload: { action: 'menu.link' } }, statusButton(t)],
  });
}

/** The reminder is set: when it will come (the date the rules allow a new link). */
export function reminderSetCard({ t, timeZone }: CardLocale, dueAt: Date): Attachment {
  return card({
    title: t('employee:reminder.setTitle'),
    paragraphs: [t('employee:reminder.set', dates(timeZone, { date: dueAt }))],
    buttons: [statusButton(t), menuButton(t)],
  });
}
