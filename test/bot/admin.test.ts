import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { personKey } from '../../storage/index.js';
import { validateAdaptiveCard } from '../cards/validateCard.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import type { RosterLookup, RosterMember } from '../../dialogs/commands/admin/rosterLookup.js';
import { BOSS, mentioning, ROSTER, seedOrganization, seedPeople, startAdminBot, TENANT } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

/** The typed admin commands in each language. */
const COMMANDS: Record<Locale, Record<string, string>> = {
  en: {
    menu: 'admin', grant: 'grant partner admin @', revoke: 'remove role @', roles: 'admins', addUser: 'add user @', addByEmail: 'add user BEN@contoso.com',
    pending: 'pending users', deleteAccount: 'delete account @', requirements: 'requirements', status: 'competency status', report: 'skills report', audit: 'audit log',
  },
  fr: {
    menu: 'administration', grant: 'accorder administrateur partenaire @', revoke: 'retirer le rôle @', roles: 'administrateurs', addUser: 'ajouter un utilisateur @',
    addByEmail: 'ajouter un utilisateur ben@contoso.com', pending: 'utilisateurs non liés', deleteAccount: 'supprimer le compte @', requirements: 'exigences',
    status: 'état des compétences', report: 'rapport de compétences', audit: "journal d'audit",
  },
  'zh-CN': {
    menu: '管理', grant: '授予合作伙伴管理员 @', revoke: '撤销角色 @', roles: '管理员列表', addUser: '添加用户 @', addByEmail: '添加用户 ben@contoso.com',
    pending: '未关联用户', deleteAccount: '删除帐户 @', requirements: '能力要求', status: '能力状态', report: '技能报告', audit: '审核日志',
  },
};

/** Who may run each command (the refusal names them). */
const ALLOWED: Record<string, string[]> = {
  menu: ['global-admin', 'partner-admin', 'account-admin'],
  requirements: ['global-admin', 'partner-admin', 'account-admin'],
  grant: ['global-admin'],
  revoke: ['global-admin'],
  roles: ['global-admin'],
  deleteAccount: ['global-admin'],
  audit: ['global-admin'],
  addUser: ['global-admin', 'account-admin'],
  addByEmail: ['global-admin', 'account-admin'],
  pending: ['global-admin', 'account-admin'],
  status: ['global-admin', 'partner-admin'],
  report: ['global-admin', 'partner-admin'],
};

/** "3 people start counting on December 13" in each language, as a reader checks it. */
const PENDING_START: Record<Locale, RegExp> = {
  en: /^3 people start counting on December 13, 2026\.$/,
  fr: /^3 personnes commencent à compter le 13 décembre 2026\.$/,
  'zh-CN': /^2026年12月13日起将有 3 人开始计入。$/,
};

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };

/** Date options as the admin dialog formats dates (long, in the person's time zone: UTC here). */
const longDate = (date: Date) => ({ date, formatParams: { date: { timeZone: 'UTC', dateStyle: 'long' } } });

function assertValidCards(activity: Record<string, unknown>): void {
  for (const attachment of (activity.attachments as Array<{ contentType: string; content: unknown }> | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), []);
  }
  for (const action of submitActions(activity)) assert.ok(parseCardAction(action.data).ok, JSON.stringify(action.data));
}

/** A message in a team channel, where Teams adds the bot's own @mention to the text and the entities. */
function inChannel(text: string, options: ActivityOptions) {
  const activity = message(text, options);
  return {
    ...activity,
    conversation: { ...activity.conversation!, id: '19:general@thread.tacv2', conversationType: 'channel' },
    entities: [{ type: 'mention', mentioned: { id: '28:bot', name: 'MCID Link Assistant' }, text: '<at>MCID Link Assistant</at>' }],
  };
}

/**
 * The roster as a personal chat or a team without these people sees it: no one is found by e-mail; a person writing to
 * the bot is known to Teams by their own id, with their e-mail address and UPN.
 */
function personalChatRoster(): RosterLookup {
  const people: Record<string, RosterMember> = {
    '29:aad-fay': { aadObjectId: 'aad-fay', name: 'Fay Li', email: 'Fay.Li@contoso.com', userPrincipalName: 'fay@contoso.onmicrosoft.com' },
    '29:aad-gus': { aadObjectId: 'aad-gus', name: 'Gus Ode', email: 'gus.ode@contoso.com', userPrincipalName: 'GUS@contoso.com' },
    '29:aad-hal': { aadObjectId: 'aad-hal', name: 'Hal Ng', email: 'hal.ng@contoso.com', userPrincipalName: 'hal.ng@contoso.com' },
  };
  return { memberById: async (_context, id) => people[id], memberByEmail: async () => undefined };
}

describe('admin commands in chat', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    describe(`in ${locale}`, () => {
      let t: Translate;
      const said = COMMANDS[locale];
      const as = (personId: string): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT });
      before(() => {
        t = translatorFor(instance, locale);
      });

      it('refuses every admin command to a member, politely and in their language, and audits the refusal', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann' }]);
        for (const [name, text] of Object.entries(said)) {
          const activity = text.endsWith('@') ? mentioning(text, 'dan', as('aad-ann')) : message(text, as('aad-ann'));
          const [reply] = await bot.say(activity);
          const roles = listOr(locale, ALLOWED[name]!.map((r) => t(`admin:roles.${r}`)));
          assert.equal(reply!.text, t('admin:refused', { role: t('admin:roles.member'), roles }), name);
        }
        const refusals = (await allRecords(bot.ledger, 'auditLog')).filter((e) => e.outcome === 'refused');
        // Counted per person, action and hour: every refusal is counted, in one row per action.
        assert.equal(refusals.reduce((n, e) => n + Number(e.detail?.count ?? 1), 0), Object.keys(said).length);
        for (let i = 0; i < 5; i += 1) await bot.say(message(said.menu!, as('aad-ann')));
        const after = (await allRecords(bot.ledger, 'auditLog')).filter((e) => e.outcome === 'refused');
        assert.equal(after.length, refusals.length, 'repeating a refused command adds no row');
        assert.equal(after.reduce((n, e) => n + Number(e.detail?.count ?? 1), 0), Object.keys(said).length + 5);
        assert.ok(refusals.every((e) => e.actorId === 'aad-ann'));
        assert.equal(await bot.ledger.get('people', personKey(TENANT, 'aad-dan')), undefined, 'nothing changed');
      });

      it('refuses a Partner admin what only a Global admin may do, naming the role needed', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'partner-admin' }, { who: 'dan' }]);
        const [reply] = await bot.say(mentioning(said.deleteAccount!, 'dan', as('aad-ann')));
        assert.equal(reply!.text, t('admin:refused', { role: t('admin:roles.partner-admin'), roles: t('admin:roles.global-admin') }));
      });

      it('lets a configured Global admin grant a role by mention, then remove it, and the person loses access', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        const [granted] = await bot.say(mentioning(said.grant!, 'ann', as(BOSS)));
        assert.equal(granted!.text, t('admin:role.granted', { name: 'Ann Lee', role: t('admin:roles.partner-admin') }));
        assert.equal((await bot.ledger.get('people', personKey(TENANT, 'aad-ann')))?.role, 'partner-admin');

        const [status] = await bot.say(message(said.status!, as('aad-ann')));
        assert.ok(cardTexts(status!).includes(t('admin:status.title')), 'a Partner admin sees the competency status');

        const [roles] = await bot.say(message(said.roles!, as(BOSS)));
        assert.ok(cardTexts(roles!).includes('Ann Lee'));
        assertValidCards(roles!);

        const [removed] = await bot.say(mentioning(said.revoke!, 'ann', as(BOSS)));
        assert.equal(removed!.text, t('admin:role.removed', { name: 'Ann Lee', role: t('admin:roles.partner-admin') }));
        assert.equal((await bot.ledger.get('people', personKey(TENANT, 'aad-ann')))?.role, 'member', 'still a registered user');

        const [refused] = await bot.say(message(said.status!, as('aad-ann')));
        assert.equal(refused!.text, t('admin:refused', { role: t('admin:roles.member'), roles: listOr(locale, [t('admin:roles.global-admin'), t('admin:roles.partner-admin')]) }));
      });

      it('shows the admin menu with the views the role allows', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'account-admin' }]);
        const [menu] = await bot.say(message(said.menu!, as('aad-ann')));
        assertValidCards(menu!);
        const views = submitActions(menu!).map((a) => (a.data as { view: string }).view);
        assert.deepEqual(views, ['requirements', 'pending-users']);
        const [full] = await bot.say(message(said.menu!, as(BOSS)));
        // Five in a row at most: the activity views (audit, FAQ feedback) come in a section of their own, first in the card.
        assert.deepEqual(submitActions(full!).map((a) => (a.data as { view: string }).view), ['audit', 'faq-feedback', 'status', 'report', 'requirements', 'pending-users', 'roles']);
      });

      it('adds Partner Center users by mention and by e-mail, lists those who never linked, and reminds them', async () => {
        const bot = startAdminBot(instance, { reachable: (id) => id === 'a:personal-ben' });
        await seedOrganization(bot.ledger);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'account-admin' }]);
        const [byEmail] = await bot.say(message(said.addByEmail!, as('aad-ann')));
        assert.equal(byEmail!.text, t('admin:users.added', { name: 'Ben Wu' }));
        assert.equal((await bot.ledger.get('registrations', personKey(TENANT, 'aad-ben')))?.email, 'ben@contoso.com');
        const [again] = await bot.say(mentioning(said.addUser!, 'ben', as('aad-ann')));
        assert.equal(again!.text, t('admin:users.already', { name: 'Ben Wu' }));

        await bot.ledger.transact((tx) => {
          tx.put('conversationReferences', 'a:personal-ben', {
            tenantId: TENANT, personId: 'aad-ben', scope: 'personal', installedAt: new Date('2026-03-01T00:00:00Z'),
            reference: { conversation: { id: 'a:personal-ben' }, locale: 'fr-FR' },
          });
        });
        const [pending] = await bot.say(message(said.pending!, as('aad-ann')));
        assertValidCards(pending!);
        const texts = cardTexts(pending!);
        assert.ok(texts.includes('Ben Wu') && !texts.includes('Dan Diaz'), 'only people who never linked');
        const remindBen = submitActions(pending!).find((a) => JSON.stringify(a.data) === JSON.stringify({ action: 'admin.remind', personId: 'aad-ben' }));
        assert.ok(remindBen, 'a remind button for Ben');

        const [reminded] = await bot.say(cardSubmit(remindBen.data, as('aad-ann')));
        assert.equal(reminded!.text, t('admin:users.reminded', { name: 'Ben Wu' }));
        assert.equal(bot.sent.length, 1);
        const fr = translatorFor(instance, 'fr');
        assert.ok(cardTexts(bot.sent[0]!.activity).includes(fr('admin:reminder.title')), 'the reminder is in the recipient\'s language');
        // Should the reminder not reach Ben after all, Ann hears of it where she asked, in her language.
        const undelivered = bot.sent[0]!.notice?.undelivered;
        assert.equal((undelivered?.reference['conversation'] as { id?: string } | undefined)?.id, 'a:personal-aad-ann');
        assert.equal(undelivered?.activity['text'], t('admin:users.reminderUndelivered', { name: 'Ben Wu' }));

        const [unreachable] = await bot.say(cardSubmit({ action: 'admin.remind', personId: 'aad-ann' }, as('aad-ann')));
        assert.equal(unreachable!.text, t('admin:users.unreachable', { name: 'Ann Lee' }));
      });

      it('shows credit that starts in the coming days: who starts counting and when, in the status and the report', async () => {
        const now = new Date('2026-12-03T09:00:00Z');
        const bot = startAdminBot(instance, { now });
        await seedPeople(bot.ledger, [{ who: 'ann' }, { who: 'dan' }, { who: 'eve' }]);
        await bot.ledger.transact((tx) => {
          tx.put('requirements', `${TENANT}/azure-infra`, { id: `${TENANT}/azure-infra`, tenantId: TENANT, competency: 'azure', requiredPeople: 3, credentialCodes: [] });
          tx.put('requirementNames', `${TENANT}/azure-infra`, { tenantId: TENANT, names: { en: 'Azure infrastructure', 'zh-CN': 'Azure 基础结构', fr: 'Infrastructure Azure' } });
          for (const who of ['ann', 'dan', 'eve'] as const) {
            const personId = ROSTER[who]!.aadObjectId;
            tx.put('associations', `assoc-${who}`, { id: `assoc-${who}`, personId, tenantId: TENANT, kind: 'learn', accountId: `MCID-${who}`, start: now });
            tx.put('credentials', `${TENANT}/cred-${who}`, {
              id: `cred-${who}`, tenantId: TENANT, kind: 'learn', accountId: `MCID-${who}`, type: 'certification', code: 'AZ-104', title: 'Azure Administrator',
              passed: new Date('2026-05-01T00:00:00Z'), competencies: ['azure'],
            });
          }
        });
        const december13 = new Date('2026-12-13T09:00:00Z');
        const [status] = await bot.say(message(said.status!, as(BOSS)));
        const statusTexts = cardTexts(status!);
        assert.ok(statusTexts.includes(t('admin:status.pendingStart', { count: 3, ...longDate(december13) })), JSON.stringify(statusTexts));
        assert.ok(statusTexts.includes(t('admin:status.metOn', longDate(december13))));
        const [report] = await bot.say(message(said.report!, as(BOSS)));
        assert.ok(cardTexts(report!).includes(t('admin:report.emptyUpcoming', { count: 3, ...longDate(december13) })));
        assert.ok(!cardTexts(report!).includes(t('admin:report.empty')));
        assert.match(t('admin:status.pendingStart', { count: 3, ...longDate(december13) }), PENDING_START[locale]);
      });

      it('asks who is meant when an add-user command names nobody, the bot’s own @mention being nobody', async () => {
        const bot = startAdminBot(instance);
        const [missing] = await bot.say(message(said.addUser!.replace('@', ''), as(BOSS)));
        assert.equal(missing!.text, t('admin:target.missing'));
        const [onlyBot] = await bot.say(inChannel(`<at>MCID Link Assistant</at> ${said.addUser!.replace('@', '')}`, as(BOSS)));
        assert.equal(onlyBot!.text, t('admin:target.missing'));
      });

      it('registers by e-mail, in a channel and in a personal chat, people the bot never met, and recognises them on first contact', async () => {
        const bot = startAdminBot(instance, { roster: personalChatRoster() });
        const byEmail = (command: string, email: string) => command.replace(/\S*@\S*/, email);
        // In a channel the message @mentions the bot too: the typed address is still who is meant.
        const [inTeam] = await bot.say(inChannel(`<at>MCID Link Assistant</at> ${byEmail(said.addByEmail!, 'Fay.Li@contoso.com')}`, as(BOSS)));
        assert.equal(inTeam!.text, t('admin:users.pendingEmail', { email: 'fay.li@contoso.com' }));
        const [again] = await bot.say(message(byEmail(said.addByEmail!, 'fay.li@contoso.com'), as(BOSS)));
        assert.equal(again!.text, t('admin:users.pendingEmailAlready', { email: 'fay.li@contoso.com' }));
        const [granted] = await bot.say(message(byEmail(said.grant!, 'gus@contoso.com'), as(BOSS)));
        assert.equal(granted!.text, t('admin:role.pendingEmail', { email: 'gus@contoso.com', role: t('admin:roles.partner-admin') }));
        const [pending] = await bot.say(message(said.pending!, as(BOSS)));
        assertValidCards(pending!);
        assert.ok(cardTexts(pending!).includes('fay.li@contoso.com') && cardTexts(pending!).includes('gus@contoso.com'));
        assert.ok(cardTexts(pending!).includes(t('admin:users.pendingIntro', { count: 3 })), 'the two addresses and the admin, who never linked either');

        // Fay's first message: Teams knows her e-mail; she is now a Partner Center user (status is no longer "ask an admin").
        const [status] = await bot.say(message('status', { ...as('aad-fay') }));
        assert.ok(!cardTexts(status!).includes(t('employee:status.notRegistered')));
        assert.equal((await bot.ledger.get('people', personKey(TENANT, 'aad-fay')))?.role, 'member');
        assert.equal((await bot.ledger.get('registrations', personKey(TENANT, 'aad-fay')))?.email, 'fay.li@contoso.com');
        // Gus signs in to Teams with his UPN: he is recognised by it, with the role granted.
        const [menu] = await bot.say(message(said.menu!, as('aad-gus')));
        assert.ok(cardTexts(menu!).includes(t('admin:menu.title')));
        assert.equal((await bot.ledger.get('people', personKey(TENANT, 'aad-gus')))?.role, 'partner-admin');
        assert.equal((await allRecords(bot.ledger, 'pendingEmails')).length, 0);

        // Deleting by address someone never met withdraws the registration; an address known nowhere is said so.
        await bot.say(message(byEmail(said.addByEmail!, 'hal@contoso.com'), as(BOSS)));
        const [withdrawn] = await bot.say(message(`${said.deleteAccount!.replace('@', '')} hal@contoso.com`, as(BOSS)));
        assert.equal(withdrawn!.text, t('admin:delete.pendingEmailWithdrawn', { email: 'hal@contoso.com' }));
        const [unknown] = await bot.say(message(`${said.deleteAccount!.replace('@', '')} nobody@contoso.com`, as(BOSS)));
        assert.equal(unknown!.text, t('admin:target.emailNotFound', { email: 'nobody@contoso.com' }));
        const [noOne] = await bot.say(message('status', as('aad-hal')));
        assert.ok(cardTexts(noOne!).includes(t('employee:status.notRegistered')), 'a withdrawn address registers nobody');
      });

      it('deletes a departed person\'s account after confirmation and says when their credentials leave the skills report', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        const [confirm] = await bot.say(mentioning(said.deleteAccount!, 'dan', as(BOSS)));
        assertValidCards(confirm!);
        assert.ok(cardTexts(confirm!).includes(t('admin:delete.confirmTitle', { name: 'Dan Diaz' })));
        const yes = submitActions(confirm!).find((a) => (a.data as { action: string }).action === 'admin.deleteAccount.confirm');
        assert.ok(yes);
        assert.equal((await bot.ledger.get('people', personKey(TENANT, 'aad-dan')))?.id, 'aad-dan', 'nothing happens before confirmation');

        const [done] = await bot.say(cardSubmit(yes.data, as(BOSS)));
        // Ended on 2 March 2026: the credit stops at the refresh on 10 April 2026 (rule 8).
        assert.equal(done!.text, t('admin:delete.done', { name: 'Dan Diaz', ...longDate(new Date('2026-04-10T00:00:00Z')) }));
        assert.equal(await bot.ledger.get('people', personKey(TENANT, 'aad-dan')), undefined);
        const association = await bot.ledger.get('associations', 'assoc-dan');
        assert.equal(association?.endReason, 'account-deleted');
        assert.deepEqual(bot.changes, [[TENANT, 'account-deleted']]);

        // The same confirmation again (a double click or a replayed submit) is recognized by its nonce: nothing happens twice.
        const [replayed] = await bot.say(cardSubmit(yes.data, as(BOSS)));
        assert.equal(replayed!.text, t('admin:delete.alreadyConfirmed'));

        // The competency now falls short on that date: at risk, with Dan's credential as the cause.
        const [status] = await bot.say(message(said.status!, as(BOSS)));
        assertValidCards(status!);
        const texts = cardTexts(status!);
        assert.ok(texts.includes(t('admin:status.heading.at-risk', { name: nameIn(locale) })), JSON.stringify(texts));
        assert.ok(
          texts.includes(t('admin:status.cause.account-deleted', { person: 'Dan Diaz', credential: 'Microsoft Certified: Azure Administrator Associate', ...longDate(new Date('2026-04-10T00:00:00Z')) })),
        );
      });

      it('lists the requirements with their names in the person\'s language', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        const [card] = await bot.say(message(said.requirements!, as(BOSS)));
        assertValidCards(card!);
        assert.ok(cardTexts(card!).includes(nameIn(locale)));
        assert.ok(cardTexts(card!).includes('AZ-104'));
      });

      it('shows a met requirement as met, and the skills report summary with a signed download link', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        const [status] = await bot.say(message(said.status!, as(BOSS)));
        assert.ok(cardTexts(status!).includes(t('admin:status.heading.met', { name: nameIn(locale) })));
        const [report] = await bot.say(message(said.report!, as(BOSS)));
        assertValidCards(report!);
        assert.ok(cardTexts(report!).includes(t('admin:report.intro', { rows: 2, people: 2 })));
        const content = JSON.stringify(report!.attachments);
        assert.match(content, /https:\/\/bot\.example\/api\/reports\/tenant-contoso\/skills\.csv\?token=[\w-]+\.[\w-]+\.[\w-]{43}&lang=/);
      });

      it('shows the audit log to a Global admin, newest first, with who did what and the outcome', async () => {
        const bot = startAdminBot(instance);
        await seedOrganization(bot.ledger);
        await bot.say(mentioning(said.grant!, 'ann', as(BOSS)));
        await bot.say(message(said.audit!, as('aad-ann')));
        const [card] = await bot.say(message(said.audit!, as(BOSS)));
        assertValidCards(card!);
        const texts = cardTexts(card!);
        assert.ok(texts.includes(t('admin:audit.line', { action: t('admin:audit.actions.role-grant'), outcome: t('admin:audit.outcomes.done'), target: 'Ann Lee' })));
        assert.ok(texts.includes(t('admin:audit.line', { action: t('admin:audit.actions.audit-view'), outcome: t('admin:audit.outcomes.refused'), target: '—' })));
      });
    });
  }

  it('finds a departed person by the e-mail they were registered with, though the roster no longer has them', async () => {
    const instance2 = await createI18n();
    const t = translatorFor(instance2, 'en');
    const bot = startAdminBot(instance2);
    await bot.ledger.transact((tx) => {
      tx.put('people', personKey(TENANT, 'aad-gone'), { id: 'aad-gone', tenantId: TENANT, displayName: 'Gone Person', role: 'member' });
      tx.put('registrations', personKey(TENANT, 'aad-gone'), { tenantId: TENANT, personId: 'aad-gone', email: 'gone@contoso.com', addedBy: BOSS, addedAt: new Date('2025-01-01T00:00:00Z') });
    });
    const [confirm] = await bot.say(message('delete account Gone@contoso.com', { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
    assert.ok(cardTexts(confirm!).includes(t('admin:delete.confirmTitle', { name: 'Gone Person' })));
    const yes = submitActions(confirm!).find((a) => (a.data as { action: string }).action === 'admin.deleteAccount.confirm')!;
    const [done] = await bot.say(cardSubmit(yes.data, { locale: 'en-US', personId: BOSS, tenantId: TENANT }));
    assert.equal(done!.text, t('admin:delete.doneNothingLinked', { name: 'Gone Person' }));
  });

  it('never lets an admin act for another organization: the tenant comes from the activity', async () => {
    const bot = startAdminBot(await createI18n());
    await seedPeople(bot.ledger, [{ who: 'ann', role: 'global-admin' }]);
    const [reply] = await bot.say(mentioning('delete account @', 'dan', { locale: 'en-US', personId: 'aad-ann', tenantId: 'tenant-other' }));
    assert.match(String(reply!.text), /member/);
  });

  it('refuses to let a Global admin remove a configured bootstrap admin or delete their own account', async () => {
    const instance2 = await createI18n();
    const t = translatorFor(instance2, 'en');
    const bot = startAdminBot(instance2);
    await seedPeople(bot.ledger, [{ who: 'ann', role: 'global-admin' }]);
    const bossMention = { ...message('remove role <at>Boss</at>', { locale: 'en-US', personId: 'aad-ann', tenantId: TENANT }), entities: [{ type: 'mention', mentioned: { id: '29:boss', name: 'Boss', aadObjectId: BOSS }, text: '<at>Boss</at>' }] };
    const [reply] = await bot.say(bossMention);
    assert.equal(reply!.text, t('admin:role.bootstrap', { name: 'Boss' }));
    const [self] = await bot.say(cardSubmit({ action: 'admin.deleteAccount.confirm', personId: 'aad-ann', nonce: 'confirm-self-0001' }, { locale: 'en-US', personId: 'aad-ann', tenantId: TENANT }));
    assert.equal(self!.text, t('admin:delete.self'));
    assert.ok(ROSTER.ann);
  });
});

function nameIn(locale: Locale): string {
  return { en: 'Azure infrastructure', 'zh-CN': 'Azure 基础结构', fr: 'Infrastructure Azure' }[locale];
}

function listOr(locale: Locale, items: string[]): string {
  return new Intl.ListFormat(locale, { type: 'disjunction' }).format(items);
}

