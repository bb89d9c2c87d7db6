import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { playgroundArgs } from '../../scripts/playground.js';
import { chromiumAvailable, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../scripts/gallery/cardBrowser.js';
import { startBotServer, type BotServer } from '../support/botServer.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * A module preloaded into every Node process of the playground: it refuses connections and name lookups to anything
 * but this machine, and writes each attempt to `log`, so the test can tell that the playground stayed offline.
 */
function offlineGuard(log: string): string {
  return `
    import net from 'node:net';
    import dns from 'node:dns';
    import { appendFileSync } from 'node:fs';
    const local = (host) => host === undefined || host === null || host === '' || host === 'localhost' || host === '::1' || /^(::ffff:)?127\\./.test(host);
    const connect = net.Socket.prototype.connect;
    net.Socket.prototype.connect = function (...args) {
      const first = Array.isArray(args[0]) ? args[0][0] : args[0];
      const options = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
      if (!options.path && !local(options.host)) {
        appendFileSync(${JSON.stringify(log)}, 'connect ' + options.host + ':' + options.port + '\\n');
        process.nextTick(() => this.destroy(new Error('offline test: no network')));
        return this;
      }
      return connect.apply(this, args);
    };
    const lookup = dns.lookup;
    dns.lookup = function (host, ...rest) {
      if (!local(host)) appendFileSync(${JSON.stringify(log)}, 'lookup ' + host + '\\n');
      return lookup.call(this, host, ...rest);
    };
  `;
}

/** Resolves with the playground's port when it says it listens; rejects if it exits first. */
function listeningPort(child: ChildProcess, output: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output.push(chunk.toString());
      const match = /Listening on (\d+)/.exec(output.join(''));
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the playground exited (${code}): ${output.join('')}`)));
  });
}

describe('npm run playground', function () {
  this.timeout(90_000);
  let bot: BotServer;
  let dir: string;
  let child: ChildProcess | undefined;
  const output: string[] = [];
  let port: number;

  before(async () => {
    bot = await startBotServer();
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcid-playground-'));
    const guard = path.join(dir, 'guard.mjs');
    await writeFile(guard, offlineGuard(path.join(dir, 'network.log')));
    await writeFile(path.join(dir, 'network.log'), '');
    // The script as npm runs it, from an empty directory (no .env), on the bot's port; `-p 0`: a free port for the playground.
    child = spawn(process.execPath, ['--import', tsx, path.join(root, 'scripts/playground.ts'), '-p', '0'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, TEAMSAPPTESTER_BROWSER: 'none', PORT: new URL(bot.baseUrl).port, NODE_OPTIONS: `--import=${pathToFileURL(guard).href}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    port = await listeningPort(child, output);
  });

  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await bot?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the Agents Playground against the bot as the msteams channel, with telemetry off', () => {
    assert.deepEqual(playgroundArgs(3978, ['-p', '0']), ['-e', 'http://127.0.0.1:3978/api/messages', '-c', 'msteams', '--disable-telemetry', '-p', '0']);
  });

  it('starts and serves its chat page without reaching the network', async () => {
    const page = await fetch(`http://127.0.0.1:${port}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>Microsoft 365 Agents Playground<\/title>/);
    assert.equal(await readFile(path.join(dir, 'network.log'), 'utf8'), '');
  });

  it('shows the bot’s welcome card in the playground’s page (headless Chromium)', async function () {
    if (!chromiumAvailable()) {
      console.log(`      (skipped: Chromium is not installed at ${CHROMIUM_PATH})`);
      this.skip();
    }
    const profile = await mkdtemp(path.join(os.tmpdir(), 'mcid-playground-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
    try {
      // Only the playground on this machine: its page asks a CDN for fonts, which it does without.
      await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.getByText('MCID', { exact: false }).first().waitFor({ timeout: 45_000 });
      const text = await page.locator('body').innerText();
      assert.match(text, /MCID Link Assistant/);
    } finally {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    }
    assert.equal(await readFile(path.join(dir, 'network.log'), 'utf8'), '');
  });
});
