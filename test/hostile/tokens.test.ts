import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { message } from '../support/activities.js';
import { startBotServer, type BotServer } from '../support/botServer.js';
import { rawRequest } from './client.js';
import { jwt, KeySetStandIn, strangerKey } from './keySetStandIn.js';

const APP_ID = '00000000-0000-0000-0000-0000000000a1';

/** A logger whose lines the test reads. */
function capturingLogger(lines: string[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    }),
  );
}

describe('forged Bot Framework tokens with MicrosoftAppId set (local key set, never the network)', function () {
  this.timeout(30_000);
  const keys = new KeySetStandIn();
  const lines: string[] = [];
  const consoleLines: string[] = [];
  const originalWrite = process.stderr.write.bind(process.stderr);
  let bot: BotServer;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    await keys.start();
    bot = await startBotServer({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' },
      logger: capturingLogger(lines),
      openIdMetadata: { ToBotFromChannelOpenIdMetadataUrl: keys.metadataUrl, ToBotFromEmulatorOpenIdMetadataUrl: keys.metadataUrl },
    });
  });

  after(async () => {
    await bot.close();
    await keys.stop();
  });

  beforeEach(() => {
    lines.length = 0;
    consoleLines.length = 0;
    // What reaches the terminal: the SDK prints with console.error, which ends up here.
    process.stderr.write = ((chunk: string | Uint8Array) => {
      consoleLines.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stderr.write = originalWrite;
  });

  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: 'https://api.botframework.com',
    aud: APP_ID,
    serviceurl: bot.connector.serviceUrl,
    iat: now() - 60,
    nbf: now() - 60,
    exp: now() + 3600,
    ...extra,
  });
  const header = (extra: Record<string, unknown> = {}) => ({ alg: 'RS256', typ: 'JWT', kid: keys.kid, ...extra });

  const send = (authorization?: string, expectReplies = false) =>
    rawRequest(bot.baseUrl, {
      path: '/api/messages',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ ...message('help', { serviceUrl: bot.connector.serviceUrl, locale: 'en-US' }), ...(expectReplies ? { deliveryMode: 'expectReplies' } : {}) }),
    });

  it('runs a turn for a token signed by the key set (the stand-in works)', async () => {
    // Replies in the response: an authenticated reply through the connector would need a token from the network.
    const answer = await send(`Bearer ${jwt(header(), claims(), keys.privateKey)}`, true);
    assert.equal(answer.status, 200, answer.body);
    assert.ok((JSON.parse(answer.body) as { activities: unknown[] }).activities.length > 0);
  });

  const forged: Array<[string, () => string | undefined]> = [
    ['no Authorization header', () => undefined],
    ['a Basic header', () => 'Basic dXNlcjpwYXNz'],
    ['a bearer value that is not a JWT', () => 'Bearer not-a-token'],
    ['a signature from another key with the known kid', () => `Bearer ${jwt(header(), claims(), strangerKey())}`],
    ['alg none', () => `Bearer ${jwt(header({ alg: 'none' }), claims())}`],
    ['HS256 keyed with the public key', () => `Bearer ${jwt(header({ alg: 'HS256' }), claims(), keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString())}`],
    ['a future nbf', () => `Bearer ${jwt(header(), claims({ nbf: now() + 86_400 }), keys.privateKey)}`],
    ['an expired token', () => `Bearer ${jwt(header(), claims({ exp: now() - 86_400 }), keys.privateKey)}`],
    ['a typ JWT token whose payload is not JSON', () => `Bearer ${jwt(header(), 'this is not json', keys.privateKey)}`],
    ['an unknown kid', () => `Bearer ${jwt(header({ kid: 'someone-else' }), claims(), keys.privateKey)}`],
    ['another audience', () => `Bearer ${jwt(header(), claims({ aud: 'another-app' }), keys.privateKey)}`],
    ['another issuer', () => `Bearer ${jwt(header(), claims({ iss: 'https://evil.example' }), keys.privateKey)}`],
    ['a token for another serviceUrl', () => `Bearer ${jwt(header(), claims({ serviceurl: 'https://evil.example/' }), keys.privateKey)}`],
  ];
  for (const [shape, authorization] of forged) {
    it(`answers 401 to ${shape}, runs no turn, logs one line without the token or a stack`, async () => {
      const calls = bot.connector.calls.length;
      const token = authorization();
      const answer = await send(token);
      assert.equal(answer.status, 401, answer.body);
      assert.ok(answer.body.length < 200 && !/\bat /.test(answer.body), answer.body);
      assert.equal(bot.connector.calls.length, calls, 'no turn ran');
      const refusals = lines.filter((l) => l.includes('refused an unauthenticated activity'));
      assert.equal(refusals.length, 1, lines.join('\n'));
      assert.ok(lines.every((l) => !l.includes('"stack"') && !(token && l.includes(token.slice(7, 40)))));
      assert.deepEqual(consoleLines, [], 'nothing printed to the console');
    });
  }

  it('answers 503 with a short fixed body when the key set cannot be reached, and runs no turn', async () => {
    const unreachable = await startBotServer({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '72f988bf-0000-0000-0000-000000000001' },
      logger: capturingLogger(lines),
      // A port nothing listens on: the key set cannot be fetched.
      openIdMetadata: { ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/none', ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:9/none' },
    });
    try {
      const answer = await rawRequest(unreachable.baseUrl, {
        path: '/api/messages',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt(header(), claims(), keys.privateKey)}` },
        body: JSON.stringify(message('help', { serviceUrl: unreachable.connector.serviceUrl })),
      });
      assert.equal(answer.status, 503, answer.body);
      assert.deepEqual(JSON.parse(answer.body), { error: 'authentication is unavailable, try again later' });
      assert.equal(unreachable.connector.calls.length, 0);
    } finally {
      await unreachable.close();
    }
  });
});
