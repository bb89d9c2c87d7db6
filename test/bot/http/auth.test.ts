import assert from 'node:assert/strict';
import { message } from '../../support/activities.js';
import { startBotServer, type BotServer } from '../../support/botServer.js';

describe('the bot with a MicrosoftAppId configured', () => {
  let bot: BotServer;
  let url: string;

  before(async () => {
    bot = await startBotServer({ env: { MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' } });
    url = `${bot.baseUrl}/api/messages`;
  });

  after(() => bot.close());

  it('refuses an activity without a token with 401 and runs no turn', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('help', { serviceUrl: bot.connector.serviceUrl })),
    });
    assert.equal(response.status, 401);
    assert.equal(bot.connector.calls.length, 0);
  });
});
