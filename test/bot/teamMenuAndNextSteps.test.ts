import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import { nextSteps } from '../../bot/signin/outcomeView.js';
import { parseCardAction } from '../../cards/actions.js';
import { personalChatLink } from '../../cards/index.js';
import { signInOutcomeCard } from '../../cards/signIn.js';
import { intentFromCardAction } from '../../dialogs/recognizers/intents.js';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { TicketPayload } from '../../services/signin/tickets.js';
import { validateAdaptiveCard } from '../cards/validateCard.js';
import { cardSubmit, message, teamsActivity, type ActivityOptions } from '../support/activities.js';
import { cardTexts, openUrls, submitActions } from '../support/cards.js';
import { BOSS, seedPeople, startAdminBot, TENANT } from './adminSupport.js';

const CLIENT_LOCALE: Record<Locale, string> = { en: 'en-US', fr: 'fr-FR', 'zh-CN': 'zh-CN' };

/** A message or event in a team channel, as Teams posts it (General: Teams leaves the channel's name out). */
function inChannel(fields: Partial<Activity>, options: ActivityOptions & { channel: string; team: string; channelName?: string }): Partial<Activity> {
  const activity = teamsActivity(fields, { ...options, conversationId: `${options.channel};messageid=1700000000000` });
  return {
    ...activity,
    recipient: { id: '28:00000000-0000-0000-0000-00000000b07d', name: 'MCID Link Assistant' },
    conversation: { id: `${options.channel};messageid=1700000000000`, conversationType: 'channel', isGroup: true, name: '', tenantId: TENANT },
    channelData: {
      tenant: { id: TENANT },
      team: { id: options.channel, name: options.team },
      channel: { id: options.channel, ...(options.channelName ? { name: options.channelName } : {}) },
    },
  };
}

function assertValidCards(activity: Record<string, unknown>): void {
  for (const attachment of (activity.attachments as Array<{ contentType: string; content: unknown }> | undefined) ?? []) {
    assert.deepEqual(validateAdaptiveCard(attachment), []);
  }
  for (const action of submitActions(activity)) assert.ok(parseCardAction(action.data).ok, JSON.stringify(action.data));
}

describe('the team menu, the alert-channel list and the next step on every card', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  it('makes the Teams deep link to the personal chat from the bot id, and refuses anything that is not one', () => {
    assert.equal(personalChatLink('28:abc-123'), 'https://teams.microsoft.com/l/chat/0/0?users=28:abc-123');
    assert.equal(personalChatLink('abc-123'), 'https://teams.microsoft.com/l/chat/0/0?users=28:abc-123');
    assert.equal(personalChatLink('28:a&b=c'), undefined);
  });

  for (const locale of ['en', 'fr', 'zh-CN'] as const) {
    describe(`in ${locale}`, () => {
      const t = () => translatorFor(instance, locale);
      const as = (personId: string): ActivityOptions => ({ locale: CLIENT_LOCALE[locale], personId, tenantId: TENANT });

      it('greets a team with the team menu: FAQ, alerts on and off, admin views, and the personal chat by deep link', async () => {
        const bot = startAdminBot(instance);
        const [greeting] = await bot.say(inChannel({ type: 'installationUpdate', action: 'add' }, { ...as(BOSS), channel: '19:sales@thread.tacv2', team: 'Sales' }));
        assertValidCards(greeting!);
        const texts = cardTexts(greeting!);
        assert.ok(texts.includes(t()('teamMenu.greetingTitle')));
        assert.ok(!texts.includes(t()('menu.link')), 'no employee buttons in a team');
        const actions = submitActions(greeting!).map((a) => (a.data as { action: string }).action);
        assert.deepEqual(actions.sort(), ['admin.open', 'alerts.off', 'alerts.on', 'language.choose', 'menu.faq']);
        assert.deepEqual(openUrls(greeting!), [
          { title: t()('teamMenu.openChat'), url: 'https://teams.microsoft.com/l/chat/0/0?users=28:00000000-0000-0000-0000-00000000b07d' },
        ]);
        // "help" in the channel shows the same menu, and each button does something in the channel.
        const [help] = await bot.say(inChannel({ type: 'message', text: 'help' }, { ...as(BOSS), channel: '19:sales@thread.tacv2', team: 'Sales' }));
        assert.ok(cardTexts(help!).includes(t()('teamMenu.title')));
        for (const action of submitActions(help!)) {
          const replies = await bot.say(inChannel({ type: 'message', value: action.data }, { ...as(BOSS), channel: '19:sales@thread.tacv2', team: 'Sales' }));
          assert.ok(replies.length > 0, `${JSON.stringify(action.data)} answers`);
          for (const reply of replies) assert.notEqual(reply.text, t()('errors.badAction'));
        }
      });

      it('names the team of each subscribed channel, so two “General” channels can be told apart', async () => {
        const bot = startAdminBot(instance);
        await bot.say(inChannel({ type: 'message', value: { action: 'alerts.on' } }, { ...as(BOSS), channel: '19:sales@thread.tacv2', team: 'Sales' }));
        await bot.say(inChannel({ type: 'message', text: 'alerts on' }, { ...as(BOSS), channel: '19:support@thread.tacv2', team: 'Support' }));
        await bot.say(inChannel({ type: 'message', text: 'alerts on' }, { ...as(BOSS), channel: '19:ops@thread.tacv2', team: 'Support', channelName: 'Ops' }));
        const [list] = await bot.say(message('alerts', as(BOSS)));
        const text = cardTexts(list!).join('\n');
        const general = t()('alerts:commands.generalChannel');
        assert.match(text, new RegExp(`Sales › ${general}`));
        assert.match(text, new RegExp(`Support › ${general}`));
        assert.match(text, /Support › Ops/);
        assert.doesNotMatch(text, /19:/, 'no conversation ids');
      });

      it('answers “who are my admins?” with the names of those who can add Partner Center users', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'ann', role: 'account-admin' }, { who: 'ben', role: 'partner-admin' }, { who: 'dan' }]);
        const [card] = await bot.say(cardSubmit({ action: 'people.admins' }, as('aad-eve')));
        assertValidCards(card!);
        const texts = cardTexts(card!);
        assert.ok(texts.includes(t()('employee:admins.canAdd', { names: t()('employee:admins.person', { name: 'Ann Lee', role: t()('admin:roles.account-admin') }) })));
        assert.ok(texts.includes(t()('employee:admins.others', { names: t()('employee:admins.person', { name: 'Ben Wu', role: t()('admin:roles.partner-admin') }) })));
        assert.ok(texts.includes(t()('employee:admins.title', { organization: t()('employee:organization.unnamed') })));
        assert.ok(!texts.some((x) => /aad-/.test(x)));
      });

      it('“Use another MCID” starts linking a Learning account and asks for the new MCID at once', async () => {
        const bot = startAdminBot(instance);
        await seedPeople(bot.ledger, [{ who: 'dan' }]);
        const [ask] = await bot.say(cardSubmit({ action: 'link.another', kind: 'learn' }, as('aad-dan')));
        assert.equal(ask!.text, t()('employee:askAccount.learn'));
      });

      it('gives every sign-in outcome card a way forward: another MCID, the admins, or status and the menu', () => {
        const tr = t();
        const ticket = { kind: 'learn' } as TicketPayload;
        const mismatch = nextSteps(tr, { kind: 'refused', reason: 'account-mismatch' }, ticket);
        assert.deepEqual(mismatch.map((b) => b.payload), [{ action: 'link.another', kind: 'learn' }, { action: 'menu.help' }]);
        assert.equal(mismatch[0]!.label, tr('employee:confirmAccount.change.learn'));
        assert.deepEqual(nextSteps(tr, { kind: 'refused', reason: 'not-registered' }, ticket).map((b) => b.payload.action), ['people.admins', 'menu.help']);
        const wait = nextSteps(tr, { kind: 'wait', until: new Date('2027-01-02T22:01:00Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 }, ticket);
        assert.deepEqual(wait.map((b) => b.payload.action), ['link.remind', 'menu.status', 'menu.help']);
        const card = signInOutcomeCard({ title: tr('signin:outcome.refusedTitle'), lines: [tr('signin:outcome.accountMismatch')], tone: 'attention', buttons: mismatch });
        assert.deepEqual(validateAdaptiveCard(card), []);
        for (const button of mismatch) {
          const parsed = parseCardAction(button.payload);
          assert.ok(parsed.ok);
          assert.notEqual(intentFromCardAction(parsed.action).kind, 'unknown');
        }
      });
    });
  }
});
