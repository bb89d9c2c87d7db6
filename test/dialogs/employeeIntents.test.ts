import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { intentFromCardAction, routeText, type Intent } from '../../dialogs/recognizers/intents.js';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor } from '../../locales/translate.js';
import { cardTexts } from '../support/cards.js';
import { freshStores, register, startBot } from './harness.js';

describe('employee commands', () => {
  const typed: Array<[string, Intent['kind']]> = [
    ['link my MCID', 'link'],
    ['Link my Microsoft Learn account', 'link'],
    ['associer mon compte Learn', 'link'],
    ['Associer mon MCID', 'link'],
    ['lier un compte', 'link'],
    ['关联我的 MCID', 'link'],
    ['关联我的MCID', 'link'],
    ['关联帐户', 'link'],
    ['unlink', 'unlink'],
    ['Unlink my MCID', 'unlink'],
    ['dissocier', 'unlink'],
    ['Dissocier mon compte', 'unlink'],
    ['取消关联', 'unlink'],
    ['解除关联我的 MCID', 'unlink'],
    ['my status', 'status'],
    ['When can I link again?', 'status'],
    ['quand puis-je lier à nouveau ?', 'status'],
    ['Quand puis-je associer mon MCID de nouveau ?', 'status'],
    ['When can I link my account again?', 'status'],
    ['什么时候能再关联我的 MCID？', 'status'],
    ['When can I link again, and why is there a limit of three a year?', 'question'],
    ['quand pourrai-je associer à nouveau', 'status'],
    ['什么时候可以再关联', 'status'],
    ['我什么时候可以再次关联？', 'status'],
    ['cancel', 'cancel'],
    ['annuler', 'cancel'],
    ['取消', 'cancel'],
    ['算了', 'cancel'],
    ['help', 'help'],
    ['aide', 'help'],
    ['帮助', 'help'],
    ['language', 'choose-language'],
    ['langue', 'choose-language'],
    ['语言', 'choose-language'],
  ];
  for (const [text, kind] of typed) {
    it(`reads “${text}” as ${kind}`, () => {
      assert.equal(routeText(text, 'en').kind, kind);
    });
  }

  it('maps the flows’ buttons: Cancel to cancel, answers to the waiting flow', () => {
    assert.deepEqual(intentFromCardAction({ action: 'flow.cancel' }), { kind: 'cancel' });
    assert.deepEqual(intentFromCardAction({ action: 'link.kind', kind: 'learn' }), { kind: 'flow-answer', action: { action: 'link.kind', kind: 'learn' } });
  });

  describe('through the bot', () => {
    let instance: i18n;
    before(async () => {
      instance = await createI18n();
    });

    it('starts the same flows from the menu buttons as from typing', async () => {
      const stores = freshStores();
      await register(stores.ledger);
      const bot = startBot(instance, stores);
      const en = translatorFor(instance, 'en');
      assert.equal(cardTexts((await bot.click({ action: 'menu.link' }))[0]!)[0], en('employee:kind.title'));
      await bot.say('cancel');
      assert.equal(cardTexts((await bot.click({ action: 'menu.unlink' }))[0]!)[0], en('employee:unlink.nothingTitle'));
      assert.equal(cardTexts((await bot.click({ action: 'menu.status' }))[0]!)[0], en('employee:status.title'));
    });

    it('never stays silent: a flow button with no flow waiting gets the menu', async () => {
      const bot = startBot(instance, freshStores());
      const fr = translatorFor(instance, 'fr');
      const [reply] = await bot.click({ action: 'link.move', nonce: 'old-card-0001' }, { locale: 'fr' });
      assert.equal(reply!.text, fr('employee:flow.stale'));
      assert.ok(cardTexts(reply!).includes(fr('menu.title')));
    });
  });
});
