import assert from 'node:assert/strict';
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from '../../locales/locale.js';
import { matchSupportedLocale, resolveTurnLocale } from '../../locales/resolveLocale.js';

describe('matchSupportedLocale', () => {
  const table: [string | undefined, Locale | undefined][] = [
    ['en', 'en'],
    ['en-US', 'en'],
    ['en-us', 'en'],
    ['en-GB', 'en'],
    ['fr', 'fr'],
    ['fr-FR', 'fr'],
    ['fr-CA', 'fr'],
    ['FR-ch', 'fr'],
    ['zh', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh_CN', 'zh-CN'],
    ['zh-TW', undefined],
    ['zh-Hant', undefined],
    ['zh-HK', undefined],
    ['zh-Hant-CN', undefined],
    ['de-DE', undefined],
    ['de-CH', undefined],
    ['und', undefined],
    ['not a locale', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  for (const [tag, expected] of table) {
    it(`maps ${JSON.stringify(tag)} to ${String(expected)}`, () => {
      assert.equal(matchSupportedLocale(tag), expected);
    });
  }
});

describe('resolveTurnLocale', () => {
  const table: [Locale | undefined, string | undefined, Locale][] = [
    ['fr', 'zh-CN', 'fr'],
    ['zh-CN', undefined, 'zh-CN'],
    [undefined, 'fr-CA', 'fr'],
    [undefined, 'zh-cn', 'zh-CN'],
    [undefined, 'de-DE', 'en'],
    [undefined, 'zh-TW', 'en'],
    [undefined, undefined, 'en'],
  ];
  for (const [stored, activityLocale, expected] of table) {
    it(`picks ${expected} when the stored choice is ${String(stored)} and Teams says ${String(activityLocale)}`, () => {
      assert.equal(resolveTurnLocale(stored, activityLocale), expected);
    });
  }
});

describe('isLocale', () => {
  it('accepts exactly the supported codes', () => {
    for (const locale of LOCALES) assert.equal(isLocale(locale), true);
    for (const other of ['de', 'zh', 'zh-cn', 'EN', '', undefined, null, 3, {}]) assert.equal(isLocale(other), false);
  });

  it('names every language in that language', () => {
    assert.deepEqual(LOCALE_NAMES, { en: 'English', 'zh-CN': '中文（简体）', fr: 'Français' });
  });
});
