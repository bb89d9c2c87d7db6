import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { Association } from '../../rules/index.js';
import { isPersonalConversation } from '../../dialogs/teams/activity.js';
import { cardTexts } from '../support/cards.js';
import { freshStores, history, knownAccount, ME, payloadOf, register, startBot, type Reply } from './harness.js';
import { PHRASES } from './phrases.js';
import { allRecords } from '../support/ledgerRecords.js';

const MCID = '12345678';
const COLLEAGUE = { personId: 'aad-colleague', tenantId: ME.tenantId } as const;
const GROUP = { id: '19:group-chat-1@thread.v2', conversationType: 'groupChat' } as const;
const CHANNEL = { id: '19:general@thread.tacv2;messageid=1', conversationType: 'channel' } as const;
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);
const active = async (stores: ReturnType<typeof freshStores>) => (await allRecords(stores.ledger, 'associations')).filter((a) => a.end === undefined).map((a) => a.id);

function linked(fields: Partial<Association> = {}): Association {
  return { id: 'a1', ...ME, kind: 'learn', accountId: MCID, start: new Date('2026-01-15T09:00:00Z'), ...fields };
}

describe('employee flows run only in a personal chat', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  async function twoLinkedColleagues() {
    const stores = freshStores();
    await register(stores.ledger);
    await register(stores.ledger, COLLEAGUE);
    await knownAccount(stores.ledger, 'learn', MCID);
    await history(stores.ledger, [linked(), linked({ id: 'c1', personId: COLLEAGUE.personId, accountId: '99999999' })]);
    return stores;
  }

  for (const locale of LOCALES) {
    const p = PHRASES[locale];
    it(`answers “${p.unlink}”, “${p.link}” and “${p.status}” in a group chat or channel by pointing to the personal chat, in ${locale}, showing nothing`, async () => {
      const stores = await twoLinkedColleagues();
      const bot = startBot(instance, stores);
      const t = translatorFor(instance, locale);
      for (const conversation of [GROUP, CHANNEL]) {
        for (const said of [p.unlink, p.link, p.status]) {
          const replies = await bot.say(said, { locale, conversation });
          assert.deepEqual(texts(replies), [t('employee:flow.personalOnly')], said);
          assert.doesNotMatch(JSON.stringify(replies), new RegExp(MCID));
          assert.deepEqual(replies.flatMap((r) => (r.attachments as unknown[] | undefined) ?? []), []);
        }
      }
      assert.deepEqual(await active(stores), ['a1', 'c1']);
      assert.equal(bot.signInLinks.requests.length, 0);
    });
  }

  it('does nothing when a colleague clicks an unlink confirmation in a group chat: nobody’s account is unlinked', async () => {
    const stores = await twoLinkedColleagues();
    const bot = startBot(instance, stores);
    const en = translatorFor(instance, 'en');
    // A's unlink in the group chat shows no card, so B has nothing to press; a forged or replayed submit changes nothing.
    assert.deepEqual(texts(await bot.say('unlink', { conversation: GROUP })), [en('employee:flow.personalOnly')]);
    for (const person of [COLLEAGUE, ME]) {
      const replies = await bot.click({ action: 'unlink.confirm', kind: 'learn', nonce: 'test-id-0001' }, { ...person, conversation: GROUP });
      assert.deepEqual(texts(replies), [en('employee:flow.personalOnly')]);
    }
    assert.deepEqual(await active(stores), ['a1', 'c1']);
    assert.equal((await allRecords(stores.ledger, 'processed')).length, 0);
  });

  it('drops a flow left waiting in a shared conversation instead of continuing it for whoever clicks', async () => {
    const stores = await twoLinkedColleagues();
    const bot = startBot(instance, stores);
    // A confirmation card left in a group chat's state (as it could be before this check): the same conversation id,
    // first seen as personal, then as the group chat it is.
    const shared = { id: GROUP.id, conversationType: 'personal' } as const;
    const confirm = await bot.say('unlink', { conversation: shared });
    const en = translatorFor(instance, 'en');
    const clicked = await bot.click(payloadOf(confirm, 'unlink.confirm', 'learn'), { ...COLLEAGUE, conversation: GROUP });
    assert.deepEqual(texts(clicked), [en('employee:flow.personalOnly')]);
    assert.deepEqual(await active(stores), ['a1', 'c1']);
    // And the flow is gone: the same click in that conversation, later, is stale even where flows may run.
    const later = await bot.click(payloadOf(confirm, 'unlink.confirm', 'learn'), { conversation: shared });
    assert.equal(texts(later)[0], en('employee:flow.stale'));
    assert.deepEqual(await active(stores), ['a1', 'c1']);
  });

  it('still runs them in the personal chat, and outside Teams where no conversation type is given', () => {
    assert.equal(isPersonalConversation({ channelId: 'msteams', conversation: { id: 'a', conversationType: 'personal' } as never }), true);
    assert.equal(isPersonalConversation({ channelId: 'msteams', conversation: { id: 'a', conversationType: 'groupChat' } as never }), false);
    assert.equal(isPersonalConversation({ channelId: 'msteams', conversation: { id: 'a', conversationType: 'channel' } as never }), false);
    assert.equal(isPersonalConversation({ channelId: 'msteams', conversation: { id: 'a' } as never }), false);
    assert.equal(isPersonalConversation({ channelId: 'emulator', conversation: { id: 'a' } as never }), true);
    assert.equal(isPersonalConversation({ channelId: 'emulator', conversation: { id: 'a', conversationType: 'groupChat' } as never }), false);
  });
});
