import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ConfigError, loadChatConfig } from '../../bot/config.js';
import { asksOnlyForHelp, chatTarget, describeChatTarget } from '../../scripts/chatTarget.js';
import { openLedger } from '../../storage/index.js';

const run = promisify(execFile);
const TSX = ['--import', 'tsx'];

describe('the development scripts', () => {
  it('chat talks to --url, else to PORT, else to port 3978, and says which', () => {
    assert.deepEqual(chatTarget('http://10.0.0.5:4000/api/messages', loadChatConfig({ PORT: '5000' })), { url: 'http://10.0.0.5:4000/api/messages', source: 'url' });
    assert.deepEqual(chatTarget(undefined, loadChatConfig({ PORT: '5000' })), { url: 'http://127.0.0.1:5000/api/messages', source: 'port' });
    assert.deepEqual(chatTarget(undefined, loadChatConfig({ PORT: ' ' })), { url: 'http://127.0.0.1:3978/api/messages', source: 'default' });
    assert.deepEqual(chatTarget(undefined, loadChatConfig({})), { url: 'http://127.0.0.1:3978/api/messages', source: 'default' });
    assert.throws(() => loadChatConfig({ PORT: 'abc' }), (error: unknown) => error instanceof ConfigError && error.problems[0]!.startsWith('PORT'));
    assert.match(describeChatTarget(chatTarget(undefined, {})), /3978\/api\/messages \(the default port: set PORT or --url/);
  });

  it('admin --help needs no ledger', () => {
    assert.ok(asksOnlyForHelp(['--help']) && asksOnlyForHelp(['requirements', '-h']) && asksOnlyForHelp([]));
    assert.ok(!asksOnlyForHelp(['requirements', 'list', '--tenant', 'x']));
  });

  it('npm run chat without --url prints whom it talks to (PORT) and what answers there', async function () {
    this.timeout(20_000);
    const bot = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url === '/healthz' ? JSON.stringify({ ok: true, version: '9.9.9' }) : JSON.stringify({ activities: [{ text: 'hello from the stand-in' }] }));
    });
    await new Promise<void>((resolve) => bot.listen(0, '127.0.0.1', resolve));
    try {
      const port = (bot.address() as AddressInfo).port;
      const chat = run(process.execPath, [...TSX, 'scripts/chat.ts'], { env: { ...process.env, PORT: String(port) }, timeout: 15_000 });
      chat.child.stdin?.end();
      const { stdout } = await chat;
      assert.match(stdout, new RegExp(`Talking to the bot at http://127\\.0\\.0\\.1:${port}/api/messages \\(from PORT`));
      assert.match(stdout, /answers as the MCID Link Assistant 9\.9\.9/);
      assert.match(stdout, /hello from the stand-in/);
    } finally {
      bot.close();
    }
  });

  it('npm run admin -- --help prints the usage while the bot holds the ledger', async function () {
    this.timeout(20_000);
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-admin-help-'));
    const ledger = await openLedger(path.join(dataDir, 'ledger.json'));
    try {
      const { stdout } = await run(process.execPath, [...TSX, 'scripts/admin.ts', '--help'], { env: { ...process.env, DATA_DIR: dataDir }, timeout: 15_000 });
      assert.match(stdout, /usage: npm run admin/);
    } finally {
      await ledger.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
