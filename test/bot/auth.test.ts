import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type restify from 'restify';
import { loadConfig } from '../../bot/config.js';
import { createBot, createCloudAdapter } from '../../bot/createBot.js';
import { createHealthProbe } from '../../bot/health.js';
import { createHttpServer, listen } from '../../bot/httpServer.js';
import { silentLogger } from '../../bot/logger.js';
import { openStores, type OpenStores } from '../../bot/stores.js';
import { createI18n } from '../../locales/i18n.js';
import { message } from '../support/activities.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { testSignInLinks } from '../support/signInLinks.js';

describe('the bot with a MicrosoftAppId configured', () => {
  let dataDir: string;
  let stores: OpenStores;
  let server: restify.Server;
  let connector: ConnectorStandIn;
  let url: string;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-auth-'));
    const config = loadConfig({ DATA_DIR: dataDir, MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'not-a-real-secret' });
    connector = new ConnectorStandIn();
    await connector.start();
    stores = await openStores(config);
    const logger = silentLogger();
    const app = createBot(config, { stores, i18n: await createI18n(), logger, adapter: createCloudAdapter(config), signInLinks: testSignInLinks() });
    server = createHttpServer({ adapter: app.adapter, logic: app.logic, health: createHealthProbe(stores), logger });
    await listen(server, 0, '127.0.0.1');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });

  after(async () => {
    server.close();
    await connector.stop();
    await stores.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses an activity without a token with 401 and runs no turn', async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message('help', { serviceUrl: connector.serviceUrl })),
    });
    assert.equal(response.status, 401);
    assert.equal(connector.calls.length, 0);
  });
});
