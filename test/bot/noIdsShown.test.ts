import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { alertCard } from '../../cards/alert.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { requirementNameIn } from '../../services/admin/requirements.js';
import { credentialKey, personKey, type Ledger } from '../../storage/index.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { Browser } from '../support/browser.js';
import { cardTexts } from '../support/cards.js';
import { startSignInRig } from '../support/signInRig.js';
import { startAdminBot } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

/** Anything shaped like an Entra ID tenant id or an AAD object id. */
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ADMIN = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const DAN = 'd4a1c2b3-0000-4000-8000-00000000da11';
const EVE = 'e5b2c3d4-0000-4000-8000-00000000e7e0';
const ANN = 'a1b2c3d4-0000-4000-8000-0000000000a1';
const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };

/** An organization whose ids are real-looking GUIDs: a Global admin, three members (two linked and counting). */
async function seed(ledger: Ledger): Promise<void> {
  await ledger.transact((tx) => {
    for (const [id, displayName, role] of [[ADMIN, 'Ada Admin', 'global-admin'], [DAN, 'Dan Diaz', 'member'], [EVE, 'Eve Martin', 'member'], [ANN, 'Ann Lee', 'member']] as const) {
      tx.put('people', personKey(TENANT, id), { id, tenantId: TENANT, displayName, role });
    }
    tx.put('requirements', `${TENANT}/azure-infra`, { id: `${TENANT}/azure-infra`, tenantId: TENANT, competency: 'azure', requiredPeople: 2, credentialCodes: ['AZ-104'] });
    for (const [who, mcid] of [[DAN, '10010010'], [EVE, '10020020']] as const) {
      tx.put('associations', `assoc-${mcid}`, { id: `assoc-${mcid}`, personId: who, tenantId: TENANT, kind: 'learn', accountId: mcid, start: new Date('2025-06-01T00:00:00Z') });
      tx.put('accounts', `${personKey(TENANT, who)}/learn`, { personId: who, tenantId: TENANT, kind: 'learn', accountId: mcid, recordedAt: new Date('2025-06-01T00:00:00Z') });
      tx.put('credentials', credentialKey(TENANT, `cred-${mcid}`), {
        id: `cred-${mcid}`,
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

function assertNoIds(texts: readonly string[], where: string): void {
  for (const text of texts) assert.doesNotMatch(text, GUID, `${where}: ${text}`);
}

describe('people never see a tenant id or an AAD object id', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    it(`in ${locale}: status card, link flow, alert cards, requirement and status cards, and the CSV after a deletion`, async () => {
      const t = translatorFor(instance, locale);
      const bot = startAdminBot(instance);
      await seed(bot.ledger);
      const as = (personId: string): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT });
      const seen: string[] = [];
      const collect = (replies: Array<Record<string, unknown>>) => {
        for (const r of replies) seen.push(...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r));
        return replies;
      };

      // An employee: status, then the whole link flow up to the sign-in card.
      collect(await bot.say(message(t('command.status'), as(ANN))));
      collect(await bot.say(message(t('command.link'), as(ANN))));
      collect(await bot.say(cardSubmit({ action: 'link.kind', kind: 'learn' }, as(ANN))));
      const signIn = collect(await bot.say(message('30030030', as(ANN))));
      assert.ok(signIn.some((r) => cardTexts(r).includes(t('employee:signIn.title'))), 'the flow reached the sign-in card');
      assert.ok(seen.length > 15);
      assertNoIds(seen, 'employee');

      // The competency is met; then Dan's work account is deleted: at risk, and Dan keeps his name everywhere.
      await bot.app.alerts.reevaluate(TENANT, 'daily-sweep');
      const actor = { tenantId: TENANT, personId: ADMIN, displayName: 'Ada Admin' };
      await bot.app.admin.people.requestDeletion(actor, DAN, 'nonce-delete-dan');
      const deleted = await bot.app.admin.people.deleteAccount(actor, DAN, 'nonce-delete-dan');
      assert.equal(deleted.kind, 'deleted');
      const alerts = await allRecords(bot.ledger, 'alerts');
      assert.ok(alerts.length > 0, 'the deletion raised an alert');
      const alertTexts: string[] = [];
      for (const alert of alerts) {
        // As the alert worker draws it: the requirement's display name in the card's language.
        const competency = await requirementNameIn(bot.ledger, alert.tenantId, alert.requirementId, locale, alert.competency);
        alertTexts.push(...cardTexts({ attachments: [alertCard(t, locale, 'a'.repeat(32), { ...alert, competency })] }));
      }
      assertNoIds(alertTexts, 'alert card');
      assert.ok(alertTexts.some((x) => x.includes('Dan Diaz')), 'the deleted person keeps his name');
      assert.ok(!alertTexts.some((x) => x.includes('azure-infra')), 'the requirement by its name, not its key');

      const admin: string[] = [];
      for (const text of ['requirements', 'competency status', 'skills report', 'admin', 'admins', 'audit log']) {
        for (const r of await bot.say(message(text, as(ADMIN)))) admin.push(...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r));
      }
      for (const r of await bot.say(cardSubmit({ action: 'alert.status', requirement: `${TENANT}/azure-infra` }, as(ADMIN)))) admin.push(...cardTexts(r));
      assert.ok(admin.length > 30, 'the admin views were shown');
      assertNoIds(admin, 'admin views');

      const csv = await bot.app.admin.reports.csv(TENANT);
      assert.doesNotMatch(csv, GUID);
      const rows = csv.trim().split(/\r?\n/).slice(1);
      assert.ok(rows.length > 0);
      for (const row of rows) assert.notEqual(row.split(',')[0], '', 'no blank name');
      assert.ok(rows.some((row) => row.startsWith('Dan Diaz,')));
    });
  }

  it('the sign-in confirmation page names the person and the organization, never their ids', async () => {
    const rig = await startSignInRig();
    try {
      const person = { personId: DAN, tenantId: TENANT };
      await rig.stores.ledger.transact((tx) => {
        tx.put('people', personKey(TENANT, DAN), { id: DAN, tenantId: TENANT, displayName: 'Dan Diaz', role: 'member' });
        tx.put('organizations', TENANT, { tenantId: TENANT, name: 'Contoso' });
      });
      for (const locale of ['en', 'fr', 'zh-CN'] as const) {
        const page = await new Browser().request(await rig.linkFor(person, { accountId: '40040040', locale }));
        assert.equal(page.status, 200);
        const visible = page.body.replace(/<[^>]+>/g, ' ');
        assert.doesNotMatch(visible, GUID);
        assert.match(visible, /Dan Diaz/);
        assert.match(visible, /Contoso/);
      }
      // Not registered, no name: words, not ids.
      const stranger = await new Browser().request(await rig.linkFor({ personId: ANN, tenantId: 'b0b0b0b0-1111-4222-8333-444455556666' }, { accountId: '50050050' }));
      assert.doesNotMatch(stranger.body.replace(/<[^>]+>/g, ' '), GUID);
    } finally {
      await rig.close();
    }
  });
});
