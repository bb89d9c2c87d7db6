import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type { Activity } from 'botbuilder';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { translatorFor } from '../../locales/translate.js';
import { ledgerIndexes, ledgerSchemas, personKey, type Ledger } from '../../storage/index.js';
import { openPostgresDocumentStore } from '../../storage/postgres/index.js';
import { cardSubmit, message, type ActivityOptions } from '../support/activities.js';
import { cardTexts, submitActions } from '../support/cards.js';
import { ConnectorStandIn } from '../support/connectorStandIn.js';
import { urlWithSchema, usePostgres } from '../support/postgres.js';

/** A free loopback port (bound, then released for the bot to take). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One `npm start`-shaped bot process (bot/index.ts from source) on `port`, sharing the test's database schema. */
async function startInstance(databaseUrl: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/index.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      DEV_IDP_PORT: '0',
      LOG_LEVEL: 'error',
      SIGNIN_SECRET: 'two-instances-signin-secret-0123456789',
      REPORT_SECRET: 'two-instances-report-secret-0123456789',
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`the bot on port ${port} exited: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the bot on port ${port} did not answer /healthz: ${stderr}`);
}

describe('two bot processes on one PostgreSQL database', function () {
  this.timeout(120_000);
  const pg = usePostgres();
  const connector = new ConnectorStandIn();
  const instances: ChildProcess[] = [];
  const ports: number[] = [];
  let ledger: Ledger;
  let i18n: i18n;
  const tenantId = 'tenant-fabrikam';

  before(async () => {
    await connector.start();
    i18n = await createI18n();
    const url = urlWithSchema(pg.url, pg.schema);
    ports.push(await freePort(), await freePort());
    instances.push(...(await Promise.all(ports.map((port) => startInstance(url, port)))));
    ledger = await openPostgresDocumentStore(pg.pool, ledgerSchemas, ledgerIndexes);
  });

  after(async () => {
    for (const child of instances) child.kill('SIGTERM');
    await Promise.all(instances.map((child) => (child.exitCode !== null ? undefined : new Promise((resolve) => child.once('exit', resolve)))));
    await ledger?.close();
    await connector.stop();
  });

  /** Posts an activity to instance `n` (0 or 1) and returns what the bot posted back to the conversation for it. */
  async function post(n: number, activity: Partial<Activity>): Promise<Record<string, unknown>[]> {
    const conversationId = activity.conversation!.id;
    const before = connector.activitiesIn(conversationId).length;
    const response = await fetch(`http://127.0.0.1:${ports[n]}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    assert.equal(response.status, 200, `instance ${n} answered ${response.status}`);
    return connector.activitiesIn(conversationId).slice(before);
  }

  const dataOf = (replies: Record<string, unknown>[], action: string, kind?: string): unknown => {
    const found = replies.flatMap((r) => submitActions(r)).find((a) => {
      const data = a.data as { action?: string; kind?: string };
      return data.action === action && (kind === undefined || data.kind === kind);
    });
    assert.ok(found, `a ${action} button in ${JSON.stringify(replies)}`);
    return found.data;
  };

  const register = (personId: string) =>
    ledger.transact((tx) => tx.put('people', personKey(tenantId, personId), { id: personId, tenantId, displayName: 'Léa Martin', role: 'member' }));

  it('uses on one instance the language a person chose on the other', async () => {
    const options: ActivityOptions = { locale: 'en-US', personId: 'aad-lang', tenantId, serviceUrl: connector.serviceUrl };
    const [changed] = await post(0, cardSubmit({ action: 'language.set', locale: 'fr' }, options));
    assert.equal(changed!.text, translatorFor(i18n, 'fr')('languageChanged', { language: 'Français' }));
    // The client still says English; the choice stored by instance 0 wins on instance 1.
    const [menu] = await post(1, message('help', options));
    assert.ok(cardTexts(menu!).includes(translatorFor(i18n, 'fr')('menu.link')), JSON.stringify(menu));
  });

  it('continues on one instance a link flow started on the other', async () => {
    const t = translatorFor(i18n, 'en');
    await register('aad-flow');
    const options: ActivityOptions = { locale: 'en-US', personId: 'aad-flow', tenantId, serviceUrl: connector.serviceUrl };
    const kindCard = await post(0, message('link my certification profile', options));
    assert.equal(cardTexts(kindCard[0]!)[0], t('employee:kind.title'));
    const ask = await post(1, cardSubmit(dataOf(kindCard, 'link.kind', 'learn'), options));
    assert.equal(ask[0]!.text, t('employee:askAccount.learn'));
    const signIn = await post(0, message('98765432', options));
    assert.equal(cardTexts(signIn[0]!)[0], t('employee:signIn.title'));
  });

  it('records once 200 identical confirmations sent to both instances at once', async () => {
    const personId = 'aad-burst';
    await register(personId);
    await ledger.transact((tx) =>
      tx.put('associations', 'burst-1', { id: 'burst-1', personId, tenantId, kind: 'learn', accountId: '11223344', start: new Date('2026-01-05T10:00:00Z') }),
    );
    const options: ActivityOptions = { locale: 'en-US', personId, tenantId, serviceUrl: connector.serviceUrl };
    const confirm = await post(0, message('unlink', options));
    const submit = cardSubmit(dataOf(confirm, 'unlink.confirm', 'learn'), options);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`http://127.0.0.1:${ports[i % 2]}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submit) }),
      ),
    );
    assert.ok(answers.every((r) => r.status === 200), `statuses ${[...new Set(answers.map((r) => r.status))].join(', ')}`);
    const association = await ledger.get('associations', 'burst-1');
    assert.equal(association?.endReason, 'unlinked');
    assert.equal((await ledger.findBy('associations', 'byPerson', [tenantId, personId])).length, 1);
    // Every copy that reached the flow is answered; only one of them says it unlinked, the others that it was done.
    const t = translatorFor(i18n, 'en');
    const answered = connector.activitiesIn(submit.conversation!.id).filter((a) => cardTexts(a)[0] === t('employee:unlink.doneTitle'));
    const unlinkedNow = answered.filter((a) => !cardTexts(a).includes(t('employee:unlink.alreadyDone')));
    assert.equal(unlinkedNow.length, 1, 'one "unlinked" answer, however many copies of the submit arrived');
  });
});
