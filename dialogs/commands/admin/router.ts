/**
 * The admin commands in chat: the router. Every command checks the speaker's role in the store (identity from the
 * activity only) in one call that also writes the audit line, and is refused politely otherwise; then it asks a
 * service and answers with a card (built in views.ts) or a sentence. Private views asked for in a shared
 * conversation go to the admin's personal chat.
 */
import type { Activity, TurnContext } from 'botbuilder';
import { adminsCard, organizationLabel } from '../../../cards/employee.js';
import type { Locale } from '../../../locales/locale.js';
import type { Translate } from '../../../locales/translate.js';
import type { Role } from '../../../rules/index.js';
import { CAPABILITIES, type AdminCapability } from '../../../services/admin/access.js';
import type { AuditEntry, AuditLog } from '../../../services/admin/audit.js';
import type { FaqService } from '../../../services/faq/index.js';
import type { OrganizationService } from '../../../services/admin/organizations.js';
import type { Actor } from '../../../services/actor.js';
import type { Member, PeopleService } from '../../../services/admin/people.js';
import { requirementDisplayName, type RequirementsService } from '../../../services/admin/requirements.js';
import type { SkillsReportService } from '../../../services/admin/skillsReport.js';
import { referenceLocale, type NoticeOptions, type NoticeSender } from '../../noticeSender.js';
import type { AdminCommand, AdminTarget, RequirementForm } from '../../recognizers/adminCommand.js';
import { identityOf, isOutsideTeams, isPersonalConversation, referenceOf, timeZoneOf } from '../../teams/activity.js';
import { turnLanguage } from '../../turnLanguage.js';
import { checkRequirementForm, emptyForm, FORM_LIMITS, formOf } from './requirementForm.js';
import type { RosterLookup } from './rosterLookup.js';
import { TargetResolver } from './targets.js';
import {
  auditView,
  confirmDeleteView,
  confirmRemoveRequirementView,
  date,
  faqFeedbackView,
  menuView,
  pendingUsersView,
  refusal,
  reminderView,
  reportView,
  requirementEditorView,
  requirementsView,
  rolesView,
  statusView,
  type TopicVotes,
  type ViewLanguage,
} from './views.js';

/** What the admin commands need from the composition root. */
export interface AdminCommandsDeps {
  readonly people: PeopleService;
  readonly audit: AuditLog;
  readonly requirements: RequirementsService;
  readonly organizations: OrganizationService;
  /** The FAQ's votes and comments, for the "FAQ feedback" view. */
  readonly faq: Pick<FaqService, 'feedbackSummary' | 'latestComments' | 'topicTitle' | 'topics'>;
  readonly reports: SkillsReportService;
  readonly roster: RosterLookup;
  readonly proactive: NoticeSender;
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

/**
 * Views that show people, MCIDs or credentials: shown only in the admin's personal chat with the bot, never in a
 * channel or group chat where every member (guests too) would see them.
 */
const PRIVATE_VIEWS: ReadonlySet<Command> = new Set<Command>(['roles', 'pending-users', 'status', 'report', 'audit', 'faq-feedback']);

/** Runs admin commands for the speaker of a turn. */
export class AdminCommands {
  private readonly targets: TargetResolver;

  constructor(private readonly deps: AdminCommandsDeps) {
    this.targets = new TargetResolver(deps);
  }

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

  /** Checks the speaker's role (and audits), then runs the command, answering in the turn's language. */
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
      await context.sendActivity(refusal(t, locale, access.role, capability));
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
      delivered = await this.sendToPersonalChat(references, () => pending, {
        kind: 'private-view',
        undelivered: { reference: referenceOf(context.activity), activity: { type: 'message', text: t('admin:privateView.undelivered') } },
      });
    }
    await context.sendActivity(delivered ? t('admin:privateView.sent') : t('admin:privateView.personalOnly'));
  }

  /**
   * Posts into a person's personal chat with the bot: every activity `activitiesFor` gives for a conversation, into
   * the first conversation that takes them all. False when none could be reached. The one place admin commands post
   * outside the turn (through the outbox, as `notice`).
   */
  private async sendToPersonalChat(
    references: ReadonlyArray<Readonly<Record<string, unknown>>>,
    activitiesFor: (reference: Readonly<Record<string, unknown>>) => ReadonlyArray<Partial<Activity>>,
    notice: NoticeOptions,
  ): Promise<boolean> {
    for (const reference of references) {
      let all = true;
      for (const activity of activitiesFor(reference)) {
        if (!(await this.deps.proactive.send(reference, { type: 'message', ...activity }, notice))) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
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
    await context.sendActivity({ attachments: [menuView(t, role, await this.organizationLine(t, actor.tenantId))] });
  }

  /**
   * The person a command is about, or undefined after saying that nobody (or nobody known) was named; an address
   * found nowhere comes back as `unknown-email`, for the command to register or withdraw.
   */
  private async resolve(turn: Turn, target: AdminTarget): Promise<{ kind: 'member'; member: Member } | { kind: 'unknown-email'; email: string } | undefined> {
    const { context, t } = turn;
    const resolved = await this.targets.resolve(context, turn.actor.tenantId, target);
    switch (resolved.kind) {
      case 'missing':
        await context.sendActivity(t('admin:target.missing'));
        return undefined;
      case 'not-found':
        await context.sendActivity(t('admin:target.notFound', { name: resolved.name }));
        return undefined;
      default:
        return resolved;
    }
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
    await send({ attachments: [rolesView(t, await this.deps.people.admins(actor.tenantId))] });
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

  private async pendingUsers(turn: Turn): Promise<void> {
    const { send, actor } = turn;
    const pending = await this.deps.people.pendingUsers(actor.tenantId);
    const byEmail = await this.deps.people.pendingEmails(actor.tenantId);
    await send({ attachments: [pendingUsersView(turn, pending, byEmail)] });
  }

  /** Reminds a person who has not linked yet, in their personal chat and their language; the service records it. */
  private async remind({ context, t, actor }: Turn, personId: string): Promise<void> {
    const person = (await this.deps.people.pendingUsers(actor.tenantId)).find((p) => p.personId === personId);
    if (!person) {
      await context.sendActivity(t('admin:users.notPending'));
      return;
    }
    const delivered = await this.sendToPersonalChat(await this.deps.personalConversations(actor.tenantId, personId), (reference) => {
      return [{ attachments: [reminderView(this.deps.translatorFor(referenceLocale(reference)), actor.displayName)] }];
    }, { kind: 'admin-reminder', undelivered: { reference: referenceOf(context.activity), activity: { type: 'message', text: t('admin:users.reminderUndelivered', { name: person.displayName }) } } });
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
    await context.sendActivity({ attachments: [confirmDeleteView(t, person, nonce)] });
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
    await context.sendActivity(refusal(t, locale, role, 'delete-accounts'));
  }

  private async listRequirements({ context, t, locale, actor, role }: Turn): Promise<void> {
    const requirements = await this.deps.requirements.list(actor.tenantId);
    await context.sendActivity({ attachments: [requirementsView(t, locale, requirements, CAPABILITIES['manage-requirements'].includes(role))] });
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
  private async faqFeedback(turn: Turn): Promise<void> {
    const { send, locale, actor } = turn;
    const byTopic = new Map<string, Array<TopicVotes['rows'][number]>>();
    for (const [key, counts] of await this.deps.faq.feedbackSummary()) {
      const [topic, voteLocale] = key.split('/') as [string, Locale];
      if (this.deps.faq.topicTitle(topic, locale) === undefined) continue;
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { locale: voteLocale, ...counts }]);
    }
    const notHelpful = (rows: TopicVotes['rows']) => rows.reduce((sum, r) => sum + r.notHelpful, 0);
    const topics = [...byTopic.entries()]
      .sort((a, b) => notHelpful(b[1]) - notHelpful(a[1]) || (a[0] < b[0] ? -1 : 1))
      .slice(0, 30)
      .map(([topic, rows]) => ({ title: this.deps.faq.topicTitle(topic, locale)!, rows }));
    const comments = (await this.deps.faq.latestComments(actor.tenantId, 10)).map((c) => ({
      text: c.text,
      topicTitle: this.deps.faq.topicTitle(c.topic, locale) ?? c.topic,
      locale: c.locale,
      at: c.at,
    }));
    await send({ attachments: [faqFeedbackView(turn, topics, comments)] });
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

  private async sendEditor({ context, t }: Turn, form: RequirementForm, errors: readonly string[]): Promise<void> {
    await context.sendActivity({ attachments: [requirementEditorView(t, form, errors)] });
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
      await context.sendActivity({ attachments: [confirmRemoveRequirementView(t, name, requirementId)] });
      return;
    }
    await this.deps.requirements.remove(actor.tenantId, requirementId, actor.personId);
    await context.sendActivity(t('admin:requirementForm.removed', { name }));
    return this.listRequirements(turn);
  }

  private async status(turn: Turn): Promise<void> {
    await turn.send({ attachments: [statusView(turn, await this.deps.reports.status(turn.actor.tenantId))] });
  }

  private async report(turn: Turn): Promise<void> {
    const { send, locale, actor } = turn;
    const summary = await this.deps.reports.summary(actor.tenantId);
    await send({ attachments: [reportView(turn, summary, await this.deps.reportLink(actor.tenantId, locale))] });
  }

  private async auditLog(turn: Turn): Promise<void> {
    await turn.send({ attachments: [auditView(turn, await this.deps.audit.latest(turn.actor.tenantId, 20))] });
  }

}

/** One admin command's turn: who asks, with which role, in which language and time zone, and where views go. */
interface Turn extends ViewLanguage {
  readonly context: TurnContext;
  readonly actor: Actor;
  readonly role: Role;
  /** Where the views go: this conversation, or the admin's personal chat when asked for in a shared one. */
  readonly send: (activity: Partial<Activity>) => Promise<unknown>;
}

