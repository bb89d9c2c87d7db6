import assert from 'node:assert/strict';
import { translatorFor } from '../../locales/translate.js';
import { defaultPolicy } from '../../rules/index.js';
import { accountKey, AssociationService } from '../../services/associations/associations.js';
import { forEachLocale, useI18n } from '../support/localeSuites.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { freshStores, history, knownAccount, ME, NOW, payloadOf, provenAccount, register, startBot, type Reply } from './harness.js';

const TYPO = '12345679';
const MCID = '12345678';
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);
const answer = (replies: Reply[], keep: boolean) => {
  const data = submitActions(replies.at(-1)!).map((a) => a.data as Record<string, unknown>).find((d) => d.action === 'link.account' && d.keep === keep);
  assert.ok(data, JSON.stringify(replies));
  return data;
};

describe('the link dialog lets a person change an account id they never proved', () => {
  const instance = useI18n();

  forEachLocale(instance, ({ phrases: p, as, t }) => {
    it('offers the MCID given before, and “Use another MCID” asks for the right one and links that', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', TYPO);
      const bot = startBot(instance(), stores);

      const confirm = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.deepEqual(texts(confirm), [
        t('employee:confirmAccount.title'),
        t('employee:confirmAccount.learn', { accountId: TYPO }),
        t('employee:confirmAccount.yes'),
        t('employee:confirmAccount.change.learn'),
        t('employee:flow.cancel'),
      ]);
      assert.deepEqual(texts(await bot.click(answer(confirm, false), as)), [t('employee:askAccount.learn')]);
      const signIn = await bot.say(MCID, as);
      assert.equal(texts(signIn)[0], t('employee:signIn.title'));
      assert.ok(texts(signIn).includes(t('employee:signIn.learn', { accountId: MCID })));
      assert.equal(bot.signInLinks.requests[0]?.accountId, MCID);
      assert.equal((await stores.ledger.get('accounts', accountKey(ME, 'learn')))?.accountId, MCID);
    });

    it(`keeps the MCID given before on “${p.yes}”, and takes another one typed straight at the question`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', TYPO);
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.ok(texts(await bot.say(p.yes, as)).includes(t('employee:signIn.learn', { accountId: TYPO })));

      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.ok(texts(await bot.say(MCID, as)).includes(t('employee:signIn.learn', { accountId: MCID })));
      assert.deepEqual(bot.signInLinks.requests.map((r) => r.accountId), [TYPO, MCID]);
    });

    it('offers another Partner University address the same way', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'university', 'me@exmaple.com');
      const bot = startBot(instance(), stores);
      const confirm = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'university'), as);
      assert.ok(texts(confirm).includes(t('employee:confirmAccount.university', { accountId: 'me@exmaple.com' })));
      assert.ok(texts(confirm).includes(t('employee:confirmAccount.change.university')));
      assert.deepEqual(texts(await bot.click(answer(confirm, false), as)), [t('employee:askAccount.university')]);
      assert.ok(texts(await bot.say('me@example.com', as)).includes(t('employee:signIn.university', { accountId: 'me@example.com' })));
    });

    it('never offers to change an MCID proven by signing in: one MCID per person', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      const bot = startBot(instance(), stores);
      const replies = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.equal(texts(replies)[0], t('employee:signIn.title'));
      assert.ok(texts(replies).includes(t('employee:signIn.learn', { accountId: MCID })));
    });
  });

  it('ignores a confirmation from another card (another nonce) and asks again', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await knownAccount(stores.ledger, 'learn', TYPO);
    const bot = startBot(instance(), stores);
    await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
    const en = translatorFor(instance(), 'en');
    assert.deepEqual(texts(await bot.click({ action: 'link.account', keep: false, nonce: 'some-other-card' })), [en('employee:confirmAccount.retry')]);
    assert.equal(bot.signInLinks.requests.length, 0);
  });

  it('does not offer a change while an account of that kind is linked here', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await knownAccount(stores.ledger, 'learn', MCID);
    await history(stores.ledger, [{ id: 'a1', ...ME, kind: 'learn', accountId: MCID, start: new Date('2025-11-02T09:00:00Z') }]);
    const bot = startBot(instance(), stores);
    const replies = await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
    assert.equal(texts(replies)[0], translatorFor(instance(), 'en')('employee:already.title'));
  });

  describe('AssociationService.rememberAccount', () => {
    const service = (stores: ReturnType<typeof freshStores>) => new AssociationService({ ledger: stores.ledger, policy: defaultPolicy, clock: () => NOW });

    it('replaces an account id that was never proven', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', TYPO);
      assert.equal(await service(stores).changeableAccount({ ...ME, kind: 'learn' }), TYPO);
      assert.deepEqual(await service(stores).rememberAccount({ ...ME, kind: 'learn', accountId: MCID }), { kind: 'remembered', accountId: MCID });
      assert.equal((await stores.ledger.get('accounts', accountKey(ME, 'learn')))?.accountId, MCID);
    });

    it('never replaces a proven binding', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      assert.equal(await service(stores).changeableAccount({ ...ME, kind: 'learn' }), undefined);
      assert.deepEqual(await service(stores).rememberAccount({ ...ME, kind: 'learn', accountId: TYPO }), { kind: 'fixed', accountId: MCID });
      const kept = await stores.ledger.get('accounts', accountKey(ME, 'learn'));
      assert.equal(kept?.accountId, MCID);
      assert.equal(kept?.subject, `login-${ME.personId}`);
    });

    it('says so in the chat when the account was proven between the question and the answer', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', TYPO);
      const bot = startBot(instance(), stores);
      const confirm = await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
      await bot.click(answer(confirm, false));
      await provenAccount(stores.ledger, 'learn', TYPO);
      const en = translatorFor(instance(), 'en');
      const replies = await bot.say(MCID);
      assert.equal(texts(replies)[0], en('employee:confirmAccount.fixed', { account: en('employee:account.learn'), accountId: TYPO }));
      assert.ok(texts(replies).includes(en('employee:signIn.learn', { accountId: TYPO })));
    });
  });
});
