import assert from 'node:assert/strict';
import { createI18n } from '../../../locales/i18n.js';
import { translatorFor } from '../../../locales/translate.js';
import { message } from '../../support/activities.js';
import { startBotServer, type BotServer } from '../../support/botServer.js';
import type { ConnectorStandIn } from '../../support/connectorStandIn.js';
import { cardTexts, submitActions } from '../../support/cards.js';

describe('the bot over real HTTP', () => {
  let bot: BotServer;
  let connector: ConnectorStandIn;
  let baseUrl: string;

  before(async () => {
    bot = await startBotServer();
    ({ connector, baseUrl } = bot);
  });

  after(() => bot.close());

  const post = (body: string, contentType = 'application/json') =>
    fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('answers "aide" from a French Teams client with the main menu in French, posted to the connector', async () => {
    const fr = translatorFor(await createI18n(), 'fr');
    const activity = message('aide', { locale: 'fr-FR', serviceUrl: connector.serviceUrl, conversationId: 'a:http-fr' });
    const response = await post(JSON.stringify(activity));
    assert.equal(response.status, 200);
    const [reply] = connector.activitiesIn('a:http-fr');
    assert.ok(reply, 'the bot posted a reply');
    assert.equal(reply.replyToId, activity.id);
    const texts = cardTexts(reply);
    assert.ok(texts.includes(fr('menu.title')), `French menu title in ${JSON.stringify(texts)}`);
  });

  it('returns the replies in the response body when the client asks for expectReplies', async () => {
    const zh = translatorFor(await createI18n(), 'zh-CN');
    const activity = { ...message('帮助', { locale: 'zh-CN', serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' };
    const response = await post(JSON.stringify(activity));
    assert.equal(response.status, 200);
    const body = (await response.json()) as { activities: Record<string, unknown>[] };
    assert.ok(cardTexts(body.activities[0]!).includes(zh('menu.title')));
  });

  const questions: Array<[string, string, string]> = [
    ['en-US', 'How long until my certification counts for the company?', 'credit-time'],
    ['fr-FR', 'Comment dissocier mon MCID de mon entreprise ?', 'unlink'],
    ['zh-CN', '我换了公司，怎么把 MCID 转到新公司？', 'change-company'],
  ];
  for (const [locale, text, topic] of questions) {
    it(`answers a ${locale} question with the ${topic} answer card`, async () => {
      const activity = { ...message(text, { locale, serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' };
      const body = (await (await post(JSON.stringify(activity))).json()) as { activities: Record<string, unknown>[] };
      const feedback = submitActions(body.activities[0]!).filter((a) => (a.data as { action: string }).action === 'faq.feedback');
      assert.deepEqual(
        feedback.map((a) => { const d = a.data as Record<string, unknown>; return [d.action, d.topic, d.helpful]; }),
        [['faq.feedback', topic, true], ['faq.feedback', topic, false]],
      );
    });
  }

  it('answers an out-of-scope question with the fallback card', async () => {
    const en = translatorFor(await createI18n(), 'en');
    const activity = { ...message('What will the weather be in Paris tomorrow?', { locale: 'en-US', serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' };
    const body = (await (await post(JSON.stringify(activity))).json()) as { activities: Record<string, unknown>[] };
    assert.ok(cardTexts(body.activities[0]!).includes(en('faqCard.fallbackTitle')));
    assert.ok(submitActions(body.activities[0]!).every((a) => (a.data as { action: string }).action !== 'faq.feedback'));
  });

  it('answers /healthz with the version, the uptime and the store status', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.ok, true);
    assert.equal(body.store, 'ok');
    assert.match(String(body.version), /^\d+\.\d+\.\d+/);
    assert.equal(typeof body.uptimeSeconds, 'number');
  });

  const malformed: Array<[string, () => Promise<Response>, number]> = [
    ['a body that is not JSON', () => post('{"type": "message",'), 400],
    ['a JSON array', () => post('[1, 2, 3]'), 400],
    ['a JSON object that is not an activity', () => post(JSON.stringify({ hello: 'world' })), 400],
    ['an activity without a conversation', () => post(JSON.stringify({ ...message('help'), conversation: undefined })), 400],
    ['an activity whose serviceUrl is not a URL', () => post(JSON.stringify(message('help', { serviceUrl: 'javascript:alert(1)' }))), 400],
    ['a text/plain body', () => post('help', 'text/plain'), 415],
    ['a body over the size limit', () => post(JSON.stringify(message('x'.repeat(300 * 1024)))), 413],
  ];
  for (const [what, send, status] of malformed) {
    it(`refuses ${what} with ${status} and keeps serving`, async () => {
      const response = await send();
      assert.equal(response.status, status);
      const health = await fetch(`${baseUrl}/healthz`);
      assert.equal(health.status, 200);
    });
  }

  it('refuses GET on /api/messages', async () => {
    const response = await fetch(`${baseUrl}/api/messages`);
    assert.equal(response.status, 405);
  });
});
