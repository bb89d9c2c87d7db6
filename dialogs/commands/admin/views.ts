/**
 * The admin workspace's cards, built from what the services returned: pure functions of (translator, locale, time
 * zone, data), no store and no turn. The router reads the data and sends what these build.
 */
import type { Attachment } from 'botbuilder';
import type { Button } from '../../../cards/actions.js';
import { adminCard, requirementEditorCard, type AdminSection, type AdminTone, type RequirementEditorField } from '../../../cards/admin.js';
import type { adminViews } from '../../../cards/adminActions.js';
import { formatNumber } from '../../../locales/formatNumber.js';
import type { Locale } from '../../../locales/locale.js';
import type { Translate } from '../../../locales/translate.js';
import type { Role } from '../../../rules/index.js';
import { CAPABILITIES, type AdminCapability } from '../../../services/admin/access.js';
import type { AuditEntry } from '../../../services/admin/audit.js';
import type { PendingEmail, PendingUser } from '../../../services/admin/people.js';
import { requirementDisplayName, shortRequirementId, type NamedRequirement } from '../../../services/admin/requirements.js';
import type { PendingStart, RequirementStatus, RiskCause, SkillsReportSummary } from '../../../services/admin/skillsReport.js';
import type { RequirementForm } from '../../recognizers/adminCommand.js';

/** What every view is written in: the admin's language and time zone. */
export interface ViewLanguage {
  readonly t: Translate;
  readonly locale: Locale;
  readonly timeZone: string;
}

/** The views of the admin menu, each with the capability it needs. */
const MENU_VIEWS: ReadonlyArray<readonly [Exclude<(typeof adminViews)[number], 'menu'>, AdminCapability]> = [
  ['status', 'view-status'],
  ['report', 'view-report'],
  ['requirements', 'view-requirements'],
  ['pending-users', 'list-users'],
  ['roles', 'manage-roles'],
  ['audit', 'view-audit'],
  ['faq-feedback', 'view-faq-feedback'],
];

const TONE: Record<'met' | 'at-risk' | 'not-met', AdminTone> = { met: 'good', 'at-risk': 'warning', 'not-met': 'attention' };

/** The admin menu: the views the role may open, the typed commands it may use, and the organization's name line. */
export function menuView(t: Translate, role: Role, organizationLine: string): Attachment {
  const views: Button[] = MENU_VIEWS.filter(([, capability]) => CAPABILITIES[capability].includes(role)).map(([view]) => ({
    label: t(`admin:menu.views.${view}`),
    payload: { action: 'admin.open', view },
  }));
  // Teams shows at most five actions in a row: the activity views (audit, FAQ feedback) get a section of their own.
  const isActivityView = (b: Button) => b.payload.action === 'admin.open' && (b.payload.view === 'audit' || b.payload.view === 'faq-feedback');
  const buttons = views.filter((b) => !isActivityView(b));
  const activity = views.filter(isActivityView);
  const lines = (['add-users', 'delete-accounts', 'manage-roles', 'rename-organization'] as const)
    .filter((c) => CAPABILITIES[c].includes(role))
    .map((c) => t(`admin:menu.typed.${c}`));
  return adminCard({
    title: t('admin:menu.title'),
    intro: t('admin:menu.intro', { role: t(`admin:roles.${role}`) }),
    sections: [
      { heading: t('admin:organization.heading'), lines: [organizationLine] },
      ...(activity.length > 0 ? [{ heading: t('admin:menu.activityTitle'), buttons: activity }] : []),
      ...(lines.length > 0 ? [{ heading: t('admin:menu.typedTitle'), lines }] : []),
    ],
    buttons,
  });
}

/** The organization's admins, by role. */
export function rolesView(t: Translate, admins: ReadonlyArray<{ readonly role: Role; readonly displayName: string }>): Attachment {
  const byRole = (['global-admin', 'partner-admin', 'account-admin'] as const).map((role) => ({
    heading: t(`admin:roles.${role}`),
    lines: admins.filter((p) => p.role === role).map((p) => p.displayName),
  }));
  return adminCard({
    title: t('admin:rolesCard.title'),
    intro: t('admin:rolesCard.intro'),
    sections: byRole.map((s) => ({ ...s, lines: s.lines.length > 0 ? s.lines : [t('admin:rolesCard.nobody')] })),
  });
}

/** The people added who have not linked yet, then the addresses waiting for their owner's first message. */
export function pendingUsersView({ t, timeZone }: ViewLanguage, pending: readonly PendingUser[], byEmail: readonly PendingEmail[]): Attachment {
  // Registered by address and not seen yet: nobody to remind until they write to the bot once.
  const emailSections: AdminSection[] = byEmail.map((p) => ({
    heading: p.email,
    facts: [
      { title: t('admin:users.addedOn'), value: t('admin:date', date(p.addedAt, timeZone)) },
      ...(p.role !== 'member' ? [{ title: t('admin:users.role'), value: t(`admin:roles.${p.role}`) }] : []),
    ],
    lines: [t('admin:users.waitingFirstContact')],
  }));
  const sections: AdminSection[] = pending.map((p) => ({
    heading: p.displayName,
    facts: [
      ...(p.email ? [{ title: t('admin:users.email'), value: p.email }] : []),
      ...(p.addedAt ? [{ title: t('admin:users.addedOn'), value: t('admin:date', date(p.addedAt, timeZone)) }] : []),
      ...(p.remindedAt ? [{ title: t('admin:users.remindedOn'), value: t('admin:date', date(p.remindedAt, timeZone)) }] : []),
    ],
    buttons: [{ label: t('admin:users.remind'), payload: { action: 'admin.remind', personId: p.personId } }],
  }));
  return adminCard({
    title: t('admin:users.pendingTitle'),
    intro: pending.length + byEmail.length === 0 ? t('admin:users.nonePending') : t('admin:users.pendingIntro', { count: pending.length + byEmail.length }),
    sections: [...sections, ...emailSections],
  });
}

/** The reminder a pending person receives, in their own language, naming the admin who sent it. */
export function reminderView(t: Translate, adminName: string | undefined): Attachment {
  return adminCard({
    title: t('admin:reminder.title'),
    intro: t('admin:reminder.text', { admin: adminName ?? t('admin:reminder.someAdmin') }),
    buttons: [{ label: t('admin:reminder.link'), payload: { action: 'menu.link' } }],
  });
}

/** Asks to confirm deleting a person's account; only this card's nonce can confirm it. */
export function confirmDeleteView(t: Translate, person: { id: string; displayName: string }, nonce: string): Attachment {
  return adminCard({
    title: t('admin:delete.confirmTitle', { name: person.displayName }),
    intro: t('admin:delete.confirmText'),
    buttons: [
      { label: t('admin:delete.confirm'), payload: { action: 'admin.deleteAccount.confirm', personId: person.id, nonce } },
      { label: t('admin:delete.keep'), payload: { action: 'admin.open', view: 'menu' } },
    ],
  });
}

/** The sentence refusing a command to a role, naming the roles that may run it. */
export function refusal(t: Translate, locale: Locale, role: Role, capability: AdminCapability): string {
  const allowed = CAPABILITIES[capability].map((r) => t(`admin:roles.${r}`));
  return t('admin:refused', { role: t(`admin:roles.${role}`), roles: new Intl.ListFormat(locale, { type: 'disjunction' }).format(allowed) });
}

/** The organization's requirements; with change and remove buttons for a role that manages them. */
export function requirementsView(t: Translate, locale: Locale, requirements: readonly NamedRequirement[], manages: boolean): Attachment {
  return adminCard({
    title: t('admin:requirements.title'),
    intro: requirements.length === 0 ? t(manages ? 'admin:requirements.noneManage' : 'admin:requirements.none') : t('admin:requirements.intro'),
    sections: requirements.map((r) => ({
      heading: requirementDisplayName(r, locale),
      facts: [
        { title: t('admin:requirements.required'), value: num(r.requiredPeople, locale) },
        { title: t('admin:requirements.competency'), value: r.competency },
        { title: t('admin:requirements.codes'), value: r.credentialCodes.length > 0 ? r.credentialCodes.join(', ') : t('admin:requirements.anyCode') },
      ],
      buttons: manages
        ? [
            { label: t('admin:requirements.change'), payload: { action: 'admin.requirement.edit', requirement: shortRequirementId(r) } },
            { label: t('admin:requirements.remove'), payload: { action: 'admin.requirement.remove', requirement: shortRequirementId(r), confirm: false } },
          ]
        : [],
    })),
    buttons: [
      ...(manages ? [{ label: t('admin:requirements.add'), payload: { action: 'admin.requirement.edit' } } as const] : []),
      { label: t('admin:backToMenu'), payload: { action: 'admin.open', view: 'menu' } },
    ],
  });
}

/** The requirement editor: empty for a new requirement, filled in with an existing one's values, with what to fix. */
export function requirementEditorView(t: Translate, form: RequirementForm, errors: readonly string[]): Attachment {
  const editing = form.editing;
  const field = (id: RequirementEditorField['id'], value: string, key: string): RequirementEditorField => ({
    id,
    label: t(`admin:requirementForm.fields.${key}`),
    value,
    // Codes and numbers read the same in every language.
    placeholder: key === 'required' ? '2' : key === 'codes' ? 'AZ-104, AZ-305' : t(`admin:requirementForm.placeholders.${key}`),
  });
  const fields: RequirementEditorField[] = [
    // A requirement's id is its identity: it is chosen once, and changing it means adding another requirement.
    ...(editing === undefined ? [field('reqId', form.id, 'id')] : []),
    field('reqNameEn', form.nameEn, 'nameEn'),
    field('reqNameFr', form.nameFr, 'nameFr'),
    field('reqNameZh', form.nameZh, 'nameZh'),
    field('reqCompetency', form.competency, 'competency'),
    field('reqRequired', form.requiredPeople, 'required'),
    field('reqCodes', form.codes, 'codes'),
  ];
  return requirementEditorCard({
    title: editing === undefined ? t('admin:requirementForm.newTitle') : t('admin:requirementForm.editTitle', { id: editing }),
    intro: t('admin:requirementForm.intro'),
    errors,
    fields,
    buttons: [
      { label: t('admin:requirementForm.save'), payload: editing === undefined ? { action: 'admin.requirement.save' } : { action: 'admin.requirement.save', editing } },
      { label: t('admin:requirementForm.cancel'), payload: { action: 'admin.open', view: 'requirements' } },
    ],
  });
}

/** Asks before removing a requirement (its alerts history stays). */
export function confirmRemoveRequirementView(t: Translate, name: string, requirementId: string): Attachment {
  return adminCard({
    title: t('admin:requirementForm.removeTitle', { name }),
    intro: t('admin:requirementForm.removeText'),
    buttons: [
      { label: t('admin:requirementForm.removeConfirm'), payload: { action: 'admin.requirement.remove', requirement: requirementId, confirm: true } },
      { label: t('admin:requirementForm.keep'), payload: { action: 'admin.open', view: 'requirements' } },
    ],
  });
}

/** Each requirement met, at risk or not met, with its counts, dates, pending credit and the causes of risk. */
export function statusView({ t, locale, timeZone }: ViewLanguage, statuses: readonly RequirementStatus[]): Attachment {
  const counts = { met: 0, 'at-risk': 0, 'not-met': 0 };
  for (const s of statuses) counts[s.status] += 1;
  return adminCard({
    title: t('admin:status.title'),
    intro: statuses.length === 0 ? t('admin:requirements.none') : t('admin:status.summary', { met: counts.met, atRisk: counts['at-risk'], notMet: counts['not-met'] }),
    sections: statuses.map((s) => ({
      heading: t(`admin:status.heading.${s.status}`, { name: requirementDisplayName(s.requirement, locale) }),
      tone: TONE[s.status],
      facts: [
        { title: t('admin:status.required'), value: num(s.required, locale) },
        { title: t('admin:status.current'), value: num(s.current, locale) },
        { title: t('admin:status.afterPending'), value: num(s.afterPending, locale) },
      ],
      lines: [
        ...(s.fallsAt ? [t('admin:status.fallsOn', date(s.fallsAt, timeZone))] : []),
        ...(s.metAt ? [t('admin:status.metOn', date(s.metAt, timeZone))] : []),
        ...pendingLines(t, s.pendingStarts, timeZone),
        ...s.causes.map((c) => t(`admin:status.cause.${causeKey(c)}`, {
          person: c.personName || t('admin:status.formerMember'),
          credential: c.credentialTitle,
          ...date(c.at, timeZone),
          ...(c.resumesAt ? { resumes: c.resumesAt, formatParams: { date: { timeZone, dateStyle: 'long' }, resumes: { timeZone, dateStyle: 'long' } } } : {}),
        })),
      ],
    })),
    buttons: [{ label: t('admin:menu.views.report'), payload: { action: 'admin.open', view: 'report' } }],
  });
}

/** The skills report's summary per competency and the signed download link. */
export function reportView(
  { t, locale, timeZone }: ViewLanguage,
  summary: SkillsReportSummary,
  link: { url: string; minutes: number },
): Attachment {
  return adminCard({
    title: t('admin:report.title'),
    intro:
      summary.rows > 0
        ? t('admin:report.intro', { rows: summary.rows, people: summary.people })
        : summary.upcoming
          ? t('admin:report.emptyUpcoming', { count: summary.upcoming.people, ...date(summary.upcoming.from, timeZone) })
          : t('admin:report.empty'),
    sections: summary.byCompetency.map((c) => ({
      heading: requirementDisplayName(c.requirement, locale),
      facts: [
        { title: t('admin:report.people'), value: num(c.people, locale) },
        { title: t('admin:report.credentials'), value: num(c.credentials, locale) },
      ],
    })),
    links: [{ label: t('admin:report.download', { minutes: link.minutes }), url: link.url }],
  });
}

/** The latest entries of the audit log: who did what, when, and how it ended. */
export function auditView({ t, timeZone }: ViewLanguage, entries: readonly AuditEntry[]): Attachment {
  return adminCard({
    title: t('admin:audit.title'),
    intro: entries.length === 0 ? t('admin:audit.empty') : t('admin:audit.intro', { count: entries.length }),
    sections: entries.map((e) => ({
      heading: t('admin:audit.when', { who: e.actorName ?? t(`admin:audit.actors.${actorKind(e.actorId)}`, { id: e.actorId }), ...dateTime(e.at, timeZone) }),
      lines: [
        t('admin:audit.line', {
          action: t(`admin:audit.actions.${e.action.replace('.', '-')}`),
          outcome: t(`admin:audit.outcomes.${e.outcome}`),
          target: e.target ?? '—',
        }),
      ],
    })),
  });
}

/** One FAQ topic's votes, per language of the answer. */
export interface TopicVotes {
  readonly title: string;
  readonly rows: ReadonlyArray<{ locale: Locale; helpful: number; notHelpful: number }>;
}

/** One comment written under a 👎, with its topic's title. */
export interface FeedbackComment {
  readonly text: string;
  readonly topicTitle: string;
  readonly locale: Locale;
  readonly at: Date;
}

/** The FAQ's votes per topic and language (in the order given: most unhelpful first), then the latest comments. */
export function faqFeedbackView({ t, locale, timeZone }: ViewLanguage, topics: readonly TopicVotes[], comments: readonly FeedbackComment[]): Attachment {
  const notHelpful = (rows: TopicVotes['rows']) => rows.reduce((sum, r) => sum + r.notHelpful, 0);
  const sections: AdminSection[] = topics.map(({ title, rows }) => ({
    heading: title,
    tone: notHelpful(rows) > 0 ? 'warning' : 'default',
    facts: [...rows]
      .sort((a, b) => (a.locale < b.locale ? -1 : 1))
      .map((r) => ({
        title: t(`admin:faqFeedback.language.${r.locale}`),
        value: t('admin:faqFeedback.counts', { helpful: num(r.helpful, locale), notHelpful: num(r.notHelpful, locale) }),
      })),
  }));
  if (comments.length > 0) {
    sections.push({
      heading: t('admin:faqFeedback.commentsTitle'),
      lines: comments.map((c) =>
        t('admin:faqFeedback.comment', { text: c.text, topic: c.topicTitle, language: t(`admin:faqFeedback.language.${c.locale}`), ...date(c.at, timeZone) }),
      ),
    });
  }
  return adminCard({
    title: t('admin:faqFeedback.title'),
    intro: topics.length === 0 && comments.length === 0 ? t('admin:faqFeedback.empty') : t('admin:faqFeedback.intro'),
    sections,
    buttons: [{ label: t('admin:backToMenu'), payload: { action: 'admin.open', view: 'menu' } }],
  });
}

/** Which sentence states a risk cause: a relink's gap, or the reason the credit stops. */
function causeKey(cause: RiskCause): string {
  if (cause.resumesAt) return 'relinked';
  return cause.endReason ?? cause.reason;
}

/** "3 people start counting on December 13": pending credit, one line per day in the admin's time zone. */
function pendingLines(t: Translate, starts: readonly PendingStart[], timeZone: string): string[] {
  const byDay = new Map<string, { at: Date; count: number }>();
  for (const start of starts) {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(start.at);
    const entry = byDay.get(day);
    if (entry) entry.count += 1;
    else byDay.set(day, { at: start.at, count: 1 });
  }
  return [...byDay.values()].map(({ at, count }) => t('admin:status.pendingStart', { count, ...date(at, timeZone) }));
}

/** Interpolation values that format `date` as a long date in the person's time zone. */
export function date(value: Date, timeZone: string): Record<string, unknown> {
  return { date: value, formatParams: { date: { timeZone, dateStyle: 'long' } } };
}

function dateTime(value: Date, timeZone: string): Record<string, unknown> {
  return { date: value, formatParams: { date: { timeZone, dateStyle: 'medium', timeStyle: 'short' } } };
}

function actorKind(actorId: string): 'cli' | 'api' | 'link' | 'person' {
  return actorId === 'cli' || actorId === 'api' || actorId === 'link' ? actorId : 'person';
}

function num(value: number, locale: Locale): string {
  return formatNumber(locale, value);
}
