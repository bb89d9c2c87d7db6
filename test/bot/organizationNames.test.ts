import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { recognizeAdminCommand } from '../../dialogs/recognizers/adminCommand.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { validateAdaptiveCard } from '../cards/validateCard.js';
import { message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { BOSS, seedPeople, startAdminBot, TENANT } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };

/** "organization name …" as each language types it. */
const RENAME: Record<Locale, (name: string) => string> = {
  en: (name) => `organization name ${name}`,
  fr: (name) => `nom de l’organisation : ${name}`,
  'zh-CN': (name) => `组织名称 ${name}`,
};

function assertValidCards(activity: Record<string, unknown>): void {
  for (const attachment of (activity.attachments as Array<{ contentType: string; content: unknown }> | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), []);
  }
  for (const action of submitActions(activity)) assert.ok(parseCardAction(action.data).ok, JSON.stringify(action.data));
}

describe('organization names', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('recognizes the rename command in the three languages and keeps the name as typed', () => {
    assert.deepEqual(recognizeAdminCommand('organization name Contoso Ltd'), { name: 'org-name', value: 'Contoso Ltd' });
    assert.deepEqual(recognizeAdminCommand('Organization name: “Contoso”'), { name: 'org-name', value: 'Contoso' });
    assert.deepEqual(recognizeAdminCommand("Nom de l'organisation Société Générale"), { name: 'org-name', value: 'Société Générale' });
    assert.deepEqual(recognizeAdminCommand('组织名称：康托索'), { name: 'org-name', value: '康托索' });
    assert.deepEqual(recognizeAdminCommand('组织名称Contoso'), { name: 'org-name', value: 'Contoso' });
    assert.deepEqual(recognizeAdminCommand('<at>MCID Link Assistant</at> organization name Fabrikam'), { name: 'org-name', value: 'Fabrikam' });
    assert.deepEqual(recognizeAdminCommand('organization name'), { name: 'org-name' });
    assert.equal(recognizeAdminCommand('organizationnames are nice'), undefined);
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    describe(`in ${locale}`, () => {
      const t = () => translatorFor(instance, locale);
      const as = (personId: string): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT });

      it('lets a Global admin name the organization; status, admin menu and sign-in card show it, never the tenant id', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann' }]);
        // Before: "your organization".
        const [before] = await bot.say(message(t()('command.status'), as('aad-ann')));
        assert.ok(cardTexts(before!).includes(t()('employee:organization.unnamed')));
        assert.ok(!cardTexts(before!).some((text) => text.includes(TENANT)));

        const [renamed] = await bot.say(message(RENAME[locale]('Contoso 中国'), as(BOSS)));
        assert.equal(renamed!.text, t()('admin:organization.renamed', { name: 'Contoso 中国' }));
        assert.equal((await bot.ledger.get('organizations', TENANT))?.name, 'Contoso 中国');
        const [again] = await bot.say(message(RENAME[locale]('Contoso 中国'), as(BOSS)));
        assert.equal(again!.text, t()('admin:organization.unchanged', { name: 'Contoso 中国' }));

        const [status] = await bot.say(message(t()('command.status'), as('aad-ann')));
        assert.ok(cardTexts(status!).includes('Contoso 中国'));
        assertValidCards(status!);

        const [menu] = await bot.say(message('admin', as(BOSS)));
        assert.ok(cardTexts(menu!).includes(t()('admin:organization.current', { name: 'Contoso 中国' })));
        assertValidCards(menu!);
        assert.ok((await allRecords(bot.ledger, 'auditLog')).some((e) => e.action === 'organization.rename' && e.outcome === 'done'));
      });

      it('refuses a name that is empty of letters or too long, and refuses the rename to anyone but a Global admin', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'partner-admin' }]);
        const [invalid] = await bot.say(message(RENAME[locale]('!!!'), as(BOSS)));
        assert.equal(invalid!.text, t()('admin:organization.invalid', { max: 100 }));
        const [tooLong] = await bot.say(message(RENAME[locale]('x'.repeat(101)), as(BOSS)));
        assert.equal(tooLong!.text, t()('admin:organization.invalid', { max: 100 }));
        const [refused] = await bot.say(message(RENAME[locale]('Fabrikam'), as('aad-ann')));
        assert.equal(refused!.text, t()('admin:refused', { role: t()('admin:roles.partner-admin'), roles: t()('admin:roles.global-admin') }));
        assert.equal(await bot.ledger.get('organizations', TENANT), undefined);
      });

      it('says the current name, or how to set one, when the command comes without a name', async () => {
        const bot = startAdminBot(instance);
        const [unnamed] = await bot.say(message(RENAME[locale]('').trim(), as(BOSS)));
        assert.equal(unnamed!.text, t()('admin:organization.unnamed'));
      });
    });
  }
});
