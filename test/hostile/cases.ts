/**
 * Hostile requests an outsider with no credentials can send, as one library used by the test suite (against a bot
 * started in the test) and by `npm run hostile -- --url …` (against a running bot). Each case sends its requests and
 * asserts the answers; the runner then checks that the bot still answers a normal turn and that nothing was written.
 */
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { cardSubmit, message, teamsActivity } from '../support/activities.js';
import { rawRequest, type RawAnswer } from './client.js';

/** The bot under attack. */
export interface HostileTarget {
  readonly baseUrl: string;
  /** The serviceUrl activities name (replies are asked for in the response, so nothing needs to listen there). */
  readonly serviceUrl: string;
  /** The admin endpoint's token, when the runner knows it (cases that need it are skipped otherwise). */
  readonly adminToken?: string;
  /** The organization the admin cases use. */
  readonly tenantId?: string;
}

/** One hostile case. `writes` cases may store something legitimately (they check the bound themselves). */
export interface HostileCase {
  readonly name: string;
  readonly writes?: boolean;
  /** Needs the admin token. */
  readonly admin?: boolean;
  run(target: HostileTarget): Promise<void>;
}

const MESSAGES = '/api/messages';
const json = { 'content-type': 'application/json' };

/** A normal, small activity body. */
export function activityBody(target: HostileTarget, text = 'help', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...message(text, { serviceUrl: target.serviceUrl, locale: 'en-US' }), deliveryMode: 'expectReplies', ...extra });
}

/** Posts an activity and returns the bot's replies (expectReplies). */
export async function turn(target: HostileTarget, activity: Record<string, unknown>): Promise<{ status: number; activities: Record<string, unknown>[] }> {
  const answer = await rawRequest(target.baseUrl, { path: MESSAGES, headers: json, body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }) });
  const parsed = answer.status === 200 && answer.body ? (JSON.parse(answer.body) as { activities?: Record<string, unknown>[] }) : {};
  return { status: answer.status, activities: parsed.activities ?? [] };
}

/** A normal "help" turn: the bot answers 200 with its menu. */
export async function assertAlive(target: HostileTarget): Promise<void> {
  const answer = await rawRequest(target.baseUrl, { path: MESSAGES, headers: json, body: activityBody(target) });
  assert.equal(answer.status, 200, `a normal turn afterwards: ${answer.status} ${answer.body.slice(0, 200)}`);
  assert.ok((JSON.parse(answer.body) as { activities: unknown[] }).activities.length > 0, 'the normal turn has a reply');
}

function expectStatus(answer: RawAnswer, expected: number | readonly number[], what: string): void {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  assert.ok(allowed.includes(answer.status), `${what}: expected ${allowed.join(' or ')}, got ${answer.status} ${answer.body.slice(0, 200)}`);
  assert.ok(!/\bat .+\.(ts|js):\d+/.test(answer.body), `${what}: the answer shows a stack trace`);
}

const post = (name: string, expected: number | readonly number[], build: (t: HostileTarget) => Parameters<typeof rawRequest>[1]): HostileCase => ({
  name,
  async run(target) {
    expectStatus(await rawRequest(target.baseUrl, build(target)), expected, name);
  },
});

let bomb: Buffer | undefined;
/** A gzip bomb: about 250 KB of gzip that inflates to 250 MB (made once). */
function gzipBomb(): Buffer {
  bomb ??= gzipSync(Buffer.alloc(250 * 1024 * 1024), { level: 9 });
  return bomb;
}

/** The feedback button data of the first answer card in a reply. */
function feedbackData(activities: Record<string, unknown>[]): Record<string, unknown> | undefined {
  for (const activity of activities) {
    const text = JSON.stringify(activity);
    const match = /"data":(\{"action":"faq\.feedback"[^}]*\})/.exec(text);
    if (match) return JSON.parse(match[1]!) as Record<string, unknown>;
  }
  return undefined;
}

/** Every case of the edge without credentials. */
export const BODY_CASES: readonly HostileCase[] = [
  post('gzip Content-Encoding with a 1-byte body', 415, () => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'gzip' }, body: Buffer.from([0x1f]) })),
  post('gzip Content-Encoding with a valid gzip activity', 415, (t) => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(activityBody(t)) })),
  post('a gzip bomb (255 KB inflating to 250 MB)', 415, () => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'gzip' }, body: gzipBomb() })),
  post('deflate Content-Encoding', 415, (t) => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'deflate' }, body: deflateSync(activityBody(t)) })),
  post('br Content-Encoding', 415, (t) => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'br' }, body: activityBody(t) })),
  post('"identity, gzip" Content-Encoding', 415, (t) => ({ path: MESSAGES, headers: { ...json, 'content-encoding': 'identity, gzip' }, body: activityBody(t) })),
  post('a 2 MB multipart/form-data body (must never reach the temp folder)', [413, 415], () => {
    const boundary = 'hostileboundary';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.alloc(2 * 1024 * 1024, 0x41),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { path: MESSAGES, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body };
  }),
  post('a small multipart/form-data body', 415, () => ({
    path: MESSAGES,
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
    body: '--b\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nhello\r\n--b--\r\n',
  })),
  post('an urlencoded form', 415, () => ({ path: MESSAGES, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=2' })),
  post('text/plain', 415, () => ({ path: MESSAGES, headers: { 'content-type': 'text/plain' }, body: 'help' })),
  post('no Content-Type', 415, (t) => ({ path: MESSAGES, body: activityBody(t) })),
  post('application/jsonp (a near miss)', 415, (t) => ({ path: MESSAGES, headers: { 'content-type': 'application/jsonx' }, body: activityBody(t) })),
  post('a declared body over the limit', 413, () => ({ path: MESSAGES, headers: { ...json, 'content-length': String(300 * 1024) }, pieces: [Buffer.alloc(1024, 0x20)] })),
  post('a body over the limit with its length', 413, (t) => ({ path: MESSAGES, headers: json, body: activityBody(t, 'x'.repeat(300 * 1024)) })),
  post('a chunked body over the limit (no length)', 413, () => ({
    path: MESSAGES,
    headers: { ...json, 'transfer-encoding': 'chunked' },
    pieces: Array.from({ length: 40 }, () => Buffer.alloc(16 * 1024, 0x20)),
    pauseMs: 5,
  })),
  post('a chunked 8 MB body (stopped at the limit, not read whole)', [413, 0], () => ({
    path: MESSAGES,
    headers: { ...json, 'transfer-encoding': 'chunked' },
    pieces: Array.from({ length: 128 }, () => Buffer.alloc(64 * 1024, 0x20)),
  })),
  post('a Content-Length that is not a number', [400, 413], () => ({ path: MESSAGES, headers: { ...json, 'content-length': 'abc' }, body: '{}' })),
  post('a body that is not JSON', 400, () => ({ path: MESSAGES, headers: json, body: '{"type":' })),
  post('JSON null', 400, () => ({ path: MESSAGES, headers: json, body: 'null' })),
  post('a JSON array', 400, () => ({ path: MESSAGES, headers: json, body: '[]' })),
  post('JSON nested 100,000 deep', 400, () => ({ path: MESSAGES, headers: json, body: '['.repeat(100_000) })),
  post('invalid UTF-8 inside the JSON', 400, (t) => ({ path: MESSAGES, headers: json, body: Buffer.concat([Buffer.from(activityBody(t).slice(0, -1)), Buffer.from(',"x":"\xff\xfe"}', 'latin1')]) })),
  post('an activity without a conversation', 400, (t) => ({ path: MESSAGES, headers: json, body: JSON.stringify({ ...JSON.parse(activityBody(t)), conversation: undefined }) })),
  post('a serviceUrl that is not http(s)', 400, (t) => ({ path: MESSAGES, headers: json, body: activityBody(t, 'help', { serviceUrl: 'file:///etc/passwd' }) })),
  post('a text over 28,000 characters', 400, (t) => ({ path: MESSAGES, headers: json, body: activityBody(t, 'a'.repeat(30_000)) })),
  post('a 20 KB header', 431, (t) => ({ path: MESSAGES, headers: { ...json, 'x-padding': 'p'.repeat(20 * 1024) }, body: activityBody(t) })),
  post('GET on /api/messages', 405, () => ({ method: 'GET', path: MESSAGES })),
  post('PUT on /api/messages', 405, (t) => ({ method: 'PUT', path: MESSAGES, headers: json, body: activityBody(t) })),
  post('an unknown route with a ticket in its query', 404, () => ({ method: 'GET', path: '/signin/nowhere?ticket=secret-ticket-value&sig=secret' })),
  post('a percent-encoded /api/messages with gzip', [404, 405, 415], () => ({ path: '/api/%6dessages', headers: { ...json, 'content-encoding': 'gzip' }, body: Buffer.from([0x1f]) })),
  post('a forged report link', 403, (t) => ({ method: 'GET', path: `/api/reports/${t.tenantId ?? 'tenant-contoso'}/skills.csv?token=${'A'.repeat(36)}.${'A'.repeat(200)}.${'A'.repeat(43)}` })),
  post('a report link with a malformed signature', 403, (t) => ({ method: 'GET', path: `/api/reports/${t.tenantId ?? 'tenant-contoso'}/skills.csv?token=%00` })),
  {
    name: 'a slow body (trickled for over a second) while another person asks for help',
    async run(target) {
      const slow = rawRequest(target.baseUrl, { path: MESSAGES, headers: { ...json, 'transfer-encoding': 'chunked' }, pieces: ['{"type"', ':', '"mess', 'age"'], pauseMs: 400 });
      // The bot keeps serving others while a body trickles in.
      await assertAlive(target);
      expectStatus(await slow, 400, 'the trickled body, once complete, is not an activity');
    },
  },
];

/** Pathological message texts: each must be answered, and the bot must answer others afterwards. */
export const TEXT_CASES: readonly HostileCase[] = [
  ['28 KB of letters', 'a'.repeat(28_000)],
  ['28 KB of unclosed <at> tags', '<at>'.repeat(7_000)],
  ['28 KB of address characters without an @', `grant partner admin ${'a.'.repeat(13_900)}`],
  ['28 KB of @ signs between letters', 'a@'.repeat(14_000)],
  ['28 KB of an address-looking run', `${'a'.repeat(14_000)}@${'b-'.repeat(6_900)}`],
  ['28 KB of spaces and punctuation', ' ,.!?'.repeat(5_600)],
  ['28 KB of Chinese', '关联'.repeat(14_000)],
  ['a lone surrogate at the cut', `${'a'.repeat(1_999)}😀${'b'.repeat(25_000)}`],
].map(([name, text]) => ({
  name: `message text: ${name}`,
  writes: true,
  async run(target: HostileTarget) {
    const answer = await rawRequest(target.baseUrl, { path: MESSAGES, headers: json, body: activityBody(target, text) });
    expectStatus(answer, 200, name!);
  },
}));

/** Card data and votes that must not be believed. */
export const CARD_CASES: readonly HostileCase[] = [
  {
    name: 'a vote on a card the bot never sent (made-up card id and proof, 20 times)',
    writes: true,
    async run(target) {
      for (let i = 0; i < 20; i += 1) {
        const card = `card${String(i).padStart(18, '0')}`;
        const vote = { action: 'faq.feedback', topic: 'why-link', helpful: true, locale: 'en', card, proof: 'A'.repeat(43) };
        const reply = await turn(target, cardSubmit(vote, { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'hostile-voter' }) as Record<string, unknown>);
        assert.equal(reply.status, 200);
        assert.ok(!JSON.stringify(reply.activities).includes('Thanks'), 'a forged vote is not thanked');
      }
    },
  },
  {
    name: 'a vote with a 200 KB card id and replyToId',
    writes: true,
    async run(target) {
      const vote = { action: 'faq.feedback', topic: 'why-link', helpful: true, locale: 'en', card: 'A'.repeat(200_000), proof: 'B'.repeat(43) };
      const activity = { ...cardSubmit(vote, { serviceUrl: target.serviceUrl, locale: 'en-US' }), replyToId: 'r'.repeat(20_000) };
      const answer = await rawRequest(target.baseUrl, { path: MESSAGES, headers: json, body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }) });
      expectStatus(answer, [200, 400], 'oversized vote');
    },
  },
  {
    name: 'a real vote replayed from another conversation, with another topic, with another language, and with another person’s id in the data',
    writes: true,
    async run(target) {
      const asked = await turn(target, message('Why should I link my MCID?', { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'hostile-asker' }) as Record<string, unknown>);
      const data = feedbackData(asked.activities);
      assert.ok(data, 'the answer card has feedback buttons');
      const as = (fields: Record<string, unknown>, options: Record<string, string> = {}) =>
        turn(target, cardSubmit({ ...data, ...fields }, { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'hostile-asker', ...options }) as Record<string, unknown>);
      for (const reply of [
        await as({}, { conversationId: 'a:another-conversation' }),
        await as({ topic: 'unlink' }),
        await as({ locale: 'fr' }),
        await as({ card: 'Z'.repeat(22) }),
      ]) {
        assert.equal(reply.status, 200);
        assert.ok(!JSON.stringify(reply.activities).includes('Thanks'), 'a tampered vote is not thanked');
      }
      // Another person's id in the card data is ignored: the vote counts for whoever pressed the button.
      const own = await as({ personId: 'aad-victim', from: { id: 'aad-victim' }, tenantId: 'another-tenant' });
      assert.equal(own.status, 200);
    },
  },
  {
    name: 'an admin card action with another person’s id, from a member',
    writes: true,
    async run(target) {
      const reply = await turn(
        target,
        cardSubmit({ action: 'admin.deleteAccount.confirm', personId: 'aad-victim', nonce: 'nonce-12345678' }, { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'hostile-member' }) as Record<string, unknown>,
      );
      assert.equal(reply.status, 200);
    },
  },
  {
    name: 'an install whose conversation carries 200 KB of extra fields',
    writes: true,
    async run(target) {
      const activity = teamsActivity(
        { type: 'installationUpdate', action: 'add' },
        { serviceUrl: target.serviceUrl, locale: 'en-US', personId: 'hostile-installer', conversationId: 'a:hostile-install' },
      ) as Record<string, unknown>;
      activity.conversation = { ...(activity.conversation as object), padding: 'p'.repeat(200_000), nested: { deep: 'q'.repeat(10_000) } };
      const answer = await rawRequest(target.baseUrl, { path: MESSAGES, headers: json, body: JSON.stringify({ ...activity, deliveryMode: 'expectReplies' }) });
      expectStatus(answer, 200, 'bloated install');
    },
  },
];

/** The admin endpoint with and without its token. */
export const ADMIN_CASES: readonly HostileCase[] = [
  post('the admin endpoint without a token', [401, 404, 429], (t) => ({ method: 'GET', path: `/api/admin/${t.tenantId ?? 'tenant-contoso'}/requirements` })),
  post('the admin endpoint with gzip and no token', [401, 404, 429], (t) => ({
    method: 'PUT',
    path: `/api/admin/${t.tenantId ?? 'tenant-contoso'}/requirements`,
    headers: { ...json, 'content-encoding': 'gzip' },
    body: Buffer.from([0x1f]),
  })),
  {
    name: 'the admin endpoint with a token: gzip, multipart, a gzip bomb, invalid UTF-8 in a CSV',
    admin: true,
    writes: true,
    async run(target) {
      const tenant = target.tenantId ?? 'tenant-contoso';
      const auth = { authorization: `Bearer ${target.adminToken}` };
      expectStatus(await rawRequest(target.baseUrl, { method: 'PUT', path: `/api/admin/${tenant}/requirements`, headers: { ...auth, ...json, 'content-encoding': 'gzip' }, body: Buffer.from([0x1f]) }), 415, 'gzip with the token');
      expectStatus(await rawRequest(target.baseUrl, { path: `/api/admin/${tenant}/credentials`, headers: { ...auth, 'content-type': 'text/csv', 'content-encoding': 'gzip' }, body: gzipBomb() }), 415, 'gzip bomb with the token');
      expectStatus(await rawRequest(target.baseUrl, { path: `/api/admin/${tenant}/credentials`, headers: { ...auth, 'content-type': 'multipart/form-data; boundary=b' }, body: `--b\r\nContent-Disposition: form-data; name="f"; filename="a.csv"\r\n\r\n${'x'.repeat(100_000)}\r\n--b--\r\n` }), 415, 'multipart with the token');
      const csv = Buffer.concat([Buffer.from('mcid,code,title,passed,competencies\n'), Buffer.from([0x41, 0xff, 0xfe, 0x0a])]);
      const bad = await rawRequest(target.baseUrl, { path: `/api/admin/${tenant}/credentials`, headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
      expectStatus(bad, 422, 'a CSV that is not UTF-8');
      assert.match(bad.body, /"line":2/);
    },
  },
  {
    name: 'wrong admin tokens in a burst are limited per address',
    writes: true,
    async run(target) {
      const statuses: number[] = [];
      for (let i = 0; i < 60; i += 1) {
        const answer = await rawRequest(target.baseUrl, { method: 'GET', path: `/api/admin/${target.tenantId ?? 'tenant-contoso'}/requirements`, headers: { authorization: `Bearer wrong-${i}` } });
        statuses.push(answer.status);
      }
      if (statuses.every((s) => s === 404)) return; // the endpoint is disabled on this bot
      assert.ok(statuses.includes(429), `a burst of wrong tokens is limited: ${[...new Set(statuses)].join(',')}`);
      assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
    },
  },
];

/** The sign-in pages (404 where they are not mounted). */
export const SIGN_IN_CASES: readonly HostileCase[] = [
  post('a forged sign-in ticket', [400, 404], () => ({ method: 'GET', path: `/signin/start?ticket=${'A'.repeat(40)}.${'B'.repeat(43)}` })),
  post('a sign-in ticket of 100 KB', [400, 404, 414, 431], () => ({ method: 'GET', path: `/signin/start?ticket=${'A'.repeat(100_000)}` })),
  post('a sign-in callback without a flow', [400, 404], () => ({ method: 'GET', path: '/signin/callback?code=x&state=y' })),
  post('a gzip sign-in form', [400, 404, 415], () => ({ path: '/signin/continue', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: Buffer.from([0x1f]) })),
  {
    name: 'sign-in starts in a burst are limited per address',
    writes: true,
    async run(target) {
      const statuses: number[] = [];
      for (let i = 0; i < 80; i += 1) statuses.push((await rawRequest(target.baseUrl, { method: 'GET', path: `/signin/start?ticket=burst-${i}` })).status);
      if (statuses.every((s) => s === 404)) return; // no sign-in pages on this bot
      assert.ok(statuses.includes(429), `a burst of sign-in starts is limited: ${[...new Set(statuses)].join(',')}`);
      assert.ok(statuses.every((s) => s === 400 || s === 429), statuses.join(','));
    },
  },
];

/** Every case the runner knows, in order. */
export const ALL_CASES: readonly HostileCase[] = [...BODY_CASES, ...TEXT_CASES, ...CARD_CASES, ...ADMIN_CASES, ...SIGN_IN_CASES];

/** What the data directory (with its sub-folders, such as the state buckets) and the temp folder hold. */
export async function snapshot(dataDir: string | undefined): Promise<{ data: Map<string, string>; temp: Set<string> }> {
  const data = new Map<string, string>();
  if (dataDir) {
    for (const entry of await readdir(dataDir, { recursive: true, withFileTypes: true }).catch(() => [])) {
      if (!entry.isFile() || entry.name.startsWith('.healthz')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const info = await stat(file).catch(() => undefined);
      if (info) data.set(path.relative(dataDir, file), `${info.size}/${info.mtimeMs}`);
    }
  }
  const temp = new Set(await readdir(os.tmpdir()).catch(() => [] as string[]));
  return { data, temp };
}

/** Fails when the data directory changed or the temp folder gained a body-sized file or an upload. */
export async function assertNothingWritten(before: Awaited<ReturnType<typeof snapshot>>, dataDir: string | undefined, what: string): Promise<void> {
  const after = await snapshot(dataDir);
  assert.deepEqual([...after.data.entries()].sort(), [...before.data.entries()].sort(), `${what}: the data directory changed`);
  for (const name of after.temp) {
    if (before.temp.has(name)) continue;
    // Other programs (compilers, other test runs) use the temp folder too: only a body parser's upload files count.
    assert.ok(!name.startsWith('upload_'), `${what}: ${name} appeared in the temp folder`);
  }
}
