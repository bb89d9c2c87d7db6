import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../bot/config.js';
import { createBot, type BotApp } from '../../bot/createBot.js';
import { silentLogger } from '../../bot/logger.js';
import type { NoticeOptions, NoticeSender } from '../../dialogs/noticeSender.js';
import type { RosterLookup, RosterMember } from '../../dialogs/commands/admin/rosterLookup.js';
import type { ChangeCause } from '../../services/organizationEvents.js';
import { createMemoryLedger, credentialKey, personKey, type Ledger } from '../../storage/index.js';
import { message, type ActivityOptions } from '../support/activities.js';
import { testSignInLinks } from '../support/signInLinks.js';

/** The organization of the admin tests, and its people (Teams object ids). */
export const TENANT = 'tenant-contoso';
export const BOSS = 'aad-boss';

/** The roster double: Teams members by their 29: channel id and by e-mail. */
export const ROSTER: Record<string, RosterMember & { channelId: string }> = {
  ann: { channelId: '29:ann', aadObjectId: 'aad-ann', name: 'Ann Lee', email: 'ann@contoso.com' },
  ben: { channelId: '29:ben', aadObjectId: 'aad-ben', name: 'Ben Wu', email: 'ben@contoso.com' },
  dan: { channelId: '29:dan', aadObjectId: 'aad-dan', name: 'Dan Diaz', email: 'dan@contoso.com' },
  eve: { channelId: '29:eve', aadObjectId: 'aad-eve', name: 'Eve Martin', email: 'eve@contoso.com' },
};

/** A roster lookup over `ROSTER`. */
export function rosterDouble(): RosterLookup {
  const members = Object.values(ROSTER);
  return {
    memberById: async (_context, id) => members.find((m) => m.channelId === id),
    memberByEmail: async (_context, email) => members.find((m) => m.email === email.toLowerCase()),
  };
}

/** A proactive sender that records what it sent and reaches only the conversations it is told to. */
export function proactiveDouble(reachable: (conversationId: string) => boolean = () => true) {
  const sent: Array<{ conversationId: string; activity: Record<string, unknown>; notice: NoticeOptions | undefined }> = [];
  const sender: NoticeSender = {
    async send(reference, activity, notice) {
      const conversationId = String((reference['conversation'] as { id?: string } | undefined)?.id);
      if (!reachable(conversationId)) return false;
      sent.push({ conversationId, activity: { ...activity }, notice });
      return true;
    },
  };
  return { sender, sent };
}

/** A message that mentions a roster member the way Teams does: `<at>Name</at>` in the text and a mention entity. */
export function mentioning(text: string, who: keyof typeof ROSTER, options: ActivityOptions): Partial<Activity> {
  const m = ROSTER[who]!;
  const activity = message(text.replace('@', `<at>${m.name}</at>`), options);
  return { ...activity, entities: [{ type: 'mention', mentioned: { id: m.channelId, name: m.name }, text: `<at>${m.name}</at>` }] };
}

/** A bot for the admin tests: fixed clock, memory stores, roster and proactive doubles, one bootstrap admin. */
export function startAdminBot(instance: i18n, opts: { ledger?: Ledger; now?: Date; reachable?: (conversationId: string) => boolean; roster?: RosterLookup } = {}) {
  const ledger = opts.ledger ?? createMemoryLedger();
  const config = loadConfig({ LOG_LEVEL: 'silent', BOOTSTRAP_ADMINS: BOSS, PUBLIC_BASE_URL: 'https://bot.example' });
  const proactive = proactiveDouble(opts.reachable);
  const changes: Array<[string, ChangeCause]> = [];
  const now = opts.now ?? new Date('2026-03-02T09:00:00Z');
  const adapter: TestAdapter = new TestAdapter(async (context) => app.logic(context));
  const app: BotApp<TestAdapter> = createBot(config, {
    stores: { ledger, state: new MemoryStorage() },
    i18n: instance,
    logger: silentLogger(),
    adapter,
    clock: () => now,
    signInLinks: testSignInLinks(),
    roster: opts.roster ?? rosterDouble(),
    proactive: proactive.sender,
    onOrganizationChanged: (tenantId, cause) => void changes.push([tenantId, cause]),
    reportSecret: 'test-report-secret-test-report-secret',
  });
  return {
    app,
    ledger,
    sent: proactive.sent,
    changes,
    async say(activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
      await adapter.processActivity(activity);
      return adapter.activeQueue.splice(0) as unknown as Record<string, unknown>[];
    },
  };
}

/** Registers people directly in the ledger (the state before a test's conversation). */
export async function seedPeople(ledger: Ledger, people: Array<{ who: keyof typeof ROSTER; role?: 'global-admin' | 'partner-admin' | 'account-admin' | 'member' }>): Promise<void> {
  await ledger.transact((tx) => {
    for (const { who, role } of people) {
      const m = ROSTER[who]!;
      tx.put('people', personKey(TENANT, m.aadObjectId), { id: m.aadObjectId, tenantId: TENANT, displayName: m.name, role: role ?? 'member' });
    }
  });
}

/** An organization with a requirement (two people with an AZ-104 toward `azure`), Dan and Eve linked and counting. */
export async function seedOrganization(ledger: Ledger): Promise<void> {
  await seedPeople(ledger, [{ who: 'ann' }, { who: 'dan' }, { who: 'eve' }]);
  await ledger.transact((tx) => {
    tx.put('requirements', `${TENANT}/azure-infra`, { id: `${TENANT}/azure-infra`, tenantId: TENANT, competency: 'azure', requiredPeople: 2, credentialCodes: ['AZ-104'] });
    tx.put('requirementNames', `${TENANT}/azure-infra`, { tenantId: TENANT, names: { en: 'Azure infrastructure', 'zh-CN': 'Azure 基础结构', fr: 'Infrastructure Azure' } });
    for (const [who, mcid] of [['dan', 'MCID1001'], ['eve', 'MCID1002']] as const) {
      const personId = ROSTER[who]!.aadObjectId;
      tx.put('associations', `assoc-${who}`, { id: `assoc-${who}`, personId, tenantId: TENANT, kind: 'learn', accountId: mcid, start: new Date('2025-06-01T00:00:00Z') });
      tx.put('accounts', `${personKey(TENANT, personId)}/learn`, { personId, tenantId: TENANT, kind: 'learn', accountId: mcid, recordedAt: new Date('2025-06-01T00:00:00Z') });
      tx.put('credentials', credentialKey(TENANT, `cred-${who}`), {
        id: `cred-${who}`,
        tenantId: TENANT,
        kind: 'learn',
        accountId: mcid,
        type: 'certification',
        code: 'AZ-104',
        title: 'Microsoft Certified: Azure Administrator Associate',
        passed: new Date('2025-05-01T00:00:00Z'),
        competencies: ['azure'],
      });
    }
  });
}
