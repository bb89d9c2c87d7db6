import assert from 'node:assert/strict';
import i18next, { type i18n } from 'i18next';
import { commonResources, createI18n } from '../../locales/i18n.js';
import { LOCALES, type Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';

describe('createI18n', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('creates its own instance and leaves the global one alone', () => {
    assert.notEqual(instance, i18next);
    assert.equal(instance.isInitialized, true);
    assert.notEqual(i18next.isInitialized, true);
  });

  it('answers zh-CN in Simplified Chinese, not in the English fallback', () => {
    const t = translatorFor(instance, 'zh-CN');
    assert.equal(t('welcome.title'), commonResources['zh-CN'].welcome.title);
    assert.notEqual(t('welcome.title'), commonResources.en.welcome.title);
  });

  it('resolves the command words nested in the help line', () => {
    assert.equal(
      translatorFor(instance, 'en')('menu.hint'),
      'You can also type “link”, “unlink”, “status”, “help” or “language”.',
    );
    assert.match(translatorFor(instance, 'zh-CN')('menu.hint'), /“关联”“取消关联”“状态”“帮助”或“语言”/);
    assert.match(translatorFor(instance, 'fr')('menu.hint'), /«\u00a0associer\u00a0»/);
  });

  it('does not HTML-escape interpolated values, since cards are not HTML', () => {
    const t = translatorFor(instance, 'en');
    assert.equal(t('comingSoon', { feature: 'Q&A <beta>' }), 'Sorry, Q&A <beta> isn’t available yet. It’s coming soon.');
  });

  const date = new Date('2025-03-14T23:30:00Z');
  const expected: Record<Locale, [string, string]> = {
    en: ['You can link an account again starting March 14, 2025.', 'You can link an account again starting March 15, 2025.'],
    'zh-CN': ['你可以从2025年3月14日起再次关联帐户。', '你可以从2025年3月15日起再次关联帐户。'],
    fr: [
      'Vous pourrez de nouveau associer un compte à partir du 14 mars 2025.',
      'Vous pourrez de nouveau associer un compte à partir du 15 mars 2025.',
    ],
  };
  for (const locale of LOCALES) {
    it(`formats a date through Intl in ${locale}, in the person's time zone`, () => {
      const t = translatorFor(instance, locale);
      const [utc, shanghai] = expected[locale];
      assert.equal(t('status.nextLinkDate', { date, formatParams: { date: { timeZone: 'UTC' } } }), utc);
      // 23:30 UTC is already the next morning in Shanghai.
      assert.equal(t('status.nextLinkDate', { date, formatParams: { date: { timeZone: 'Asia/Shanghai' } } }), shanghai);
    });
  }

  for (const locale of LOCALES) {
    it(`renders every common key in ${locale} with nothing left unresolved`, () => {
      const t = translatorFor(instance, locale);
      const values = { feature: 'X', language: 'Y', date };
      for (const key of keysOf(commonResources[locale])) {
        const text = t(key, values);
        assert.notEqual(text, key, key);
        assert.doesNotMatch(text, /\{\{|\$t\(/, key);
      }
    });
  }
});

function keysOf(node: object, prefix = ''): string[] {
  return Object.entries(node).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}
