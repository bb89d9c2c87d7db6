import assert from 'node:assert/strict';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { Association } from '../../rules/index.js';
import { forEachLocale, useI18n } from '../support/localeSuites.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { freshStores, history, ME, payloadOf, register, startBot, type Reply } from './harness.js';
import { allRecords } from '../support/ledgerRecords.js';

const MCID = '12345678';
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);
const active = async (stores: ReturnType<typeof freshStores>) => (await allRecords(stores.ledger, 'associations')).filter((a) => a.end === undefined);

function linked(fields: Partial<Association> = {}): Association {
  return { id: 'a1', ...ME, kind: 'learn', accountId: MCID, start: new Date('2026-01-15T09:00:00Z'), ...fields };
}

/** The exact consequences line: unlinked on March 2, 2026, credit counts until the refresh of April 10, 00:00 UTC. */
const CREDIT_UNTIL: Record<Locale, string> = {
  en: 'Your certifications keep counting for the organization until the next skills report refresh, on April 10, 2026.',
  fr: 'Vos certifications continuent de compter pour l’organisation jusqu’à la prochaine actualisation du rapport des qualifications, le 10 avril 2026.',
  'zh-CN': '在下一次技能报告刷新（2026年4月10日）之前，你的认证仍会计入组织名下。',
};

describe('the unlink dialog', () => {
  const instance = useI18n();

  forEachLocale(instance, ({ locale, phrases: p, as, t }) => {
    it(`goes from “${p.unlink}” to the confirmation showing what is linked, then unlinks and tells the consequences`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);

      const confirm = await bot.say(p.unlink, as);
      const shown = texts(confirm);
      assert.deepEqual(shown.slice(0, 3), [t('employee:unlink.title'), t('employee:unlink.text'), t('employee:accountTitle.learn')]);
      assert.match(shown[3]!, new RegExp(`^${MCID}`));
      assert.match(shown[3]!, /2026/);
      assert.deepEqual(
        submitActions(confirm[0]!).map((a) => a.title),
        [t('employee:unlink.button', { account: t('employee:account.learn') }), t('employee:flow.cancel')],
      );

      const done = await bot.click(payloadOf(confirm, 'unlink.confirm', 'learn'), as);
      assert.deepEqual(texts(done), [
        t('employee:unlink.doneTitle'),
        t('employee:unlink.done', { account: t('employee:account.learn'), accountId: MCID }),
        CREDIT_UNTIL[locale],
        t('employee:unlink.relink', { max: 3, months: 12, days: 30 }),
        t('menu.status'),
        t('menu.back'),
      ]);
      assert.deepEqual(await active(stores), []);
      assert.equal((await stores.ledger.get('associations', 'a1'))?.endReason, 'unlinked');
    });

    it('records one change when the same confirmation is submitted twice', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);
      const confirm = await bot.say(p.unlink, as);
      const submit = payloadOf(confirm, 'unlink.confirm', 'learn');
      await bot.click(submit, as);
      const replay = await bot.click(submit, as);
      assert.equal(texts(replay)[0], t('employee:flow.stale'));
      assert.equal((await allRecords(stores.ledger, 'processed')).length, 1);
      assert.equal((await allRecords(stores.ledger, 'associations')).length, 1);
      assert.deepEqual((await stores.ledger.get('associations', 'a1'))?.end, new Date('2026-03-02T09:00:00Z'));
    });

    it(`keeps everything when the person answers “${p.no}”`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);
      await bot.say(p.unlink, as);
      assert.equal(texts(await bot.say(p.no, as))[0], t('employee:flow.cancelled'));
      assert.equal((await active(stores)).length, 1);
    });

    it(`unlinks the only linked account on a typed “${p.yes}”`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);
      await bot.say(p.unlink, as);
      assert.equal(texts(await bot.say(p.yes, as))[0], t('employee:unlink.doneTitle'));
      assert.equal((await active(stores)).length, 0);
    });

    it(`cancels at the confirmation with “${p.cancel}”`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);
      const confirm = await bot.say(p.unlink, as);
      assert.equal(texts(await bot.say(p.cancel, as))[0], t('employee:flow.cancelled'));
      // The card of the cancelled flow no longer acts.
      assert.equal(texts(await bot.click(payloadOf(confirm, 'unlink.confirm', 'learn'), as))[0], t('employee:flow.stale'));
      assert.equal((await active(stores)).length, 1);
    });

    it('re-asks on an answer that is not one of the choices', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const bot = startBot(instance(), stores);
      await bot.say(p.unlink, as);
      assert.deepEqual(texts(await bot.say('maybe later', as)), [t('employee:unlink.retry')]);
      assert.equal((await active(stores)).length, 1);
    });

    it('says there is nothing to unlink when nothing is linked here', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked({ personId: 'aad-old', tenantId: 'tenant-fabrikam' })]);
      const bot = startBot(instance(), stores);
      assert.deepEqual(texts(await bot.say(p.unlink, as)), [t('employee:unlink.nothingTitle'), t('employee:unlink.nothing'), t('menu.link'), t('menu.back')]);
    });

    it('survives a restart between the confirmation card and the click', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [linked()]);
      const confirm = await startBot(instance(), stores).say(p.unlink, as);
      const done = await startBot(instance(), stores).click(payloadOf(confirm, 'unlink.confirm', 'learn'), as);
      assert.equal(texts(done)[0], t('employee:unlink.doneTitle'));
      assert.equal((await active(stores)).length, 0);
    });
  });

  it('offers each linked account and unlinks only the one chosen', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await history(stores.ledger, [linked(), linked({ id: 'u1', kind: 'university', accountId: 'me@example.com' })]);
    const bot = startBot(instance(), stores);
    const confirm = await bot.say('unlink');
    assert.deepEqual(
      submitActions(confirm[0]!).map((a) => (a.data as { action: string; kind?: string }).kind ?? (a.data as { action: string }).action),
      ['learn', 'university', 'flow.cancel'],
    );
    // With two accounts a bare "yes" is ambiguous: the person is asked to choose.
    assert.deepEqual(texts(await bot.say('yes')), [translatorFor(instance(), 'en')('employee:unlink.retry')]);
    await bot.click(payloadOf(confirm, 'unlink.confirm', 'university'));
    assert.deepEqual((await active(stores)).map((a) => a.id), ['a1']);
  });

  it('only ever unlinks the speaker’s own account: a person id slipped into the card data is ignored', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await register(stores.ledger, { personId: 'aad-colleague', tenantId: ME.tenantId });
    await history(stores.ledger, [linked(), linked({ id: 'c1', personId: 'aad-colleague', accountId: '99999999' })]);
    const bot = startBot(instance(), stores);
    const confirm = await bot.say('unlink');
    await bot.click({ ...payloadOf(confirm, 'unlink.confirm', 'learn'), personId: 'aad-colleague' });
    assert.deepEqual((await active(stores)).map((a) => a.id), ['c1']);
  });

  it('unlinks once when two identical submits arrive at the same time', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await history(stores.ledger, [linked()]);
    const confirm = await startBot(instance(), stores).say('unlink');
    const submit = payloadOf(confirm, 'unlink.confirm', 'learn');
    // Two bot instances on the same stores: both turns find the flow waiting for this very confirmation.
    const [first, second] = [startBot(instance(), stores), startBot(instance(), stores)];
    const replies = await Promise.all([first.click(submit), second.click(submit)]);
    const en = translatorFor(instance(), 'en');
    const seconds = replies.map((r) => texts(r)[1]).sort();
    assert.deepEqual(seconds, [en('employee:unlink.alreadyDone'), en('employee:unlink.done', { account: en('employee:account.learn'), accountId: MCID })].sort());
    assert.equal((await allRecords(stores.ledger, 'processed')).length, 1);
    assert.equal((await allRecords(stores.ledger, 'associations')).filter((a) => a.end !== undefined).length, 1);
  });
});
