import assert from 'node:assert/strict';
import http from 'node:http';
import { stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { mountAdminRoutes } from '../../../bot/admin/adminRoutes.js';
import { loadOrCreateSecret } from '../../../bot/secretFile.js';
import { loadConfig } from '../../../bot/config.js';
import type { BotApp } from '../../../bot/createBot.js';
import { createHttpServer, listen } from '../../../bot/http/httpServer.js';
import { silentLogger } from '../../../bot/logger.js';
import type { OpenStores } from '../../../bot/stores.js';
import type { CloudAdapter } from 'botbuilder';
import { createI18n } from '../../../locales/i18n.js';
import type { Locale } from '../../../locales/locale.js';
import { translatorFor, type Translate } from '../../../locales/translate.js';
import { parseCsv } from '../../../services/admin/importCsv.js';
import { message } from '../../support/activities.js';
import { startBotServer, type BotServer } from '../../support/botServer.js';
import type { ConnectorStandIn } from '../../support/connectorStandIn.js';
import { BOSS, seedOrganization, TENANT } from '../adminSupport.js';
import { findRecords } from '../../support/ledgerRecords.js';

const TOKEN = 'test-admin-token-0123456789abcdefghijklmnop';
const CSV = [
  'person,mcid,type,code,title,passed,expires,competency',
  'Dan Diaz,MCID1001,certification,AZ-104,Microsoft Certified: Azure Administrator Associate,2025-05-01,,azure',
  'Fay Ng,MCID2001,exam,AZ-104,Azure Administrator,2025-07-01,,azure',
].join('\n');

describe('the admin endpoint and the skills-report link over real HTTP', () => {
  let bot: BotServer;
  let stores: OpenStores;
  let connector: ConnectorStandIn;
  let baseUrl: string;
  let app: BotApp<CloudAdapter>;
  let now = new Date('2026-03-02T09:00:00Z');

  let translate: (locale: Locale) => Translate;

  before(async () => {
    const instance = await createI18n();
    translate = (locale) => translatorFor(instance, locale);
    const clock = () => now;
    bot = await startBotServer({
      env: { BOOTSTRAP_ADMINS: BOSS, ADMIN_API_TOKEN: TOKEN },
      seed: (opened) => seedOrganization(opened.ledger),
      bot: { clock, reportSecret: 'test-report-secret-0123456789abcdefghij' },
      routes: (server, built, config) => mountAdminRoutes(server, { admin: built.admin, apiToken: config.admin.apiToken, clock, logger: silentLogger(), translate: (l) => translate(l) }),
    });
    ({ stores, connector, baseUrl, app } = bot);
  });

  after(() => bot.close());

  beforeEach(() => {
    now = new Date('2026-03-02T09:00:00Z');
  });

  const admin = (method: string, route: string, body?: string, contentType = 'text/csv', token = TOKEN) =>
    fetch(`${baseUrl}/api/admin/${route}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': contentType } : {}) },
      body,
    });

  /** Asks for the skills report in chat as the Global admin and returns the card's download link, on this server. */
  async function reportLinkFromChat(locale = 'en-US', command = 'skills report'): Promise<URL> {
    const activity = { ...message(command, { locale, personId: BOSS, tenantId: TENANT, serviceUrl: connector.serviceUrl }), deliveryMode: 'expectReplies' };
    const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const body = (await response.json()) as { activities: Array<{ attachments: Array<{ content: { actions: Array<{ type: string; url?: string }> } }> }> };
    const open = body.activities[0]!.attachments[0]!.content.actions.find((a) => a.type === 'Action.OpenUrl');
    const link = new URL(open!.url!);
    return new URL(`${link.pathname}${link.search}`, baseUrl);
  }

  it('refuses calls without the bearer token, or with a wrong one, before reading the body', async () => {
    assert.equal((await admin('POST', `${TENANT}/credentials`, CSV, 'text/csv', '')).status, 401);
    assert.equal((await admin('POST', `${TENANT}/credentials`, CSV, 'text/csv', 'wrong-token-wrong-token-wrong-token')).status, 401);
    assert.equal((await admin('GET', `${TENANT}/requirements`, undefined, '', 'x')).status, 401);
  });

  /** A raw request with the target exactly as given (percent-escapes and absolute-form kept as they are). */
  const raw = (base: string, method: string, target: string, headers: Record<string, string> = {}, body?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const { hostname, port } = new URL(base);
      const req = http.request({ host: hostname, port, method, path: target, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });

  it('refuses a percent-encoded or absolute-form admin path without the token, and changes nothing', async () => {
    const before = (await findRecords(stores.ledger, 'requirements', (r) => r.tenantId === TENANT)).map((r) => r.id);
    assert.ok(before.length > 0, 'the organization has requirements to lose');
    const host = new URL(baseUrl).host;
    for (const target of [
      `/api/%61dmin/${TENANT}/requirements`,
      `/api/%61%64%6d%69%6e/${TENANT}/requirements`,
      `/%61pi/admin/${TENANT}/requirements`,
      `http://${host}/api/admin/${TENANT}/requirements`,
      `http://${host}/api/%61dmin/${TENANT}/requirements`,
    ]) {
      assert.equal((await raw(baseUrl, 'GET', target)).status, 401, `GET ${target}`);
      assert.equal((await raw(baseUrl, 'DELETE', `${target}/azure-infra`)).status, 401, `DELETE ${target}`);
      const put = await raw(baseUrl, 'PUT', target, { 'content-type': 'application/json' }, JSON.stringify({ requirements: [] }));
      assert.equal(put.status, 401, `PUT ${target}`);
      const csv = await raw(baseUrl, 'POST', target.replace(/requirements$/, 'credentials'), { 'content-type': 'text/csv' }, CSV);
      assert.equal(csv.status, 401, `POST ${target}`);
    }
    assert.deepEqual((await findRecords(stores.ledger, 'requirements', (r) => r.tenantId === TENANT)).map((r) => r.id), before);
    // With the token, the same encoded spelling is the same route.
    const listed = await raw(baseUrl, 'GET', `/api/%61dmin/${TENANT}/requirements`, { authorization: `Bearer ${TOKEN}` });
    assert.equal(listed.status, 200);
  });

  it('refuses an oversized body without the token with 401, before reading it', async () => {
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const response = await raw(baseUrl, 'PUT', `/api/admin/${TENANT}/requirements`, { 'content-type': 'application/json' }, huge);
    assert.equal(response.status, 401);
  });

  it('imports a CSV body, changes nothing the second time, and rejects a bad file whole with every problem', async () => {
    const first = await admin('POST', `${TENANT}/credentials`, CSV);
    assert.equal(first.status, 200);
    assert.deepEqual(await first.json(), { kind: 'imported', rows: 2, credentials: 2, created: 2, updated: 0, unchanged: 0 });
    const second = await admin('POST', `${TENANT}/credentials`, CSV);
    assert.deepEqual(await second.json(), { kind: 'imported', rows: 2, credentials: 2, created: 0, updated: 0, unchanged: 2 });
    const bad = await admin('POST', `${TENANT}/credentials`, `${CSV}\n,MCID3,exam,X,T,2025-01-01,,azure\nA,MCID4,exam,X,T,bad,,azure`);
    assert.equal(bad.status, 422);
    const problems = ((await bad.json()) as { problems: Array<{ line: number; column: string }> }).problems;
    assert.deepEqual(problems.map((p) => [p.line, p.column]), [[4, 'person'], [5, 'passed']]);
  });

  it('refuses, with its line, a credential passed after today (422), and imports nothing', async () => {
    const future = await admin('POST', `${TENANT}/credentials`, `${CSV}\nA,MCID5,exam,AZ-900,Fundamentals,2099-01-01,,azure`);
    assert.equal(future.status, 422);
    const problems = ((await future.json()) as { problems: Array<{ line: number; column: string; message: string }> }).problems;
    assert.deepEqual(problems.map((p) => [p.line, p.column]), [[4, 'passed']]);
    assert.match(problems[0]!.message, /future/);
  });

  it('refuses a body that is not CSV, and a JSON body over its limit', async () => {
    assert.equal((await admin('POST', `${TENANT}/credentials`, '{"a":1}', 'application/json')).status, 415);
    const huge = JSON.stringify({ requirements: [], pad: 'x'.repeat(1024 * 1024) });
    assert.equal((await admin('PUT', `${TENANT}/requirements`, huge, 'application/json')).status, 413);
  });

  it('replaces, lists and deletes requirements, validating every field', async () => {
    const set = {
      requirements: [
        { id: 'azure-infra', competency: 'azure', names: { en: 'Azure infrastructure', 'zh-CN': 'Azure 基础结构', fr: 'Infrastructure Azure' }, requiredPeople: 2, credentialCodes: ['AZ-104'] },
        { id: 'security', competency: 'security', names: { en: 'Security', 'zh-CN': '安全', fr: 'Sécurité' }, requiredPeople: 1 },
      ],
    };
    const put = await admin('PUT', `${TENANT}/requirements`, JSON.stringify(set), 'application/json');
    assert.equal(put.status, 200);
    assert.deepEqual(await put.json(), { created: 1, updated: 0, deleted: 0 });
    const listed = (await (await admin('GET', `${TENANT}/requirements`)).json()) as { requirements: Array<{ id: string }> };
    assert.deepEqual(listed.requirements.map((r) => r.id), ['azure-infra', 'security']);
    const invalid = await admin('PUT', `${TENANT}/requirements`, JSON.stringify({ requirements: [{ id: 'x', requiredPeople: 'two' }] }), 'application/json');
    assert.equal(invalid.status, 400);
    // The competency is missing and the number is not one (names are optional: people then read the competency).
    assert.ok(((await invalid.json()) as { problems: unknown[] }).problems.length >= 2);
    assert.equal((await admin('DELETE', `${TENANT}/requirements/security`)).status, 200);
    assert.equal((await admin('DELETE', `${TENANT}/requirements/security`)).status, 404);
  });

  it('serves the skills-report CSV through the link from the chat card, for its organization only', async () => {
    const link = await reportLinkFromChat();
    const response = await fetch(link);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parseCsv(await response.text()).map((r) => r.fields);
    assert.deepEqual(rows[0], ['person', 'mcid', 'type', 'code', 'title', 'passed', 'expires', 'competency']);
    assert.ok(rows.some((r) => r[0] === 'Dan Diaz' && r[1] === 'MCID1001' && r[7] === 'azure'));

    const otherOrg = new URL(link.href.replace(`/reports/${TENANT}/`, '/reports/tenant-fabrikam/'));
    assert.equal((await fetch(otherOrg)).status, 403);
  });

  it('refuses the link once it has expired, and when its signature or expiry was altered', async () => {
    const link = await reportLinkFromChat();
    const [header, claims, sig] = link.searchParams.get('token')!.split('.') as [string, string, string];
    const withToken = (token: string) => {
      const url = new URL(link);
      url.searchParams.set('token', token);
      return url;
    };
    assert.equal((await fetch(withToken(`${header}.${claims}.${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`))).status, 403);
    const payload = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { exp: number };
    const laterExpiry = Buffer.from(JSON.stringify({ ...payload, exp: payload.exp + 3600 })).toString('base64url');
    assert.equal((await fetch(withToken(`${header}.${laterExpiry}.${sig}`))).status, 403);
    const noToken = new URL(link);
    noToken.searchParams.delete('token');
    assert.equal((await fetch(noToken)).status, 403);

    now = new Date('2026-03-02T09:14:00Z');
    assert.equal((await fetch(link)).status, 200, 'still valid after 14 minutes');
    now = new Date('2026-03-02T09:15:00Z');
    assert.equal((await fetch(link)).status, 410, 'expired after 15 minutes');
  });

  it('explains a refused report link in the reader’s language: a page for a browser, JSON otherwise', async () => {
    const fr = await reportLinkFromChat('fr-FR', 'rapport de compétences');
    assert.equal(fr.searchParams.get('lang'), 'fr');
    const t = { fr: translate('fr'), en: translate('en'), zh: translate('zh-CN') };
    now = new Date('2026-03-02T09:20:00Z');
    const expired = await fetch(fr);
    assert.equal(expired.status, 410);
    assert.deepEqual(await expired.json(), { error: t.fr('admin:reportLink.expired') });
    const page = await fetch(fr, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(page.status, 410);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.ok(html.includes('lang="fr"') && html.includes(t.fr('admin:reportLink.title')), html);
    // A link without its language (copied by hand): the browser's language decides.
    const bare = new URL(fr);
    bare.searchParams.delete('lang');
    bare.searchParams.set('token', 'x');
    const zh = await fetch(bare, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    assert.equal(zh.status, 403);
    assert.deepEqual(await zh.json(), { error: t.zh('admin:reportLink.invalid') });
    const en = await fetch(new URL(`/api/reports/bad%20tenant/skills.csv`, baseUrl));
    assert.equal(en.status, 400);
    assert.deepEqual(await en.json(), { error: t.en('admin:reportLink.invalid') });
  });

  it('keeps a generated report secret in the data directory, readable by the owner only, and reuses it', async () => {
    const secret = await loadOrCreateSecret(bot.dataDir, 'report-secret');
    const info = await stat(path.join(bot.dataDir, 'report-secret'));
    assert.equal(info.mode & 0o777, 0o600);
    assert.equal(await loadOrCreateSecret(bot.dataDir, 'report-secret'), secret);
  });

  it('reminds a registered person who never linked with a proactive message in their personal chat', async () => {
    await stores.ledger.transact((tx) => {
      tx.put('people', `${TENANT}/aad-gil`, { id: 'aad-gil', tenantId: TENANT, displayName: 'Gil Ortiz', role: 'member' });
      tx.put('conversationReferences', 'a:personal-gil', {
        tenantId: TENANT,
        personId: 'aad-gil',
        scope: 'personal',
        installedAt: new Date('2026-03-01T00:00:00Z'),
        reference: { channelId: 'msteams', serviceUrl: connector.serviceUrl, conversation: { id: 'a:personal-gil' }, bot: { id: '28:bot' }, user: { id: '29:gil' }, locale: 'zh-CN' },
      });
    });
    const submit = {
      ...message('', { locale: 'en-US', personId: BOSS, tenantId: TENANT, serviceUrl: connector.serviceUrl }),
      text: undefined,
      value: { action: 'admin.remind', personId: 'aad-gil' },
      deliveryMode: 'expectReplies',
    };
    const response = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(submit) });
    const body = (await response.json()) as { activities: Array<{ text?: string }> };
    assert.equal(body.activities[0]!.text, 'I reminded Gil Ortiz in their chat with me.');
    // The reminder is a notice of the outbox, sent by the dispatcher with every other proactive message.
    const [row] = await findRecords(stores.ledger, 'alertOutbox', (r) => r.kind === 'admin-reminder');
    assert.equal(row?.conversationId, 'a:personal-gil');
    assert.deepEqual(connector.activitiesIn('a:personal-gil'), [], 'nothing is sent before the dispatcher runs');
    await bot.app.alertWorker!.dispatcher.start();
    await bot.app.alertWorker!.dispatcher.whenIdle();
    const [reminder] = connector.activitiesIn('a:personal-gil');
    assert.ok(reminder, 'the reminder was posted to the connector');
    assert.match(JSON.stringify(reminder.attachments), /请关联你的认证配置文件/);
  });

  it('answers 404 on the admin endpoint when no ADMIN_API_TOKEN is configured', async () => {
    const config = loadConfig({ LOG_LEVEL: 'silent' });
    const plain = createHttpServer({
      adapter: app.adapter,
      logic: app.logic,
      health: async () => ({ ok: true }),
      logger: silentLogger(),
      routes: (s) => mountAdminRoutes(s, { admin: app.admin, apiToken: config.admin.apiToken, clock: () => now, logger: silentLogger(), translate }),
    });
    await listen(plain, 0, '127.0.0.1');
    try {
      const base = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
      const url = `${base}/api/admin/${TENANT}/requirements`;
      assert.equal((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
      const before = (await findRecords(stores.ledger, 'requirements', (r) => r.tenantId === TENANT)).length;
      const host = new URL(base).host;
      for (const target of [`/api/%61dmin/${TENANT}/requirements`, `http://${host}/api/admin/${TENANT}/requirements`, `http://${host}/api/%61dmin/${TENANT}/requirements`]) {
        assert.equal((await raw(base, 'GET', target)).status, 404, `GET ${target}`);
        assert.equal((await raw(base, 'DELETE', `${target}/azure-infra`)).status, 404, `DELETE ${target}`);
        assert.equal((await raw(base, 'GET', target, { authorization: `Bearer ${TOKEN}` })).status, 404, `GET ${target} with a token`);
      }
      assert.equal((await findRecords(stores.ledger, 'requirements', (r) => r.tenantId === TENANT)).length, before);
    } finally {
      plain.close();
    }
  });
});
