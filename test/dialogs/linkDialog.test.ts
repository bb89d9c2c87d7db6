import assert from 'node:assert/strict';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { Association } from '../../rules/index.js';
import { forEachLocale, useI18n } from '../support/localeSuites.js';
import { cardTexts, openUrls } from '../support/cards.js';
import { associations, buttonsOf, freshStores, history, knownAccount, ME, payloadOf, provenAccount, register, startBot, type Reply } from './harness.js';
import { allRecords } from '../support/ledgerRecords.js';

const MCID = '12345678';
const SIGN_IN_URL = `https://bot.example/signin/start?ticket=test-${ME.personId}`;
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);

function learn(id: string, start: string, fields: Partial<Association> = {}): Association {
  return { id, ...ME, kind: 'learn', accountId: MCID, start: new Date(start), ...fields };
}

/** The exact lines of the blocked case: a start on February 20 at 23:30 UTC, so the next date is March 22 at 23:30 UTC. */
const WAIT: Record<Locale, { next: string; starts: string }> = {
  // No time zone from the client: UTC, still March 22, at the time the 30 days end.
  en: { next: 'You can link it again starting March 22, 2026 at 11:30 PM.', starts: 'Links started in the last 12 months: 1 of 3 (2 left).' },
  // Paris is UTC+1 in March: already March 23, half past midnight.
  fr: {
    next: 'Vous pourrez de nouveau l’associer à partir du 23 mars 2026 à 00:30.',
    starts: 'Associations commencées au cours des 12 derniers mois\u00a0: 1 sur 3 (il en reste 2).',
  },
  // Shanghai is UTC+8: March 23, 07:30.
  'zh-CN': { next: '你可以从 2026年3月23日 07:30 起再次关联。', starts: '过去 12 个月内已开始的关联：1/3 次（还剩 2 次）。' },
};

describe('the link dialog', () => {
  const instance = useI18n();

  forEachLocale(instance, ({ locale, phrases: p, as, t }) => {
    it(`goes from “${p.link}” to the sign-in card: kind, MCID (asked once, re-asked when invalid), deep link`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);

      const kindCard = await bot.say(p.link, as);
      assert.deepEqual(texts(kindCard).slice(0, 3), [t('employee:kind.title'), t('employee:kind.learnHint'), t('employee:kind.universityHint')]);

      const ask = await bot.click(payloadOf(kindCard, 'link.kind', 'learn'), as);
      assert.deepEqual(texts(ask), [t('employee:askAccount.learn')]);

      // Not an MCID and no question either (a question here is answered and the MCID asked again: see understanding.test.ts).
      const retry = await bot.say('12-34!', as);
      assert.deepEqual(texts(retry), [t('employee:askAccount.learnRetry')]);

      const signIn = await bot.say(MCID, as);
      const shown = texts(signIn);
      assert.equal(shown[0], t('employee:signIn.title'));
      assert.ok(shown.includes(t('employee:signIn.learn', { accountId: MCID })));
      assert.ok(shown.includes(t('employee:signIn.tip')));
      assert.ok(shown.includes(t('employee:signIn.creditLearn', { days: 10 })));
      assert.deepEqual(openUrls(...signIn), [{ title: t('employee:signIn.button'), url: SIGN_IN_URL }]);

      const [request] = bot.signInLinks.requests;
      // The person's time zone travels with the ticket, so the sign-in page and outcome card show local dates.
      assert.deepEqual(
        { ...request, conversation: undefined },
        { ...ME, kind: 'learn', accountId: MCID, locale, timeZone: p.timeZone ?? 'UTC', conversation: undefined },
      );
      assert.equal((request!.conversation as { conversation: { id: string } }).conversation.id, `a:personal-${ME.personId}`);
      // The link itself is recorded by the sign-in callback, not by the dialog.
      assert.deepEqual(await associations(stores.ledger), []);

      // The MCID is not asked again: until it is proven by signing in, the next link offers it to confirm or change.
      const again = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.deepEqual(texts(again).slice(0, 2), [t('employee:confirmAccount.title'), t('employee:confirmAccount.learn', { accountId: MCID })]);
      const kept = await bot.click(buttonsOf(again).find((b) => (b.data as { keep?: boolean }).keep === true)!.data as Record<string, unknown>, as);
      assert.equal(texts(kept)[0], t('employee:signIn.title'));
      assert.equal(bot.signInLinks.requests[1]?.accountId, MCID);
    });

    it('links a Partner University account by its e-mail address, with the assessments’ credit times', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      await bot.say(p.link, as);
      assert.deepEqual(texts(await bot.say(p.university, as)), [t('employee:askAccount.university')]);
      assert.deepEqual(texts(await bot.say('12345678', as)), [t('employee:askAccount.universityRetry')]);
      const signIn = await bot.say('Me@Example.com', as);
      assert.ok(texts(signIn).includes(t('employee:signIn.university', { accountId: 'me@example.com' })));
      assert.ok(texts(signIn).includes(t('employee:signIn.creditUniversity', { hours: 72, min: 7, max: 10 })));
      assert.equal(bot.signInLinks.requests[0]?.kind, 'university');
    });

    it('re-asks for the kind when the answer is neither button nor kind', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      await bot.say(p.link, as);
      assert.deepEqual(texts(await bot.say('42', as)), [t('employee:kind.retry')]);
      assert.deepEqual(texts(await bot.say('learn', as)), [t('employee:askAccount.learn')]);
    });

    it('tells a person who is not a Partner Center user whom to ask and why', async () => {
      const bot = startBot(instance(), freshStores());
      const replies = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      // The way forward: who the admins are, and the menu.
      assert.deepEqual(texts(replies), [t('employee:notRegistered.title'), t('employee:notRegistered.why'), t('employee:notRegistered.who'), t('employee:admins.button'), t('menu.back')]);
      assert.match(t('employee:notRegistered.who'), locale === 'en' ? /Global admin or Account admin/ : locale === 'fr' ? /administrateur général/ : /全局管理员/);
    });

    it('refuses an MCID bound to a colleague and points to Certification Support', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await knownAccount(stores.ledger, 'learn', MCID, { personId: 'aad-colleague', tenantId: ME.tenantId });
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      const replies = await bot.say(MCID, as);
      assert.equal(texts(replies)[0], t('employee:boundElsewhere.title'));
      assert.deepEqual(openUrls(...replies), [{ title: t('employee:boundElsewhere.support'), url: 'https://aka.ms/mcpforum' }]);
      assert.equal(bot.signInLinks.requests.length, 0);
    });

    it('shows the exact next date in the person’s time zone when the 30-day cool-off applies', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [learn('a1', '2026-02-20T23:30:00Z', { end: new Date('2026-02-25T00:00:00Z'), endReason: 'unlinked' })]);
      const bot = startBot(instance(), stores);
      const replies = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.deepEqual(texts(replies), [t('employee:wait.title'), WAIT[locale].next, t('employee:wait.coolOff', { days: 30 }), WAIT[locale].starts, t('employee:wait.remind'), t('menu.status'), t('menu.back')]);
      assert.equal(bot.signInLinks.requests.length, 0);
    });

    it('reveals nothing of another person’s MCID history: a typed MCID with three links elsewhere goes to sign-in, where the rules apply', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await history(stores.ledger, [
        learn('o1', '2025-04-10T09:00:00Z', { personId: 'aad-owner', tenantId: 'tenant-fabrikam', end: new Date('2025-05-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('o2', '2025-06-15T09:00:00Z', { personId: 'aad-owner', tenantId: 'tenant-fabrikam', end: new Date('2025-07-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('o3', '2025-09-01T09:00:00Z', { personId: 'aad-owner', tenantId: 'tenant-fabrikam' }),
      ]);
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      const shown = texts(await bot.say(MCID, as));
      assert.ok(!shown.includes(t('employee:wait.title')), JSON.stringify(shown));
      assert.ok(!shown.some((line) => line.includes(t('employee:wait.yearly', { max: 3, months: 12 })) || /2026/.test(line)), JSON.stringify(shown));
      assert.ok(!shown.includes(t('employee:move.title')), 'not even that the MCID is linked elsewhere');
      assert.equal(bot.signInLinks.requests.length, 1, 'the sign-in decides, with the person proving the MCID');
      // The next link offers the MCID this person typed, and still nothing of its history.
      const again = texts(await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as));
      assert.ok(again.includes(t('employee:confirmAccount.learn', { accountId: MCID })), JSON.stringify(again));
    });

    it('names the yearly limit when three starts were used in twelve months', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [
        learn('a1', '2025-04-10T09:00:00Z', { end: new Date('2025-05-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('a2', '2025-06-15T09:00:00Z', { end: new Date('2025-07-01T00:00:00Z'), endReason: 'unlinked' }),
        learn('a3', '2025-09-01T09:00:00Z', { end: new Date('2025-10-01T00:00:00Z'), endReason: 'unlinked' }),
      ]);
      const bot = startBot(instance(), stores);
      const shown = texts(await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as));
      assert.ok(shown.includes(t('employee:wait.yearly', { max: 3, months: 12 })), JSON.stringify(shown));
      assert.ok(shown.includes(t('employee:wait.starts', { months: 12, used: 3, max: 3, left: 0 })));
      assert.ok(shown.some((line) => /2026/.test(line) && /(April|avril|4月)/.test(line)), JSON.stringify(shown));
    });

    it('says so when the MCID is already linked here', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [learn('a1', '2025-11-02T09:00:00Z')]);
      const bot = startBot(instance(), stores);
      const shown = texts(await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as));
      assert.equal(shown[0], t('employee:already.title'));
      assert.match(shown[1]!, /2025/);
    });

    it('warns that a move unlinks the other organization, and goes to sign-in once confirmed', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [learn('old', '2025-11-02T09:00:00Z', { personId: 'aad-old', tenantId: 'tenant-fabrikam' })]);
      const bot = startBot(instance(), stores);
      const move = await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.deepEqual(texts(move).slice(0, 3), [
        t('employee:move.title'),
        t('employee:move.text', { account: t('employee:account.learn'), accountId: MCID }),
        t('employee:move.quota', { used: 2, max: 3, months: 12 }),
      ]);
      const signIn = await bot.click(payloadOf(move, 'link.move'), as);
      assert.ok(texts(signIn).includes(t('employee:signIn.move')));
      assert.equal(openUrls(...signIn)[0]?.url, SIGN_IN_URL);
      // Nothing moves before the person proves the account by signing in.
      assert.equal((await stores.ledger.get('associations', 'old'))?.end, undefined);
    });

    it(`stops when the person answers “${p.no}” to the move`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      await provenAccount(stores.ledger, 'learn', MCID);
      await history(stores.ledger, [learn('old', '2025-11-02T09:00:00Z', { personId: 'aad-old', tenantId: 'tenant-fabrikam' })]);
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.equal(texts(await bot.say(p.no, as))[0], t('employee:flow.cancelled'));
      assert.equal(bot.signInLinks.requests.length, 0);
    });

    it(`cancels in the middle with “${p.cancel}”, and the next message is no longer an answer`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      const cancelled = await bot.say(p.cancel, as);
      assert.equal(texts(cancelled)[0], t('employee:flow.cancelled'));
      assert.ok(texts(cancelled).includes(t('menu.title')));
      await bot.say(MCID, as);
      assert.equal((await allRecords(stores.ledger, 'accounts')).length, 0);
      assert.equal(bot.signInLinks.requests.length, 0);
    });

    it('cancels with the card’s Cancel button', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      const kindCard = await bot.say(p.link, as);
      assert.equal(texts(await bot.click(payloadOf(kindCard, 'flow.cancel'), as))[0], t('employee:flow.cancelled'));
      // The card's buttons are now stale: a late click does nothing but say so.
      assert.equal(texts(await bot.click(payloadOf(kindCard, 'link.kind', 'learn'), as))[0], t('employee:flow.stale'));
    });

    it(`explains the step on “${p.help}” and asks again`, async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance(), stores);
      await bot.click(payloadOf(await bot.say(p.link, as), 'link.kind', 'learn'), as);
      assert.deepEqual(texts(await bot.say(p.help, as)), [t('employee:flow.helpLink'), t('employee:askAccount.learn')]);
      assert.equal(texts(await bot.say(MCID, as))[0], t('employee:signIn.title'));
    });

    it('survives a restart in the middle: a new bot on the same stores takes the MCID', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const before = startBot(instance(), stores);
      await before.click(payloadOf(await before.say(p.link, as), 'link.kind', 'learn'), as);
      const after = startBot(instance(), stores);
      const signIn = await after.say(MCID, as);
      assert.equal(texts(signIn)[0], t('employee:signIn.title'));
      assert.equal(after.signInLinks.requests[0]?.accountId, MCID);
    });
  });

  it('runs the other command when a person asks for their status in the middle of linking', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    const bot = startBot(instance(), stores);
    const en = translatorFor(instance(), 'en');
    await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
    assert.equal(texts(await bot.say('status'))[0], en('employee:status.title'));
    // The link flow is over: an MCID now is not an answer to anything.
    await bot.say(MCID);
    assert.equal((await allRecords(stores.ledger, 'accounts')).length, 0);
  });

  it('starts again in the new language when the person changes language in the middle', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    const bot = startBot(instance(), stores);
    const fr = translatorFor(instance(), 'fr');
    await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
    const replies = await bot.click({ action: 'language.set', locale: 'fr' });
    assert.deepEqual(texts(replies).slice(0, 2), [fr('languageChanged', { language: 'Français' }), fr('employee:kind.title')]);
  });

  it('ignores a move confirmation from another card (another nonce) and asks again', async () => {
    const stores = freshStores();
    await register(stores.ledger);
    await provenAccount(stores.ledger, 'learn', MCID);
    await history(stores.ledger, [learn('old', '2025-11-02T09:00:00Z', { personId: 'aad-old', tenantId: 'tenant-fabrikam' })]);
    const bot = startBot(instance(), stores);
    await bot.click(payloadOf(await bot.say('link'), 'link.kind', 'learn'));
    const en = translatorFor(instance(), 'en');
    assert.deepEqual(texts(await bot.click({ action: 'link.move', nonce: 'some-other-card' })), [en('employee:move.retry')]);
    assert.equal(bot.signInLinks.requests.length, 0);
  });
});
