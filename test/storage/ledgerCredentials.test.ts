import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptStoreError, openLedger } from '../../storage/index.js';
import { useTempDir } from './tempDir.js';

describe('ledger: credentials without an organization', () => {
  const dir = useTempDir('mcid-ledger-credentials');
  beforeEach(() => dir.create());
  afterEach(() => dir.cleanup());

  // No deployment holds such a file yet; which organization imported an old record cannot be told from the ledger,
  // so start-up refuses it (re-import each organization's file into a fresh ledger) instead of guessing.
  it('refuses at start-up a ledger written before credentials carried tenantId, naming the record and the field', async () => {
    const file = join(dir.path(), 'ledger.json');
    const old = { id: 'cred-x', kind: 'learn', accountId: 'MCID1001', type: 'exam', code: 'AZ-104', title: 'T', passed: '2025-01-01T00:00:00.000Z', competencies: ['azure'] };
    await writeFile(file, JSON.stringify({ version: 1, collections: { credentials: { 'cred-x': old } } }));
    await assert.rejects(openLedger(file), (error: unknown) => {
      assert.ok(error instanceof CorruptStoreError);
      assert.match(error.message, /credentials\["cred-x"\]: tenantId/);
      return true;
    });
  });
});
