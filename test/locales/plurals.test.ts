import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor } from '../../locales/translate.js';

describe('sentences that count people', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('agree at one and at more than one, in every language', () => {
    const en = translatorFor(instance, 'en');
    const fr = translatorFor(instance, 'fr');
    const zh = translatorFor(instance, 'zh-CN');
    assert.match(en('admin:users.pendingIntro', { count: 1 }), /^One person was added/);
    assert.match(en('admin:users.pendingIntro', { count: 2 }), /never linked an account: 2\./);
    assert.match(fr('admin:users.pendingIntro', { count: 1 }), /^Cette personne a été ajoutée/);
    assert.match(fr('admin:users.pendingIntro', { count: 4 }), /^Ces personnes ont été ajoutées .*\(4\)/);
    assert.match(zh('admin:users.pendingIntro', { count: 1 }), /共 1 人/);
    const date = { date: new Date('2027-04-01T00:00:00Z'), formatParams: { date: { timeZone: 'UTC', dateStyle: 'long' } } };
    assert.equal(fr('admin:status.pendingStart', { count: 1, ...date }), 'Une personne commence à compter le 1er avril 2027.');
    assert.equal(fr('admin:status.pendingStart', { count: 2, ...date }), '2 personnes commencent à compter le 1er avril 2027.');
    assert.equal(en('admin:status.pendingStart', { count: 1, ...date }), 'One person starts counting on April 1, 2027.');
  });

  it('say "1 pour 1 requises" no more: the all-clear names the minimum instead', () => {
    const fr = translatorFor(instance, 'fr');
    assert.equal(fr('alerts:card.summary.all-clear', { current: 1, required: 1 }), 'Assez de personnes sont de nouveau comptabilisées\u00a0: 1 (minimum requis\u00a0: 1).');
  });
});
