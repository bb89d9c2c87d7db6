/**
 * The admin workspace in chat: every command checks the speaker's role in the store (identity from the activity
 * only) and refuses politely otherwise; then it asks a service and answers with a card or a sentence.
 */
import type { Activity, Mention, TurnContext } from 'botbuilder';
import { adminsCard, organizationLabel } from '../cards/employee.js';
import type { Button } from '../cards/actions.js';
import { adminCard, requirementEditorCard, type AdminSection, type AdminTone, type RequirementEditorField } from '../cards/admin.js';
import type { adminViews } from '../cards/adminActions.js';
import type { Locale } from '../locales/locale.js';
import { matchSupportedLocale } from '../locales/resolveLocale.js';
import type { Translate } from '../locales/translate.js';
import type { Role } from '../rules/index.js';
import { CAPABILITIES, type AdminCapability } from '../services/adminAccess.js';
import type { AuditEntry, AuditLog } from '../services/audit.js';
import type { Actor, Member, PeopleService } from '../services/people.js';
import type { FaqService } from '../services/faq/index.js';
import type { OrganizationService } from '../services/organizations.js';
import {
  requirementDisplayName,
  requirementInputSchema,
  shortRequirementId,
  type NamedRequirement,
  type RequirementInput,
  type RequirementsService,
} from '../services/requirements.js';
import type { PendingStart, RiskCause, SkillsReportService } from '../services/skillsReport.js';
import type { AdminCommand, AdminTarget, RequirementForm } from './adminCommands.js';
import type { ProactiveSender, RosterLookup } from './adminRoster.js';
import { identityOf, isOutsideTeams } from './identity.js';
import { isPersonalConversation } from './scope.js';
import { turnLanguage } from './turnLanguage.js';
import { timeZoneOf } from './timeZone.js';

/** What the admin commands need from the composition root. */
export interface AdminDialogDeps {
  readonly people: PeopleService;
  readonly audit: AuditLog;
  readonly requirements: RequirementsService;
  readonly organizations: OrganizationService;
  /** The FAQ's votes and comments, for the "FAQ feedback" view. */
  readonly faq: Pick<FaqService, 'feedbackSummary' | 'latestComments' | 'topicTitle' | 'topics'>;
  readonly reports: SkillsReportService;
  readonly roster: RosterLookup;
  readonly proactive: ProactiveSender;
  /** The personal conversations the bot may post into for a person (from the stored conversation references). */
  readonly personalConversations: (tenantId: string, personId: string) => Promise<ReadonlyArray<Readonly<Record<string, unknown>>>>;
  /** A signed download link of an organization's skills report CSV, and how many minutes it works. */
  readonly reportLink: (tenantId: string, locale: Locale) => Promise<{ url: string; minutes: number }>;
  readonly defaultTenantId: string;
  /** The translator of another language (a reminder goes out in the recipient's language). */
  readonly translatorFor: (locale: Locale) => Translate;
  /** A fresh one-use token for a confirmation card (replay protection). */
  readonly newNonce: () => string;
  /** Identities from Teams only (the bot is authenticated); otherwise also the channel's user id (local development). */
  readonly teamsOnly?: boolean;
}

type Command = AdminCommand['name'];

const CAPABILITY: Readonly<Record<Command, AdminCapability>> = {
  menu: 'menu',
  grant: 'manage-roles',
  revoke: 'manage-roles',
  roles: 'manage-roles',
  'add-user': 'add-users',
  'pending-users': 'list-users',
  remind: 'list-users',
  'delete-account': 'delete-accounts',
  'delete-account-confirm': 'delete-accounts',
  requirements: 'view-requirements',
  status: 'view-status',
  report: 'view-report',
  audit: 'view-audit',
  'org-name': 'rename-organization',
  'faq-feedback': 'view-faq-feedback',
  'requirement-edit': 'manage-requirements',
  'requirement-save': 'manage-requirements',
  'requirement-remove': 'manage-requirements',
};

const AUDIT_ACTION = {
  menu: 'menu.view',
  grant: 'role.grant',
  revoke: 'role.remove',
  roles: 'roles.view',
  'add-user': 'user.add',
  'pending-users': 'users.list',
  remind: 'user.remind',
  'delete-account': 'account.delete',
  'delete-account-confirm': 'account.delete',
  requirements: 'requirements.view',
  status: 'status.view',
  report: 'report.view',
  audit: 'audit.view',
  'org-name': 'organization.rename',
  'faq-feedback': 'faq-feedback.view',
  'requirement-edit': 'requirement.set',
  'requirement-save': 'requirement.set',
  'requirement-remove': 'requirement.delete',
} as const satisfies Record<Command, AuditEntry['action']>;

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

/**
 * Views that show people, MCIDs or credentials: shown only in the admin's personal chat with the bot, never in a
 * channel or group chat where every member (guests too) would see them.
 */
const PRIVATE_VIEWS: ReadonlySet<Command> = new Set<Command>(['roles', 'pending-users', 'status', 'report', 'audit', 'faq-feedback']);

const TONE: Record<'met' | 'at-risk' | 'not-met', AdminTone> = { met: 'good', 'at-risk': 'warning', 'not-met': 'attention' };

/** Runs admin commands for the speaker of a turn. */
export class AdminCommands {
  constructor(private readonly deps: AdminDialogDeps) {}

  /**
   * Recognises a person an admin registered by e-mail address before the bot met them: on their first message, their
   * e-mail address and UPN (from Teams, never from the message) are matched against the pending registrations.
   */
  async recognizeNewcomer(context: TurnContext): Promise<void> {
    const identity = identityOf(context.activity, this.deps.defaultTenantId, this.deps.teamsOnly);
    if (!identity || (await this.deps.people.person(identity.tenantId, identity.personId)) !== undefined) return;
    if (!(await this.deps.people.hasPendingEmails(identity.tenantId))) return;
    const member = await this.deps.roster.memberById(context, context.activity.from.id);
    if (!member || member.aadObjectId !== identity.personId) return;
    const addresses = [member.email, member.userPrincipalName].filter((a): a is string => typeof a === 'string' && a !== '');
    await this.deps.people.claimPendingEmail({ ...identity, displayName: identity.displayName ?? member.name }, addresses);
  }

  /** Checks the speaker's role and runs the command, answering in the turn's language. */
  async handle(context: TurnContext, command: AdminCommand): Promise<void> {
    const { t, locale } = turnLanguage(context);
    const identity = identityOf(context.activity, this.deps.defaultTenantId, this.deps.teamsOnly);
    if (!identity) {
      await context.sendActivity(isOutsideTeams(context.activity, this.deps.teamsOnly ?? false) ? t('teamsOnly') : t('admin:noIdentity'));
      return;
    }
    const actor: Actor = identity;
    const capability = CAPABILITY[command.name];
    const access = await this.deps.people.authorize(actor, capability, AUDIT_ACTION[command.name]);
    if (access.kind === 'refused') {
      const allowed = CAPABILITIES[capability].map((r) => t(`admin:roles.${r}`));
      await context.sendActivity(
        t('admin:refused', { role: t(`admin:roles.${access.role}`), roles: new Intl.ListFormat(locale, { type: 'disjunction' }).format(allowed) }),
      );
      return;
    }
    const ctx: Turn = { context, t, locale, actor, role: access.role, timeZone: timeZoneOf(context.activity), send: (activity) => context.sendActivity(activity) };
    if (PRIVATE_VIEWS.has(command.name) && !isPersonalConversation(context.activity)) {
      await this.showPrivately(ctx, command);
      return;
    }
    return this.run(ctx, command);
  }

  /**
   * "Who are my admins?", for anyone of the organization (no role needed): the names of its admins, those who can add
   * Partner Center users first. Names only, never ids.
   */
  async showAdmins(context: TurnContext): Promise<void> {
    const { t } = turnLanguage(context);
    const identity = identityOf(context.activity, this.deps.defaultTenantId, this.deps.teamsOnly);
    if (!identity) {
      await context.sendActivity(isOutsideTeams(context.activity, this.deps.teamsOnly ?? false) ? t('teamsOnly') : t('admin:noIdentity'));
      return;
    }
    const admins = await this.deps.people.admins(identity.tenantId);
    const canAdd = (role: Role) => CAPABILITIES['add-users'].includes(role);
    const organization = organizationLabel(t, await this.deps.organizations.name(identity.tenantId));
    await context.sendActivity({
      attachments: [
        adminsCard(t, {
          organization,
          userAdmins: admins.filter((p) => canAdd(p.role)).map((p) => t('employee:admins.person', { name: p.displayName, role: t(`admin:roles.${p.role}`) })),
          otherAdmins: admins.filter((p) => !canAdd(p.role)).map((p) => t('employee:admins.person', { name: p.displayName, role: t(`admin:roles.${p.role}`) })),
        }),
      ],
    });
  }

  /**
   * A private view asked for in a channel or group chat: sent to the admin's personal chat with the bot when the bot
   * can post there, and in the shared conversation only a sentence saying where it went (or where to ask).
   */
  private async showPrivately(turn: Turn, command: AdminCommand): Promise<void> {
    const { context, t, actor } = turn;
    let delivered = false;
    const references = await this.deps.personalConversations(actor.tenantId, actor.personId);
    if (references.length > 0) {
      const pending: Array<Partial<Activity>> = [];
      await this.run({ ...turn, send: async (activity) => void pending.push(activity) }, command);
      for (const reference of references) {
        let all = true;
        for (const activity of pending) {
          if (!(await this.deps.proactive.send(reference, { type: 'message', ...activity }))) {
            all = false;
            break;
          }
        }
        if (all) {
          delivered = true;
          break;
        }
      }
    }
    await context.sendActivity(delivered ? t('admin:privateView.sent') : t('admin:privateView.personalOnly'));
  }

  private async run(ctx: Turn, command: AdminCommand): Promise<void> {
    switch (command.name) {
      case 'menu':
        return this.menu(ctx);
      case 'grant':
      case 'revoke':
        return this.changeRole(ctx, command);
      case 'roles':
        return this.roles(ctx);
      case 'add-user':
        return this.addUser(ctx, command.target);
      case 'pending-users':
        return this.pendingUsers(ctx);
      case 'remind':
        return this.remind(ctx, command.personId);
      case 'delete-account':
        return this.confirmDelete(ctx, command.target);
      case 'delete-account-confirm':
        return this.deleteAccount(ctx, command.personId, command.nonce);
      case 'requirements':
        return this.listRequirements(ctx);
      case 'status':
        return this.status(ctx);
      case 'report':
        return this.report(ctx);
      case 'audit':
        return this.auditLog(ctx);
      case 'org-name':
        return this.organizationName(ctx, command.value);
      case 'faq-feedback':
        return this.faqFeedback(ctx);
      case 'requirement-edit':
        return this.editRequirement(ctx, command.requirementId);
      case 'requirement-save':
        return this.saveRequirement(ctx, command.form);
      case 'requirement-remove':
        return this.removeRequirement(ctx, command.requirementId, command.confirmed);
    }
  }

  private async menu({ context, t, role, actor }: Turn): Promise<void> {
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
    const organization = await this.organizationLine(t, actor.tenantId);
    await context.sendActivity({
      attachments: [
        adminCard({
          title: t('admin:menu.title'),
          intro: t('admin:menu.intro', { role: t(`admin:roles.${role}`) }),
          sections: [
            { heading: t('admin:organization.heading'), lines: [organization] },
            ...(activity.length > 0 ? [{ heading: t('admin:menu.activityTitle'), buttons: activity }] : []),
            ...(lines.length > 0 ? [{ heading: t('admin:menu.typedTitle'), lines }] : []),
          ],
          buttons,
        }),
      ],
    });
  }

  private async changeRole(turn: Turn, command: Extract<AdminCommand, { name: 'grant' | 'revoke' }>): Promise<void> {
    const { context, t, actor } = turn;
    const resolved = await this.resolve(turn, command.target);
    if (resolved?.kind === 'unknown-email') {
      if (command.name === 'revoke') return void (await context.sendActivity(t('admin:target.emailNotFound', { email: resolved.email })));
      const pending = await this.deps.people.registerEmail(actor, resolved.email, command.role);
      const role = t(`admin:roles.${pending.role}`);
      await context.sendActivity(t(pending.kind === 'pending' ? 'admin:role.pendingEmail' : 'admin:role.pendingEmailAlready', { email: resolved.email, role }));
      return;
    }
    if (!resolved) return;
    const { member } = resolved;
    if (command.name === 'grant') {
      const outcome = await this.deps.people.grantRole(actor, member, command.role);
      const role = t(`admin:roles.${command.role}`);
      const reply =
        outcome.kind === 'self'
          ? t('admin:role.self')
          : outcome.kind === 'unchanged'
            ? t('admin:role.alreadyHas', { name: member.displayName, role })
            : t('admin:role.granted', { name: member.displayName, role });
      await context.sendActivity(reply);
      return;
    }
    const outcome = await this.deps.people.removeRole(actor, member);
    switch (outcome.kind) {
      case 'removed':
        await context.sendActivity(t('admin:role.removed', { name: member.displayName, role: t(`admin:roles.${outcome.previous}`) }));
        break;
      case 'bootstrap':
        await context.sendActivity(t('admin:role.bootstrap', { name: member.displayName }));
        break;
      case 'self':
        await context.sendActivity(t('admin:role.self'));
        break;
      default:
        await context.sendActivity(t('admin:role.noRole', { name: member.displayName }));
    }
  }

  private async roles({ send, t, actor }: Turn): Promise<void> {
    const admins = await this.deps.people.admins(actor.tenantId);
    const byRole = (['global-admin', 'partner-admin', 'account-admin'] as const).map((role) => ({
      heading: t(`admin:roles.${role}`),
      lines: admins.filter((p) => p.role === role).map((p) => p.displayName),
    }));
    await send({
      attachments: [
        adminCard({
          title: t('admin:rolesCard.title'),
          intro: t('admin:rolesCard.intro'),
          sections: byRole.map((s) => ({ ...s, lines: s.lines.length > 0 ? s.lines : [t('admin:rolesCard.nobody')] })),
        }),
      ],
    });
  }

  private async addUser(turn: Turn, target: AdminTarget): Promise<void> {
    const { context, t, actor } = turn;
    const resolved = await this.resolve(turn, target);
    if (resolved?.kind === 'unknown-email') {
      const pending = await this.deps.people.registerEmail(actor, resolved.email, 'member');
      await context.sendActivity(t(pending.kind === 'pending' ? 'admin:users.pendingEmail' : 'admin:users.pendingEmailAlready', { email: resolved.email }));
      return;
    }
    if (!resolved) return;
    const { member } = resolved;
    const outcome = await this.deps.people.addUser(actor, member);
    await context.sendActivity(
      outcome.kind === 'added' ? t('admin:users.added', { name: member.displayName }) : t('admin:users.already', { name: member.displayName }),
    );
  }

  private async pendingUsers({ send, t, actor, timeZone }: Turn): Promise<void> {
    const pending = await this.deps.people.pendingUsers(actor.tenantId);
    const byEmail = await this.deps.people.pendingEmails(actor.tenantId);
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
    await send({
      attachments: [
        adminCard({
          title: t('admin:users.pendingTitle'),
          intro: pending.length + byEmail.length === 0 ? t('admin:users.nonePending') : t('admin:users.pendingIntro', { count: pending.length + byEmail.length }),
          sections: [...sections, ...emailSections],
        }),
      ],
    });
  }

  private async remind({ context, t, actor }: Turn, personId: string): Promise<void> {
    const person = (await this.deps.people.pendingUsers(actor.tenantId)).find((p) => p.personId === personId);
    if (!person) {
      await context.sendActivity(t('admin:users.notPending'));
      return;
    }
    let delivered = false;
    for (const reference of await this.deps.personalConversations(actor.tenantId, personId)) {
      const locale = matchSupportedLocale(typeof reference['locale'] === 'string' ? reference['locale'] : undefined) ?? 'en';
      const rt = this.deps.translatorFor(locale);
      const card = adminCard({
        title: rt('admin:reminder.title'),
        intro: rt('admin:reminder.text', { admin: actor.displayName ?? rt('admin:reminder.someAdmin') }),
        buttons: [{ label: rt('admin:reminder.link'), payload: { action: 'menu.link' } }],
      });
      if (await this.deps.proactive.send(reference, { type: 'message', attachments: [card] })) {
        delivered = true;
        break;
      }
    }
    await this.deps.people.recordReminder(actor, personId, delivered);
    await context.sendActivity(delivered ? t('admin:users.reminded', { name: person.displayName }) : t('admin:users.unreachable', { name: person.displayName }));
  }

  private async confirmDelete(turn: Turn, target: AdminTarget): Promise<void> {
    const { context, t, actor } = turn;
    const resolved = await this.resolve(turn, target);
    if (resolved?.kind === 'unknown-email') {
      // Registered by address and never seen: there is no account yet, only the registration to withdraw.
      const withdrawn = await this.deps.people.withdrawEmail(actor, resolved.email);
      await context.sendActivity(t(withdrawn ? 'admin:delete.pendingEmailWithdrawn' : 'admin:target.emailNotFound', { email: resolved.email }));
      return;
    }
    if (!resolved) return;
    const { member } = resolved;
    const person = await this.deps.people.person(actor.tenantId, member.personId);
    if (!person) {
      await context.sendActivity(t('admin:delete.notFound', { name: member.displayName }));
      return;
    }
    // The card's confirmation is recorded (and expires) before the card is shown: only this card can confirm it, once.
    const nonce = this.deps.newNonce();
    const request = await this.deps.people.requestDeletion(actor, person.id, nonce);
    if (request.kind === 'refused') return this.refuseDeletion(turn, request.role);
    await context.sendActivity({
      attachments: [
        adminCard({
          title: t('admin:delete.confirmTitle', { name: person.displayName }),
          intro: t('admin:delete.confirmText'),
          buttons: [
            { label: t('admin:delete.confirm'), payload: { action: 'admin.deleteAccount.confirm', personId: person.id, nonce } },
            { label: t('admin:delete.keep'), payload: { action: 'admin.open', view: 'menu' } },
          ],
        }),
      ],
    });
  }

  private async deleteAccount(turn: Turn, personId: string, nonce: string): Promise<void> {
    const { context, t, actor, timeZone } = turn;
    const outcome = await this.deps.people.deleteAccount(actor, personId, nonce);
    switch (outcome.kind) {
      case 'deleted':
        await context.sendActivity(
          outcome.creditStopsAt
            ? t('admin:delete.done', { name: outcome.displayName, ...date(outcome.creditStopsAt, timeZone) })
            : t('admin:delete.doneNothingLinked', { name: outcome.displayName }),
        );
        break;
      case 'self':
        await context.sendActivity(t('admin:delete.self'));
        break;
      case 'not-found':
        await context.sendActivity(t('admin:delete.gone'));
        break;
      case 'already-done':
        await context.sendActivity(t('admin:delete.alreadyConfirmed'));
        break;
      case 'expired':
        await context.sendActivity(t('admin:delete.expired'));
        break;
      case 'refused':
        await this.refuseDeletion(turn, outcome.role);
        break;
    }
  }

  /** Says, in the admin's language, that deleting accounts takes a role they do not have, and which roles may. */
  private async refuseDeletion({ context, t, locale }: Turn, role: Role): Promise<void> {
    const allowed = CAPABILITIES['delete-accounts'].map((r) => t(`admin:roles.${r}`));
    await context.sendActivity(
      t('admin:refused', { role: t(`admin:roles.${role}`), roles: new Intl.ListFormat(locale, { type: 'disjunction' }).format(allowed) }),
    );
  }

  private async listRequirements({ context, t, locale, actor, role }: Turn): Promise<void> {
    await this.deps.audit.record({ tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'requirements.view', outcome: 'done' });
    const requirements = await this.deps.requirements.list(actor.tenantId);
    const manages = CAPABILITIES['manage-requirements'].includes(role);
    await context.sendActivity({
      attachments: [
        adminCard({
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
        }),
      ],
    });
  }

  /** The organization's name as the admin menu states it, or how to give it one. */
  private async organizationLine(t: Translate, tenantId: string): Promise<string> {
    const name = await this.deps.organizations.name(tenantId);
    return name === undefined ? t('admin:organization.unnamed') : t('admin:organization.current', { name });
  }

  /** "organization name Contoso": sets the name people read everywhere; without a name, says the current one. */
  private async organizationName({ context, t, actor }: Turn, value: string | undefined): Promise<void> {
    if (value === undefined) {
      await context.sendActivity(await this.organizationLine(t, actor.tenantId));
      return;
    }
    const outcome = await this.deps.organizations.rename(actor, value);
    if (outcome.kind === 'invalid') await context.sendActivity(t('admin:organization.invalid', { max: 100 }));
    else if (outcome.kind === 'unchanged') await context.sendActivity(t('admin:organization.unchanged', { name: outcome.name }));
    else await context.sendActivity(t('admin:organization.renamed', { name: outcome.name }));
  }

  /** The FAQ's votes per topic and language, most unhelpful first, and the organization's latest comments. */
  private async faqFeedback({ send, t, locale, actor, timeZone }: Turn): Promise<void> {
    await this.deps.audit.record({ tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'faq-feedback.view', outcome: 'done' });
    const byTopic = new Map<string, Array<{ locale: Locale; helpful: number; notHelpful: number }>>();
    for (const [key, counts] of await this.deps.faq.feedbackSummary()) {
      const [topic, voteLocale] = key.split('/') as [string, Locale];
      if (this.deps.faq.topicTitle(topic, locale) === undefined) continue;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { locale: voteLocale, ...counts }]);
    }
    const notHelpful = (rows: ReadonlyArray<{ notHelpful: number }>) => rows.reduce((sum, r) => sum + r.notHelpful, 0);
    const topics = [...byTopic.entries()].sort((a, b) => notHelpful(b[1]) - notHelpful(a[1]) || (a[0] < b[0] ? -1 : 1));
    const comments = await this.deps.faq.latestComments(actor.tenantId, 10);
    const sections: AdminSection[] = topics.slice(0, 30).map(([topic, rows]) => ({
      heading: this.deps.faq.topicTitle(topic, locale)!,
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
          t('admin:faqFeedback.comment', {
            text: c.text,
            topic: this.deps.faq.topicTitle(c.topic, locale) ?? c.topic,
            language: t(`admin:faqFeedback.language.${c.locale}`),
            ...date(c.at, timeZone),
          }),
        ),
      });
    }
    await send({
      attachments: [
        adminCard({
          title: t('admin:faqFeedback.title'),
          intro: topics.length === 0 && comments.length === 0 ? t('admin:faqFeedback.empty') : t('admin:faqFeedback.intro'),
          sections,
          buttons: [{ label: t('admin:backToMenu'), payload: { action: 'admin.open', view: 'menu' } }],
        }),
      ],
    });
  }

  /** The requirement editor: empty for a new requirement, filled in with an existing one's values. */
  private async editRequirement(turn: Turn, requirementId: string | undefined): Promise<void> {
    const { context, t, actor } = turn;
    if (requirementId === undefined) return this.sendEditor(turn, emptyForm(), []);
    const requirement = await this.deps.requirements.get(actor.tenantId, requirementId);
    if (!requirement) {
      await context.sendActivity({ text: t('admin:requirementForm.gone'), attachments: [] });
      return this.listRequirements(turn);
    }
    return this.sendEditor(turn, formOf(requirement), []);
  }

  private async sendEditor(turn: Turn, form: RequirementForm, errors: readonly string[]): Promise<void> {
    const { context, t } = turn;
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
    await context.sendActivity({
      attachments: [
        requirementEditorCard({
          title: editing === undefined ? t('admin:requirementForm.newTitle') : t('admin:requirementForm.editTitle', { id: editing }),
          intro: t('admin:requirementForm.intro'),
          errors,
          fields,
          buttons: [
            { label: t('admin:requirementForm.save'), payload: editing === undefined ? { action: 'admin.requirement.save' } : { action: 'admin.requirement.save', editing } },
            { label: t('admin:requirementForm.cancel'), payload: { action: 'admin.open', view: 'requirements' } },
          ],
        }),
      ],
    });
  }

  /** Validates the editor's fields; saves and lists the requirements, or shows the editor again with what to fix. */
  private async saveRequirement(turn: Turn, form: RequirementForm): Promise<void> {
    const { context, t, locale, actor } = turn;
    const checked = checkRequirementForm(form);
    if (checked.kind === 'invalid') {
      return this.sendEditor(turn, form, checked.fields.map((f) => t(`admin:requirementForm.errors.${f}`, FORM_LIMITS)));
    }
    const input = checked.input;
    if (form.editing === undefined && (await this.deps.requirements.get(actor.tenantId, input.id))) {
      return this.sendEditor(turn, form, [t('admin:requirementForm.errors.exists', { id: input.id })]);
    }
    const change = await this.deps.requirements.upsert(actor.tenantId, [input], actor.personId);
    const name = requirementDisplayName({ id: input.id, tenantId: '', names: input.names }, locale);
    const key = change.created > 0 ? 'created' : change.updated > 0 ? 'updated' : 'unchanged';
    await context.sendActivity(t(`admin:requirementForm.${key}`, { name }));
    return this.listRequirements(turn);
  }

  /** Asks before removing a requirement, then removes it (the requirement's alerts history stays). */
  private async removeRequirement(turn: Turn, requirementId: string, confirmed: boolean): Promise<void> {
    const { context, t, locale, actor } = turn;
    const requirement = await this.deps.requirements.get(actor.tenantId, requirementId);
    if (!requirement) {
      await context.sendActivity(t('admin:requirementForm.gone'));
      return this.listRequirements(turn);
    }
    const name = requirementDisplayName(requirement, locale);
    if (!confirmed) {
      await context.sendActivity({
        attachments: [
          adminCard({
            title: t('admin:requirementForm.removeTitle', { name }),
            intro: t('admin:requirementForm.removeText'),
            buttons: [
              { label: t('admin:requirementForm.removeConfirm'), payload: { action: 'admin.requirement.remove', requirement: requirementId, confirm: true } },
              { label: t('admin:requirementForm.keep'), payload: { action: 'admin.open', view: 'requirements' } },
            ],
          }),
        ],
      });
      return;
    }
    await this.deps.requirements.remove(actor.tenantId, requirementId, actor.personId);
    await context.sendActivity(t('admin:requirementForm.removed', { name }));
    return this.listRequirements(turn);
  }

  private async status({ send, t, locale, actor, timeZone }: Turn): Promise<void> {
    await this.deps.audit.record({ tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'status.view', outcome: 'done' });
    const statuses = await this.deps.reports.status(actor.tenantId);
    const counts = { met: 0, 'at-risk': 0, 'not-met': 0 };
    for (const s of statuses) counts[s.status] += 1;
    await send({
      attachments: [
        adminCard({
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
        }),
      ],
    });
  }

  private async report({ send, t, locale, actor, timeZone }: Turn): Promise<void> {
    await this.deps.audit.record({ tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'report.view', outcome: 'done' });
    const summary = await this.deps.reports.summary(actor.tenantId);
    const link = await this.deps.reportLink(actor.tenantId, locale);
    await send({
      attachments: [
        adminCard({
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
        }),
      ],
    });
  }

  private async auditLog({ send, t, actor, timeZone }: Turn): Promise<void> {
    const entries = await this.deps.audit.latest(actor.tenantId, 20);
    await send({
      attachments: [
        adminCard({
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
        }),
      ],
    });
  }

  /**
   * Resolves who a command is about: the first person mentioned (not the bot), or the e-mail address in the roster of
   * this conversation or among the registered people; an address found nowhere is returned as `unknown-email` (the
   * person may never have written to the bot, and a personal chat has no roster to search).
   */
  private async resolve(turn: Turn, target: AdminTarget): Promise<{ kind: 'member'; member: Member } | { kind: 'unknown-email'; email: string } | undefined> {
    const { context, t } = turn;
    if (target.kind === 'email') {
      const found = await this.deps.roster.memberByEmail(context, target.email);
      if (found) return { kind: 'member', member: { personId: found.aadObjectId, displayName: found.name, email: found.email ?? target.email } };
      // Someone who left is no longer in the roster, but was registered with this address.
      const registered = await this.deps.people.findByEmail(turn.actor.tenantId, target.email);
      return registered ? { kind: 'member', member: registered } : { kind: 'unknown-email', email: target.email };
    }
    const mention = mentionsOf(context.activity)[0];
    if (target.kind === 'none' || !mention) {
      await context.sendActivity(t('admin:target.missing'));
      return undefined;
    }
    const found = await this.deps.roster.memberById(context, mention.mentioned.id);
    const aadObjectId = found?.aadObjectId ?? (mention.mentioned as { aadObjectId?: string }).aadObjectId;
    if (!aadObjectId) {
      await context.sendActivity(t('admin:target.notFound', { name: mention.mentioned.name ?? '' }));
      return undefined;
    }
    const displayName = found?.name || mention.mentioned.name || aadObjectId;
    return { kind: 'member', member: { personId: aadObjectId, displayName, email: found?.email } };
  }
}

interface Turn {
  readonly context: TurnContext;
  readonly t: Translate;
  readonly locale: Locale;
  readonly actor: Actor;
  readonly role: Role;
  readonly timeZone: string;
  /** Where the views go: this conversation, or the admin's personal chat when asked for in a shared one. */
  readonly send: (activity: Partial<Activity>) => Promise<unknown>;
}

/** The limits the editor's error messages state (the requirement schema's own bounds). */
const FORM_LIMITS = { max: 10_000, idMax: 64, nameMax: 300, competencyMax: 200, codeMax: 50, codesMax: 500 } as const;

/** The fields of the editor that a check can find wrong, each with its own localized message. */
type FormField = 'id' | 'names' | 'competency' | 'required' | 'codes';

/** The editor's text fields read into a requirement, or which fields are wrong. */
function checkRequirementForm(form: RequirementForm): { kind: 'ok'; input: RequirementInput } | { kind: 'invalid'; fields: FormField[] } {
  const trimmed = (text: string) => text.replace(/\s+/g, ' ').trim();
  const id = (form.editing ?? form.id).trim().toLowerCase();
  const required = form.requiredPeople.trim();
  const codes = form.codes
    .split(/[,;，；\s]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const names = Object.fromEntries(
    ([['en', form.nameEn], ['fr', form.nameFr], ['zh-CN', form.nameZh]] as const).map(([l, v]) => [l, trimmed(v)] as const).filter(([, v]) => v !== ''),
  );
  const candidate = {
    id,
    competency: trimmed(form.competency),
    names,
    // Only whole numbers typed as digits: "3", not "3.5", "three" or "1e3".
    requiredPeople: /^\d{1,6}$/.test(required) ? Number(required) : Number.NaN,
    credentialCodes: codes,
  };
  const parsed = requirementInputSchema.safeParse(candidate);
  const wrong = new Set<FormField>();
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const first = String(issue.path[0] ?? '');
      wrong.add(first === 'requiredPeople' ? 'required' : first === 'credentialCodes' ? 'codes' : first === 'names' ? 'names' : first === 'competency' ? 'competency' : 'id');
    }
  }
  // A requirement needs a name people can read in at least one language.
  if (Object.keys(names).length === 0) wrong.add('names');
  if (wrong.size > 0 || !parsed.success) return { kind: 'invalid', fields: (['id', 'names', 'competency', 'required', 'codes'] as const).filter((f) => wrong.has(f)) };
  return { kind: 'ok', input: parsed.data };
}

function emptyForm(): RequirementForm {
  return { id: '', competency: '', requiredPeople: '', codes: '', nameEn: '', nameFr: '', nameZh: '' };
}

function formOf(r: NamedRequirement): RequirementForm {
  return {
    id: shortRequirementId(r),
    editing: shortRequirementId(r),
    competency: r.competency,
    requiredPeople: String(r.requiredPeople),
    codes: r.credentialCodes.join(', '),
    nameEn: r.names.en ?? '',
    nameFr: r.names.fr ?? '',
    nameZh: r.names['zh-CN'] ?? '',
  };
}

/** The people a message mentions, other than the bot itself. */
function mentionsOf(activity: Partial<Activity>): Mention[] {
  return (activity.entities ?? [])
    .filter((e): e is Mention & { type: string } => e.type === 'mention' && typeof (e as Partial<Mention>).mentioned?.id === 'string')
    .filter((m) => m.mentioned.id !== activity.recipient?.id);
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
function date(value: Date, timeZone: string): Record<string, unknown> {
  return { date: value, formatParams: { date: { timeZone, dateStyle: 'long' } } };
}

function dateTime(value: Date, timeZone: string): Record<string, unknown> {
  return { date: value, formatParams: { date: { timeZone, dateStyle: 'medium', timeStyle: 'short' } } };
}

function actorKind(actorId: string): 'cli' | 'api' | 'link' | 'person' {
  return actorId === 'cli' || actorId === 'api' || actorId === 'link' ? actorId : 'person';
}

function num(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
}
