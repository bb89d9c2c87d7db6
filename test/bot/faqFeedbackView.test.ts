import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { validateAdaptiveCard } from '../cards/validateCard.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { BOSS, seedPeople, startAdminBot, TENANT } from './adminSupport.js';
import { allRecords } from '../support/ledgerRecords.js';

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };
/** A question of the `find-mcid` topic in each language. */
const QUESTION: Record<Locale, string> = { en: 'Where do I find my MCID?', fr: 'Où trouver mon MCID ?', 'zh-CN': '我在哪里可以找到我的 MCID？' };
const FEEDBACK: Record<Locale, string> = { en: 'faq feedback', fr: 'avis sur la FAQ', 'zh-CN': '常见问题反馈' };

function assertValidCards(activity: Record<string, unknown>): void {
  for (const attachment of (activity.attachments as Array<{ contentType: string; content: unknown }> | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), []);
  }
  for (const action of submitActions(activity)) assert.ok(parseCardAction(action.data).ok, JSON.stringify(action.data));
}

describe('FAQ feedback: the 👎 follow-up and the admin view', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    it(`in ${locale}: a 👎 offers the nearest other answers, support and a comment box; the admins read counts and comments`, async () => {
      const t = translatorFor(instance, locale);
      const as = (personId: string, extra: Partial<ActivityOptions> = {}): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT, ...extra });
      const bot = startAdminBot(instance);
      await seedPeople(bot.ledger, [{ who: 'ann' }, { who: 'ben', role: 'partner-admin' }]);

      const [answer] = await bot.say(message(QUESTION[locale], as('aad-ann')));
      const no = submitActions(answer!).find((a) => (a.data as { action: string; helpful?: boolean }).action === 'faq.feedback' && (a.data as { helpful: boolean }).helpful === false);
      assert.ok(no);
      const [followUp] = await bot.say(cardSubmit(no.data, as('aad-ann')));
      assert.equal(followUp!.text, t('faqCard.thanks'));
      assertValidCards(followUp!);
      const actions = submitActions(followUp!).map((a) => a.data as { action: string; topic: string });
      const related = actions.filter((a) => a.action === 'faq.show');
      assert.ok(related.length >= 1 && related.length <= 3, 'the nearest other answers');
      assert.ok(related.every((a) => a.topic !== 'find-mcid'), 'not the same answer again');
      assert.ok(cardTexts(followUp!).includes(t('faqCard.commentLabel')));
      const send = actions.find((a) => a.action === 'faq.comment');
      assert.deepEqual(send, { action: 'faq.comment', topic: 'find-mcid', locale });

      // Teams merges the comment box into the payload.
      const [thanks] = await bot.say(cardSubmit({ ...send, comment: '  I looked for it on the Learn profile page  ' }, as('aad-ann')));
      assert.equal(thanks!.text, t('faqCard.commentThanks'));
      const [empty] = await bot.say(cardSubmit({ ...send, comment: '   ' }, as('aad-ann')));
      assert.equal(empty!.text, t('faqCard.commentEmpty'));
      assert.equal((await allRecords(bot.ledger, 'faqComments')).length, 1);

      const [view] = await bot.say(message(FEEDBACK[locale], as('aad-ben')));
      assertValidCards(view!);
      const texts = cardTexts(view!);
      assert.ok(texts.includes(t('admin:faqFeedback.title')));
      assert.ok(texts.includes(t('admin:faqFeedback.counts', { helpful: '0', notHelpful: '1' })));
      assert.ok(texts.includes(t(`admin:faqFeedback.language.${locale}`)));
      assert.ok(texts.some((x) => x.includes('I looked for it on the Learn profile page')));

      // Another organization's admins never read this organization's comments.
      const other = await bot.say(message(FEEDBACK[locale], { ...as(BOSS), tenantId: 'tenant-fabrikam' }));
      assert.ok(!other.flatMap((r) => cardTexts(r)).some((x) => x.includes('Learn profile page')));
    });
  }

  it('is refused to a member, in the member’s language', async () => {
    const bot = startAdminBot(instance);
    await seedPeople(bot.ledger, [{ who: 'ann' }]);
    const [refused] = await bot.say(message('avis sur la FAQ', { locale: 'fr-FR', personId: 'aad-ann', tenantId: TENANT }));
    const fr = translatorFor(instance, 'fr');
    assert.match(String(refused!.text), new RegExp(fr('admin:roles.member')));
  });
});
