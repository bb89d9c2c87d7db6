import assert from 'node:assert/strict';
import type { Attachment } from 'botbuilder';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { languagePickerCard, mainMenuCard, noticeCard } from '../../cards/index.js';
import { createI18n } from '../../locales/i18n.js';
import { LOCALE_NAMES, LOCALES } from '../../locales/locale.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { submitPayloads, validateAdaptiveCard } from './validateCard.js';

/** Every card the foundation sends, in every variant, built with one locale's Translate. */
function allCards(t: Translate): [string, Attachment][] {
  return [
    ['mainMenu (welcome)', mainMenuCard(t, { greeting: true })],
    ['mainMenu (help)', mainMenuCard(t)],
    ...LOCALES.map((current): [string, Attachment] => [`languagePicker (current ${current})`, languagePickerCard(t, current)]),
    [
      'notice (coming soon, back to menu)',
      noticeCard(t, { title: t('comingSoonTitle'), text: t('comingSoon', { feature: t('feature.link') }), backToMenu: true }),
    ],
    ['notice (error, no button)', noticeCard(t, { title: t('errors.title'), text: t('errors.turn') })],
  ];
}

describe('cards', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of LOCALES) {
    describe(`in ${locale}`, () => {
      it('renders every card as a valid Adaptive Card 1.5 with nothing left unbound', () => {
        for (const [name, card] of allCards(translatorFor(instance, locale))) {
          assert.deepEqual(validateAdaptiveCard(card), [], name);
        }
      });

      it('emits only payloads that cards/actions.ts accepts, unchanged by parsing', () => {
        for (const [name, card] of allCards(translatorFor(instance, locale))) {
          for (const payload of submitPayloads(card)) {
            const parsed = parseCardAction(payload);
            assert.ok(parsed.ok, `${name}: ${JSON.stringify(payload)} ${parsed.ok ? '' : parsed.error}`);
            assert.deepEqual(parsed.action, payload, name);
          }
        }
      });
    });
  }

  it('offers link, unlink, status, FAQ and language on the main menu, labelled in the person’s language', () => {
    const card = mainMenuCard(translatorFor(instance, 'fr'));
    assert.deepEqual(submitPayloads(card), [
      { action: 'menu.link' },
      { action: 'menu.unlink' },
      { action: 'menu.status' },
      { action: 'menu.faq' },
      { action: 'language.choose' },
    ]);
    const titles = (card.content as { actions: { title: string }[] }).actions.map((a) => a.title);
    assert.deepEqual(titles, ['Associer un compte', 'Dissocier un compte', 'Mon statut et ma prochaine association', 'Consulter la FAQ', '🌐 Langue']);
  });

  it('greets on welcome and asks on help', () => {
    const t = translatorFor(instance, 'en');
    assert.equal(firstText(mainMenuCard(t, { greeting: true })), t('welcome.title'));
    assert.equal(firstText(mainMenuCard(t)), t('menu.title'));
  });

  it('labels each language in its own language, whatever the current one', () => {
    const card = languagePickerCard(translatorFor(instance, 'zh-CN'), 'zh-CN');
    const actions = (card.content as { actions: { title: string; data: unknown }[] }).actions;
    assert.deepEqual(
      actions.map((a) => [a.title, a.data]),
      LOCALES.map((locale) => [LOCALE_NAMES[locale], { action: 'language.set', locale }]),
    );
    assert.match(JSON.stringify(card.content), /当前语言：中文（简体）/);
  });

  it('shows the back-to-menu button on a notice only when asked', () => {
    const t = translatorFor(instance, 'en');
    assert.deepEqual(submitPayloads(noticeCard(t, { title: 'T', text: 'X', backToMenu: true })), [{ action: 'menu.help' }]);
    assert.deepEqual(submitPayloads(noticeCard(t, { title: 'T', text: 'X', backToMenu: false })), []);
  });
});

function firstText(card: Attachment): string {
  return (card.content as { body: { text: string }[] }).body[0]!.text;
}
