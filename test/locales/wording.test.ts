import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import frFaq from '../../locales/fr/faq.json' with { type: 'json' };
import zhFaq from '../../locales/zh-CN/faq.json' with { type: 'json' };
import { accountKindNamed } from '../../dialogs/recognizers/answerWords.js';
import { createI18n } from '../../locales/i18n.js';
import { resources } from '../../locales/resources.js';
import { translatorFor } from '../../locales/translate.js';

/** Every string of a locale's interface namespaces (FAQ content is reviewed on its own), placeholders removed. */
function prose(locale: 'en' | 'fr' | 'zh-CN'): string[] {
  const out: string[] = [];
  const visit = (node: unknown): void => {
    if (typeof node === 'string') out.push(node.replace(/\{\{[^}]*\}\}/g, ''));
    else if (node && typeof node === 'object') Object.values(node).forEach(visit);
  };
  visit(resources[locale]);
  return out;
}

describe('wording a native reader expects', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('fr: "compte Microsoft Learning", "locataire", and Université partenaire (Partner University) named on first mention', () => {
    const fr = prose('fr');
    assert.deepEqual(fr.filter((s) => /compte Microsoft Learn(?!ing)/.test(s)), []);
    assert.deepEqual(fr.filter((s) => /\btenant\b/i.test(s)), []);
    const t = translatorFor(instance, 'fr');
    assert.match(t('welcome.intro'), /Université partenaire \(Partner University\)/);
    assert.match(t('employee:kind.universityHint'), /^Compte Université partenaire \(Partner University\)/);
    assert.doesNotMatch(t('employee:move.title'), /MCID/, 'a move can be of a Partner University account');
    for (const typed of ['Université partenaire', 'université partenaire (Partner University)', 'compte Université partenaire']) {
      assert.equal(accountKindNamed(typed), 'university', typed);
    }
    assert.doesNotMatch(frFaq['link-university'].answer, /libellé du bouton/);
  });

  it('zh-CN: one name for the bot, 个人聊天, spaces around Latin names, 警报 for competency alerts', () => {
    const zh = prose('zh-CN');
    assert.deepEqual(zh.filter((s) => /机器人|私人聊天|MCID Link Assistant/.test(s)), []);
    const t = translatorFor(instance, 'zh-CN');
    assert.equal(t('alerts:commands.listItem', { name: '常规', by: 'Ada Admin', date: '2026年3月2日' }), '常规：由 Ada Admin 于 2026年3月2日 订阅');
    assert.match(t('alerts:commands.subscribed'), /能力警报/);
    assert.match(zhFaq['association-limited'].answer, /每个 MCID/);
  });

  it('en: certifications, not credentials, for what people earn', () => {
    assert.deepEqual(prose('en').filter((s) => /credential/i.test(s)), []);
  });
});
