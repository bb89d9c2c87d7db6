import assert from 'node:assert/strict';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { Association, Credential } from '../../rules/index.js';
import { forEachLocale, useI18n } from '../support/localeSuites.js';
import { cardTexts } from '../support/cards.js';
import { freshStores, history, knownAccount, ME, provenAccount, register, startBot, type Reply } from './harness.js';

const MCID = '12345678';
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);

const link: Association = { id: 'a1', ...ME, kind: 'learn', accountId: MCID, start: new Date('2026-02-20T09:00:00Z') };
const credential = (id: string, code: string, passed: string): Credential => ({
  id, tenantId: ME.tenantId, kind: 'learn', accountId: MCID, type: 'certification', code, title: 'Azure', passed: new Date(passed), competencies: ['azure'],
});

/** The exact dates of the status card: linked February 20, next start March 22, credentials counting since March 2 and from March 7. */
// The next date keeps its time of day (09:00 UTC) in the person's time zone: UTC, Paris, Shanghai.
const DATES: Record<Locale, { linked: string; next: string; since: string; from: string }> = {
  en: { linked: '12345678, linked since February 20, 2026', next: 'On March 22, 2026 at 9:00 AM', since: 'Since March 2, 2026', from: 'From March 7, 2026' },
  fr: { linked: '12345678, associé depuis le 20 février 2026', next: '22 mars 2026 à 10:00', since: 'Depuis le 2 mars 2026', from: 'À partir du 7 mars 2026' },
  'zh-CN': { linked: '12345678，自2026年2月20日起关联', next: '2026年3月22日 17:00', since: '已于2026年3月2日起计入', from: '自2026年3月7日起' },
};

/** The unlinked line: unlinked February 28, credit counting until the next refresh (the 10th of the next month). */
const UNLINKED: Record<Locale, string> = {
  en: 'Your Microsoft Learning account 12345678 was unlinked on February 28, 2026. Its certifications still count for this organization until March 10, 2026.',
  fr: 'Votre compte Microsoft Learning 12345678 a été dissocié le 28 février 2026. Ses certifications comptent encore pour cette organisation jusqu’au 10 mars 2026.',
  'zh-CN': '你的 Microsoft Learning 帐户 12345678 已于 2026年2月28日取消关联。其认证在 2026年3月10日之前仍计入本组织。',
};

describe('the status dialog', () => {
  const instance = useI18n();

  forEachLocale(instance, ({ locale, phrases: p, as, t }) => {
    it(`answers “${p.status}” with the organization, the link and since when, starts used, the next date and each credential’s date`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [link]);
      await stores.ledger.transact((tx) => {
        tx.put('credentials', `${ME.tenantId}/c1`, credential('c1', 'AZ-104', '2025-12-01T00:00:00Z'));
        tx.put('credentials', `${ME.tenantId}/c2`, credential('c2', 'AZ-305', '2026-02-25T09:00:00Z'));
      });
      const shown = texts(await startBot(instance(), stores).say(p.status, as));
      assert.deepEqual(shown, [
        t('employee:status.title'),
        t('employee:status.organization'),
        // No name set yet: "your organization", never the tenant id.
        t('employee:organization.unnamed'),
        t('employee:accountTitle.learn'),
        DATES[locale].linked,
        t('employee:status.starts'),
        t('employee:status.startsValue', { used: 1, max: 3, months: 12 }),
        t('employee:status.next'),
        DATES[locale].next,
        t('employee:status.credentials'),
        'AZ-104 Azure',
        DATES[locale].since,
        'AZ-305 Azure',
        DATES[locale].from,
        t('menu.unlink'),
        t('menu.back'),
      ]);
    });

    it(`answers “${p.whenAgain}” for a person who never linked: nothing linked yet, no odd “again: now”`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const shown = texts(await startBot(instance(), stores).say(p.whenAgain, as));
      assert.equal(shown[0], t('employee:status.title'));
      assert.ok(shown.includes(t('employee:status.neverLinked')));
      assert.ok(!shown.includes(t('employee:status.now')));
      assert.ok(!shown.includes(t('employee:status.next')));
    });

    it('after an unlink, says what was linked, when it was unlinked and until when its credit still counts', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [{ ...link, end: new Date('2026-02-28T09:00:00Z'), endReason: 'unlinked' }]);
      const shown = texts(await startBot(instance(), stores).say(p.status, as));
      assert.ok(shown.includes(t('employee:status.nothingLinked')));
      assert.ok(!shown.includes(t('employee:status.neverLinked')));
      assert.ok(shown.includes(UNLINKED[locale]), shown.join(' | '));
      assert.ok(shown.includes(DATES[locale].next), 'the next date of the MCID, with its time of day');
    });

    it('tells a person who is not registered whom to ask', async () => {
      const shown = texts(await startBot(instance(), freshStores()).say(p.status, as));
      assert.deepEqual(shown, [t('employee:status.title'), t('employee:status.notRegistered'), t('employee:admins.button'), t('menu.back')]);
    });
  });

  it('says when the MCID is linked to another organization, and the menu button does the same as typing', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await provenAccount(stores.ledger, 'learn', MCID);
    await history(stores.ledger, [{ ...link, personId: 'aad-old', tenantId: 'tenant-fabrikam' }]);
    const en = translatorFor(instance(), 'en');
    const shown = texts(await startBot(instance(), stores).click({ action: 'menu.status' }));
    assert.ok(shown.includes(en('employee:status.elsewhere')));
    assert.ok(shown.includes(en('employee:status.neverLinked')));
  });
});
