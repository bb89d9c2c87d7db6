import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../../bot/config.js';
import { createCloudAdapter } from '../../../bot/createBot.js';
import { CloudProactiveSender, parseRetryAfter, verdictOf } from '../../../bot/proactive/proactive.js';
import { channelReference } from '../../support/alertFixtures.js';
import { RecordingConnector } from '../../support/faultyConnector.js';

describe('CloudProactiveSender', () => {
  let connector: RecordingConnector;
  let sender: CloudProactiveSender;
  const conversationId = '19:proactive@thread.tacv2';
  const target = () => ({ conversationId, tenantId: 'tenant-contoso', reference: channelReference(conversationId, connector.serviceUrl, 'tenant-contoso') });
  const open = async () => undefined;

  before(async () => {
    connector = new RecordingConnector();
    await connector.start();
    sender = new CloudProactiveSender(createCloudAdapter(loadConfig({ LOG_LEVEL: 'silent' })), { timeoutMs: 2_000 });
  });
  after(async () => connector.stop());
  beforeEach(() => {
    connector.attempts.length = 0;
    connector.failWith(() => undefined);
  });

  it('posts a new message to the conversation (not a reply) and returns the activity id', async () => {
    const result = await sender.send(target(), { type: 'message', text: 'hello' }, open);
    assert.deepEqual(result, { verdict: 'sent', activityId: 'activity-1' });
    const [call] = connector.calls;
    assert.equal(call!.conversationId, conversationId);
    assert.equal(call!.replyToId, undefined);
    assert.equal((call!.activity.conversation as { id: string }).id, conversationId);
    assert.equal((call!.activity.from as { id: string }).id, '28:bot');
  });

  it('makes exactly one request on a 500 or a 429 and reports the status and Retry-After (the SDK would retry for seconds)', async () => {
    connector.failWith(() => ({ status: 500 }));
    const started = Date.now();
    assert.deepEqual(await sender.send(target(), { type: 'message', text: 'x' }, open), { verdict: 'retry', error: 'HTTP 500' });
    connector.failWith(() => ({ status: 429, headers: { 'retry-after': '2' } }));
    assert.deepEqual(await sender.send(target(), { type: 'message', text: 'x' }, open), { verdict: 'throttled', retryAfterMs: 2_000, error: 'HTTP 429' });
    assert.equal(connector.attempts.length, 2);
    assert.ok(Date.now() - started < 1_000, 'no hidden retries');
  });

  it('waits for the gate before the request leaves', async () => {
    let opened = false;
    const gate = async () => {
      assert.equal(connector.attempts.length, 0);
      opened = true;
    };
    await sender.send(target(), { type: 'message', text: 'x' }, gate);
    assert.ok(opened);
    assert.equal(connector.attempts.length, 1);
  });

  it('reports an unreachable connector as worth a retry', async () => {
    const gone = { ...target(), reference: channelReference(conversationId, 'http://127.0.0.1:9/', 'tenant-contoso') };
    const result = await sender.send(gone, { type: 'message', text: 'x' }, open);
    assert.equal(result.verdict, 'retry');
  });

  it('gives up on a connector that does not answer within the timeout, as worth a retry', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const impatient = new CloudProactiveSender(createCloudAdapter(loadConfig({ LOG_LEVEL: 'silent' })), { timeoutMs: 200 });
      const result = await impatient.send({ ...target(), reference: channelReference(conversationId, `http://127.0.0.1:${port}/`, 'tenant-contoso') }, { type: 'message', text: 'x' }, open);
      assert.equal(result.verdict, 'retry');
      assert.match((result as { error: string }).error, /^TimeoutError: no answer within 200 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('says what each connector status means for the outbox', () => {
    assert.deepEqual(verdictOf(429, 2_000), { verdict: 'throttled', retryAfterMs: 2_000, error: 'HTTP 429' });
    assert.deepEqual(verdictOf(503, 1_000), { verdict: 'retry', retryAfterMs: 1_000, error: 'HTTP 503' });
    for (const status of [401, 408, 412, 500, 502, 504]) assert.equal(verdictOf(status).verdict, 'retry', String(status));
    for (const status of [403, 404]) assert.equal(verdictOf(status).verdict, 'gone', String(status));
    for (const status of [400, 413]) assert.equal(verdictOf(status).verdict, 'rejected', String(status));
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3_000);
    assert.equal(parseRetryAfter('0.5'), 500);
    assert.equal(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', Date.parse('Wed, 21 Oct 2026 07:28:00 GMT')), 5_000);
    assert.equal(parseRetryAfter(null), undefined);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
