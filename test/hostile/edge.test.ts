import assert from 'node:assert/strict';
import { mkdir, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { mountAdminRoutes } from '../../bot/admin/adminRoutes.js';
import { createHealthProbe, WRITE_PROBE_FILE } from '../../bot/http/health.js';
import { silentLogger } from '../../bot/logger.js';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor } from '../../locales/translate.js';
import { startBotServer, type BotServer } from '../support/botServer.js';
import { message } from '../support/activities.js';
import { ALL_CASES, assertAlive, assertNothingWritten, snapshot, turn, type HostileTarget } from './cases.js';
import { rawRequest } from './client.js';
import { allRecords } from '../support/ledgerRecords.js';

const TOKEN = 'hostile-suite-admin-token-0123456789abcdef';
const TENANT = 'tenant-contoso';

describe('hostile requests over real HTTP (no credentials)', function () {
  this.timeout(60_000);
  let bot: BotServer;
  let target: HostileTarget;

  before(async () => {
    const i18n = await createI18n();
    bot = await startBotServer({
      env: { ADMIN_API_TOKEN: TOKEN },
      bot: { reportSecret: 'hostile-report-secret-0123456789abcdefghij' },
      routes: (server, app, config) => mountAdminRoutes(server, { admin: app.admin, apiToken: config.admin.apiToken, clock: () => new Date(), logger: silentLogger(), translate: (locale) => translatorFor(i18n, locale) }),
    });
    target = { baseUrl: bot.baseUrl, serviceUrl: bot.connector.serviceUrl, adminToken: TOKEN, tenantId: TENANT };
    await assertAlive(target);
  });

  after(() => bot.close());

  for (const hostile of ALL_CASES) {
    it(`${hostile.name}: the expected status, still alive${hostile.writes ? '' : ', nothing written'}`, async () => {
      const before = await snapshot(bot.dataDir);
      await hostile.run(target);
      if (!hostile.writes) await assertNothingWritten(before, bot.dataDir, hostile.name);
      await assertAlive(target);
    });
  }

  it('stored no forged vote, and a conversation reference of bounded size from the bloated install', async () => {
    const votes = await allRecords(bot.stores.ledger, 'faqFeedback');
    assert.ok(votes.length <= 1, `only the genuine vote of the tampering case may count: ${votes.length}`);
    const reference = await bot.stores.ledger.get('conversationReferences', 'a:hostile-install');
    assert.ok(reference, 'the install was remembered');
    assert.ok(JSON.stringify(reference).length < 2_000, `reference of ${JSON.stringify(reference).length} characters`);
    assert.ok(!JSON.stringify(reference).includes('ppppp'));
  });

  it('counts a genuine vote once for whoever pressed it, whatever ids the card data carries', async () => {
    const asked = await turn(target, message('Where do I find my MCID?', { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'voter-1' }) as Record<string, unknown>);
    const data = /"data":(\{"action":"faq\.feedback"[^}]*\})/.exec(JSON.stringify(asked.activities))?.[1];
    assert.ok(data);
    const before = (await allRecords(bot.stores.ledger, 'faqFeedback')).length;
    for (const extra of [{}, { personId: 'aad-victim' }, { from: { id: 'x' }, tenantId: 'other' }]) {
      const value = { ...(JSON.parse(data) as object), ...extra };
      const reply = await turn(target, { ...message('', { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'voter-1' }), text: undefined, value } as Record<string, unknown>);
      assert.equal(reply.status, 200);
    }
    assert.equal((await allRecords(bot.stores.ledger, 'faqFeedback')).length, before + 1, 'one vote per person and card');
  });

  it('accepts only the exact spelling of a report link’s signature', async () => {
    const link = new URL((await bot.app.admin.reportLink(TENANT)).url);
    const token = link.searchParams.get('token')!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    // The signature's last character carries two spare bits: its three siblings decode to the same bytes.
    const base = alphabet.indexOf(token.at(-1)!) & ~3;
    const siblings = [0, 1, 2, 3].map((i) => alphabet[base + i]!).filter((c) => c !== token.at(-1));
    for (const c of siblings) {
      const altered = `${link.pathname}?token=${token.slice(0, -1)}${c}`;
      assert.equal((await rawRequest(bot.baseUrl, { method: 'GET', path: altered })).status, 403, altered);
    }
    assert.equal((await rawRequest(bot.baseUrl, { method: 'GET', path: `${link.pathname}${link.search}` })).status, 200);
  });

  it('says "store failing" when the data directory refuses writes, probing at most once per cache period', async () => {
    let now = 0;
    const health = createHealthProbe(bot.stores, { dataDir: bot.dataDir, now: () => now, cacheMs: 5_000 });
    assert.equal((await health()).store, 'ok');
    // A directory where the probe writes its file: the write fails as on a full or read-only disk.
    const probe = path.join(bot.dataDir, WRITE_PROBE_FILE);
    await mkdir(probe);
    try {
      assert.equal((await health()).store, 'ok', 'the cached answer is reused: /healthz cannot make the bot write at will');
      now += 5_000;
      const failing = await health();
      assert.deepEqual([failing.ok, failing.store], [false, 'failing']);
    } finally {
      await rmdir(probe);
    }
    now += 5_000;
    assert.equal((await health()).store, 'ok');
  });
});
