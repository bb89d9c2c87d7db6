import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../bot/index.ts', import.meta.url));

/** Starts the real entry point with an environment and collects how it ended. */
function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', '--disable-warning=DEP0111', entry],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', PORT: '0', ...env }, timeout: 20_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

describe('start-up', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mcid-start-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops with one message listing every bad variable', async () => {
    const { code, stderr } = await start({ DATA_DIR: dataDir, PORT: 'eighty', LOG_LEVEL: 'chatty' });
    assert.equal(code, 1);
    assert.match(stderr, /Invalid configuration:/);
    assert.match(stderr, /PORT/);
    assert.match(stderr, /LOG_LEVEL/);
    assert.doesNotMatch(stderr, /at .*\.ts:\d+/, 'no stack trace for a known cause');
  });

  it('refuses a corrupt ledger with a clear message and leaves the file as it was', async () => {
    const ledger = path.join(dataDir, 'ledger.json');
    await writeFile(ledger, '{"version":1,"collections":{"people":{"x":');
    const { code, stderr } = await start({ DATA_DIR: dataDir });
    assert.equal(code, 1);
    assert.match(stderr, /ledger\.json/);
    assert.equal(await readFile(ledger, 'utf8'), '{"version":1,"collections":{"people":{"x":');
  });
});
