import { join } from 'node:path';
import { createMemoryLedger, openLedger } from '../../storage/index.js';
import { describeLedgerRules } from './ledgerRulesContract.js';
import { useTempDir } from './tempDir.js';

describeLedgerRules('memory', async () => createMemoryLedger());

describe('ledger rules on a file', () => {
  const temp = useTempDir('ledger-rules');
  let files = 0;
  before(() => temp.create());
  after(() => temp.cleanup());
  describeLedgerRules('lowdb file', () => openLedger(join(temp.path(), `ledger-${++files}.json`)));
});
