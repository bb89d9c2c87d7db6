import assert from 'node:assert/strict';
import type { Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import type { OpenStores } from '../../bot/stores.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { personKey } from '../../storage/index.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { startBotServer, type BotServer } from '../support/botServer.js';
import type { ConnectorStandIn } from '../support/connectorStandIn.js';
import { testSignInLinks } from '../support/signInLinks.js';
import { PHRASES } from '../dialogs/phrases.js';

describe('the employee journey over real HTTP', () => {
  let bot: BotServer;
  let stores: OpenStores;
  let connector: ConnectorStandIn;
  let baseUrl: string;
  let instance: i18n;
  const signInLinks = testSignInLinks();

  before(async () => {
    bot = await startBotServer({ bot: { signInLinks } });
    ({ stores, connector, baseUrl } = bot);
    instance = bot.i18n;
  });

  after(() => bot.close());

  /** Posts one activity as the Bot Connector would and returns what the bot posted back to the chat for it. */
  async function post(activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
    const conversationId = activity.conversation!.id;
    const before = connector.activitiesIn(conversationId).length;
    const response = await fetch(`${baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    assert.equal(response.status, 200);
    return connector.activitiesIn(conversationId).slice(before);
  }

  const submitOf = (replies: Record<string, unknown>[], action: string, kind?: string) => {
    const found = replies.flatMap((r) => submitActions(r)).find((a) => {
      const data = a.data as { action?: string; kind?: string };
      return data.action === action && (kind === undefined || data.kind === kind);
    });
    assert.ok(found, `a ${action} button in ${JSON.stringify(replies)}`);
    return found.data;
  };

  for (const locale of LOCALES) {
    it(`takes a personal chat in ${locale} from “${PHRASES[locale].link}” to the sign-in card, and from “${PHRASES[locale].unlink}” to the confirmation`, async () => {
      const t = translatorFor(instance, locale);
      // One MCID per person: an MCID given by a colleague of the same organization would be refused.
      const mcid = `8765432${LOCALES.indexOf(locale)}`;
      const personId = `aad-http-${locale}`;
      const tenantId = 'tenant-contoso';
      await stores.ledger.transact((tx) => tx.put('people', personKey(tenantId, personId), { id: personId, tenantId, displayName: 'HTTP Person', role: 'member' }));
      const options: ActivityOptions = { locale, personId, tenantId, serviceUrl: connector.serviceUrl, conversationId: `a:http-employee-${locale}` };

      const kindCard = await post(message(PHRASES[locale].link, options));
      assert.equal(cardTexts(kindCard[0]!)[0], t('employee:kind.title'));
      const ask = await post(cardSubmit(submitOf(kindCard, 'link.kind', 'learn'), options));
      assert.equal(ask[0]!.text, t('employee:askAccount.learn'));
      const signIn = await post(message(mcid, options));
      assert.equal(cardTexts(signIn[0]!)[0], t('employee:signIn.title'));
      assert.match(JSON.stringify(signIn[0]), new RegExp(`"type":"Action.OpenUrl","title":"${t('employee:signIn.button')}","url":"https://bot.example/signin/start\\?ticket=test-${personId}"`));

      // The sign-in callback (bot/signin/signInRoutes.ts, tested end to end in signIn.e2e.test.ts) would record this association.
      await stores.ledger.transact((tx) =>
        tx.put('associations', `http-${locale}`, { id: `http-${locale}`, personId, tenantId, kind: 'learn', accountId: mcid, start: new Date() }),
      );

      const confirm = await post(message(PHRASES[locale].unlink, options));
      assert.equal(cardTexts(confirm[0]!)[0], t('employee:unlink.title'));
      const done = await post(cardSubmit(submitOf(confirm, 'unlink.confirm', 'learn'), options));
      assert.equal(cardTexts(done[0]!)[0], t('employee:unlink.doneTitle'));
      assert.equal((await stores.ledger.get('associations', `http-${locale}`))?.endReason, 'unlinked');
    });
  }
});
