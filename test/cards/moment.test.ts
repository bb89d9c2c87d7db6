import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { moment } from '../../cards/employee.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';

/** The 30 days end at 22:01 in Paris on January 2, 2027 (21:01 UTC); at midnight they end with the day itself. */
const EVENING = new Date('2027-01-02T21:01:00Z');
const MIDNIGHT = new Date('2027-01-01T23:00:00Z');

const EXPECTED: Record<Locale, { evening: string; midnight: string }> = {
  en: { evening: 'You can link it again starting January 2, 2027 at 10:01 PM.', midnight: 'You can link it again starting January 2, 2027.' },
  fr: {
    evening: 'Vous pourrez de nouveau l’associer à partir du 2 janvier 2027 à 22:01.',
    midnight: 'Vous pourrez de nouveau l’associer à partir du 2 janvier 2027.',
  },
  'zh-CN': { evening: '你可以从 2027年1月2日 22:01 起再次关联。', midnight: '你可以从 2027年1月2日 起再次关联。' },
};

describe('the next date a person may link', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of Object.keys(EXPECTED) as Locale[]) {
    it(`shows the time of day in the person’s time zone unless it is midnight there (${locale})`, () => {
      const t = translatorFor(instance, locale);
      assert.equal(t('employee:wait.next', moment('Europe/Paris', { date: EVENING })), EXPECTED[locale].evening);
      assert.equal(t('employee:wait.next', moment('Europe/Paris', { date: MIDNIGHT })), EXPECTED[locale].midnight);
    });
  }

  it('decides midnight in the person’s own time zone, not in UTC', () => {
    const t = translatorFor(instance, 'en');
    assert.equal(t('employee:wait.next', moment('UTC', { date: MIDNIGHT })), 'You can link it again starting January 1, 2027 at 11:00 PM.');
  });
});
