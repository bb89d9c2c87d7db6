import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAdminCli } from '../../../scripts/admin.js';
import { ImportService } from '../../../services/admin/importCredentials.js';
import { credentialId, readImportFile } from '../../../services/admin/importFile.js';
import { parseCsv, readCsvYielding, type CsvRecord } from '../../../services/admin/importCsv.js';
import { credentialKey, personKey, createMemoryLedger } from '../../../storage/index.js';
import { allRecords, findRecords } from '../../support/ledgerRecords.js';

const clock = () => new Date('2026-03-02T09:00:00Z');
const HEADER = 'person,mcid,type,code,title,passed,expires,competency';

const VALID = [
  HEADER,
  'Dan Diaz,mcid1001,certification,AZ-104,Microsoft Certified: Azure Administrator Associate,2025-05-01,2027-05-01,azure',
  'Dan Diaz,MCID1001,certification,AZ-104,Microsoft Certified: Azure Administrator Associate,2025-05-01,2027-05-01,security',
  '"Martin, Eve",MCID1002,exam,SC-200,"Microsoft Security Operations Analyst ""SOC""",2025-09-15,,security',
  '李雷,MCID1003,certification,AZ-305,Microsoft Certified: Azure Solutions Architect Expert,2026-01-10T00:00:00Z,,azure',
].join('\r\n');

/** A file of `n` valid rows (for the big-file test). */
function bigFile(n: number): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`Person ${i},MCID${100000 + i},exam,AZ-${100 + (i % 900)},Exam ${i % 900},2025-0${1 + (i % 9)}-1${i % 10},,azure`);
  return `${lines.join('\n')}\n`;
}

describe('importing certification data', () => {
  it('parses RFC 4180 CSV: quotes, doubled quotes, commas and line breaks inside quotes, CRLF, a BOM', () => {
    const records = parseCsv('\ufeffa,b\r\n"x, y","say ""hi""\nthere"\r\n\r\nlast,\n');
    assert.deepEqual(records.map((r) => r.fields), [['a', 'b'], ['x, y', 'say "hi"\nthere'], ['last', '']]);
    assert.deepEqual(records.map((r) => r.line), [1, 2, 5]);
  });

  it('reads bare CR line ends (old Mac exports) as line ends, numbering lines as a text editor does', async () => {
    const records = parseCsv('a,b\r"x\ry",z\r\rlast,\r');
    assert.deepEqual(records.map((r) => r.fields), [['a', 'b'], ['x\ry', 'z'], ['last', '']]);
    assert.deepEqual(records.map((r) => r.line), [1, 2, 5]);
    const mixed = 'a\r\nb\rc\nd';
    assert.deepEqual(parseCsv(mixed).map((r) => [r.line, r.fields[0]]), [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']]);
  });

  it('imports a file with bare CR line ends, and names the right line of a bad row in one', async () => {
    const service = new ImportService({ ledger: createMemoryLedger(), clock });
    assert.deepEqual(await service.importCsv('tenant-contoso', VALID.replaceAll('\r\n', '\r'), 'cli'), { kind: 'imported', rows: 4, credentials: 3, created: 3, updated: 0, unchanged: 0 });
    const bad = [HEADER, '"Martin,\rEve",MCID1002,exam,SC-200,Security,2025-09-15,,security', '', 'Ann,MCID1004,exam,AZ-900,Fundamentals,2025-02-30,,azure'].join('\r');
    const outcome = await readImportFile('tenant-contoso', Buffer.from(bad));
    assert.deepEqual(outcome.ok ? [] : outcome.problems.map((p) => [p.line, p.column]), [[5, 'passed']]);
  });

  it('names the line of bytes that are not UTF-8, and of an unclosed quote, counting bare CR line ends', async () => {
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\rA,MCID1,exam,AZ-104,T,2025-01-01,,azure\r\nB,MCID2,exam,AZ-104,Zo`), Buffer.from([0xe9]), Buffer.from(',2025-01-01,,azure\r')]);
    const notUtf8 = await readImportFile('tenant-contoso', latin1);
    assert.deepEqual(notUtf8.ok ? [] : notUtf8.problems.map((p) => [p.line, p.message]), [[3, 'is not valid UTF-8 text (save the file as UTF-8)']]);
    const unclosed = await readImportFile('tenant-contoso', `${HEADER}\rA,MCID1,exam,AZ-104,T,2025-01-01,,azure\r"B,MCID2\rmore\r`);
    assert.deepEqual(unclosed.ok ? [] : unclosed.problems.map((p) => [p.line, p.message]), [[3, 'a quoted field is not closed']]);
  });

  it('parses a large file in slices the same as in one piece', async () => {
    const text = bigFile(3_000).replaceAll('\n', '\r').replace('Person 7,', '"Person\r\n7",');
    const sliced: CsvRecord[] = [];
    await readCsvYielding(text, (record) => void sliced.push(record));
    assert.deepEqual(sliced, parseCsv(text));
    assert.equal(sliced.at(-1)?.line, 3_002, 'the quoted line break counts as a line');
  });

  it('imports a valid file: one credential per MCID, code and date, with every competency of its rows', async () => {
    const ledger = createMemoryLedger();
    const changes: string[] = [];
    const service = new ImportService({ ledger, clock, onOrganizationChanged: (tenant, cause) => void changes.push(`${tenant}:${cause}`) });
    const outcome = await service.importCsv('tenant-contoso', VALID, 'cli');
    assert.deepEqual(outcome, { kind: 'imported', rows: 4, credentials: 3, created: 3, updated: 0, unchanged: 0 });
    const dan = await ledger.get('credentials', credentialKey('tenant-contoso', credentialId('tenant-contoso', 'MCID1001', 'AZ-104', new Date('2025-05-01T00:00:00Z'))));
    assert.equal(dan?.tenantId, 'tenant-contoso', 'the record belongs to the importing organization');
    assert.deepEqual(dan?.competencies, ['azure', 'security']);
    assert.equal(dan?.accountId, 'MCID1001', 'MCIDs are stored upper case, as the link flow stores them');
    assert.equal(dan?.expires?.toISOString(), '2027-05-01T00:00:00.000Z');
    const eve = (await findRecords(ledger, 'credentials', (c) => c.accountId === 'MCID1002'))[0];
    assert.equal(eve?.title, 'Microsoft Security Operations Analyst "SOC"');
    assert.equal(eve?.expires, undefined);
    assert.deepEqual(changes, ['tenant-contoso:credential-import']);
    assert.equal((await allRecords(ledger, 'auditLog')).at(-1)?.outcome, 'done');
  });

  it('changes nothing when the same file is imported again', async () => {
    const ledger = createMemoryLedger();
    const changes: string[] = [];
    const service = new ImportService({ ledger, clock, onOrganizationChanged: (_t, cause) => void changes.push(cause) });
    await service.importCsv('tenant-contoso', VALID, 'cli');
    const before = JSON.stringify(await allRecords(ledger, 'credentials'));
    const again = await service.importCsv('tenant-contoso', VALID, 'cli');
    assert.deepEqual(again, { kind: 'imported', rows: 4, credentials: 3, created: 0, updated: 0, unchanged: 3 });
    assert.equal(JSON.stringify(await allRecords(ledger, 'credentials')), before);
    assert.equal(changes.length, 1, 'no re-evaluation for an import that changed nothing');
    assert.equal((await allRecords(ledger, 'auditLog')).at(-1)?.outcome, 'unchanged');
  });

  it('rejects a file with bad rows as a whole, listing every bad row and why, and imports nothing', async () => {
    const ledger = createMemoryLedger();
    const service = new ImportService({ ledger, clock });
    const bad = [
      HEADER,
      'Dan Diaz,MCID1001,certification,AZ-104,Azure Administrator,2025-05-01,,azure',
      ',MCID1002,exam,SC-200,Security Operations,2025-09-15,,security',
      'Eve,MC!D,diploma,SC-200,Security Operations,15/09/2025,,security',
      'Li Lei,MCID1003,exam,AZ-305,Architect,2026-01-10,2025-01-10,azure',
      'Too,few,fields',
      'Dan Diaz,MCID1001,certification,AZ-104,Another title,2025-05-01,,security',
      'Ann,MCID1004,exam,AZ-900,Fundamentals,2026-02-30,,',
    ].join('\n');
    const outcome = await service.importCsv('tenant-contoso', bad, 'api');
    assert.equal(outcome.kind, 'rejected');
    assert.ok(outcome.kind === 'rejected');
    const byLine = (line: number) => outcome.problems.filter((p) => p.line === line).map((p) => p.column ?? p.message);
    assert.deepEqual(byLine(2), []);
    assert.deepEqual(byLine(3), ['person']);
    assert.deepEqual(byLine(4).sort(), ['mcid', 'passed', 'type']);
    assert.deepEqual(byLine(5), ['expires']);
    assert.match(outcome.problems.find((p) => p.line === 6)!.message, /3 fields/);
    assert.match(outcome.problems.find((p) => p.line === 7)!.message, /contradicts line 2/);
    assert.deepEqual(byLine(8).sort(), ['competency', 'passed']);
    assert.equal((await allRecords(ledger, 'credentials')).length, 0, 'nothing half-imported');
    assert.equal((await allRecords(ledger, 'auditLog'))[0]?.outcome, 'rejected');
  });

  it('rejects a file without the expected columns, or with a broken quote', async () => {
    const noColumns = await readImportFile('tenant-contoso', 'name,mcid\nDan,MCID1001\n');
    assert.ok(!noColumns.ok);
    assert.match(noColumns.problems[0]!.message, /missing columns: person, type, code, title, passed, expires, competency/);
    const broken = await readImportFile('tenant-contoso', `${HEADER}\n"Dan,MCID1001,exam,AZ-104,T,2025-05-01,,azure\n`);
    assert.ok(!broken.ok);
    assert.match(broken.problems[0]!.message, /not closed/);
    assert.ok(!(await readImportFile('tenant-contoso', '')).ok);
    const future = await readImportFile('tenant-contoso', `${HEADER}\nDan,MCID1001,exam,AZ-104,T,2026-03-03,,azure\nDan,MCID1001,exam,AZ-900,T,2026-03-02T09:00:00Z,,azure\n`, clock());
    assert.deepEqual(future.ok ? [] : future.problems.map((p) => [p.line, p.column]), [[2, 'passed']], 'passed tomorrow is refused, passed now is not');
  });

  it('imports a 100,000-row file in one transaction', async () => {
    const ledger = createMemoryLedger();
    const outcome = await new ImportService({ ledger, clock }).importCsv('tenant-contoso', bigFile(100_000), 'cli');
    assert.equal(outcome.kind, 'imported');
    assert.equal((await allRecords(ledger, 'credentials')).length, 100_000);
  });

  it('lets other work run while it reads a large file, instead of holding the event loop until it is done', async () => {
    let others = 0;
    let running = true;
    const other = (): void => {
      others += 1;
      if (running) setImmediate(other);
    };
    setImmediate(other);
    const file = await readImportFile('tenant-contoso', bigFile(50_000));
    running = false;
    assert.ok(file.ok);
    assert.equal(file.credentials.length, 50_000);
    assert.ok(others > 1, `other callbacks ran ${others} times during the read`);
  });

  describe('from the command line', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'mcid-admin-cli-'));
    });
    after(async () => rm(dir, { recursive: true, force: true }));

    const run = async (ledger: ReturnType<typeof createMemoryLedger>, ...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runAdminCli(argv, ledger, { out: (s) => void (out += s), err: (s) => void (err += s) }, clock);
      return { code, out, err };
    };

    it('imports a file, lists every problem of a bad one with exit code 1, and requires --tenant', async () => {
      const ledger = createMemoryLedger();
      const good = path.join(dir, 'good.csv');
      const bad = path.join(dir, 'bad.csv');
      await writeFile(good, VALID);
      await writeFile(bad, `${HEADER}\n,MCID1,exam,X,T,2025-01-01,,azure\nA,MCID2,exam,X,T,nope,,azure\n`);
      assert.deepEqual(await run(ledger, 'import', good, '--tenant', 'tenant-contoso'), {
        code: 0,
        out: `${good}: 4 row(s), 3 credential(s): 3 new, 0 updated, 0 unchanged.\n`,
        err: '',
      });
      const rejected = await run(ledger, 'import', bad, '--tenant', 'tenant-contoso');
      assert.equal(rejected.code, 1);
      assert.match(rejected.err, /line 2: person is empty/);
      assert.match(rejected.err, /line 3: passed is not a date/);
      assert.equal((await run(ledger, 'import', good)).code, 2);
    });

    it('refuses a file that is not UTF-8 and names its line, instead of importing replacement characters', async () => {
      const ledger = createMemoryLedger();
      const latin1 = path.join(dir, 'latin1.csv');
      // "Zoé" saved as Latin-1: the é is the lone byte 0xE9.
      await writeFile(latin1, Buffer.concat([Buffer.from(`${HEADER}\nA,MCID1,exam,AZ-104,Zo`), Buffer.from([0xe9]), Buffer.from(',2025-01-01,,azure\n')]));
      const rejected = await run(ledger, 'import', latin1, '--tenant', 'tenant-contoso');
      assert.equal(rejected.code, 1);
      assert.match(rejected.err, /line 2: is not valid UTF-8 text/);
      assert.equal(rejected.out, '');
      const json = path.join(dir, 'latin1.json');
      await writeFile(json, Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]));
      const refused = await run(ledger, 'requirements', 'set', json, '--tenant', 'tenant-contoso');
      assert.equal(refused.code, 1);
      assert.match(refused.err, /not UTF-8 JSON/);
    });

    it('registers a Partner Center user once, in the audit log as done by the command line', async () => {
      const ledger = createMemoryLedger();
      assert.deepEqual(await run(ledger, 'users', 'add', 'aad-123', '--name', 'Ana', '--tenant', 'tenant-contoso'), {
        code: 0,
        out: 'Registered aad-123 in tenant-contoso.\n',
        err: '',
      });
      assert.equal((await run(ledger, 'users', 'add', 'aad-123', '--tenant', 'tenant-contoso')).out, 'aad-123 is already registered in tenant-contoso (member).\n');
      assert.deepEqual(await ledger.get('people', personKey('tenant-contoso', 'aad-123')), { id: 'aad-123', tenantId: 'tenant-contoso', displayName: 'Ana', role: 'member' });
      assert.deepEqual(
        (await findRecords(ledger, 'auditLog', (e) => e.action === 'user.add')).map((e) => [e.actorId, e.outcome]),
        [['cli', 'done'], ['cli', 'unchanged']],
      );
    });

    it('sets, lists and deletes requirements from a JSON file', async () => {
      const ledger = createMemoryLedger();
      const file = path.join(dir, 'requirements.json');
      await writeFile(
        file,
        JSON.stringify({
          requirements: [{ id: 'azure-infra', competency: 'azure', names: { en: 'Azure infrastructure', 'zh-CN': 'Azure 基础结构', fr: 'Infrastructure Azure' }, requiredPeople: 2, credentialCodes: ['AZ-104'] }],
        }),
      );
      assert.equal((await run(ledger, 'requirements', 'set', file, '--tenant', 't1')).out, 'Requirements: 1 new, 0 updated, 0 deleted.\n');
      assert.equal((await run(ledger, 'requirements', 'set', file, '--tenant', 't1')).out, 'Requirements: 0 new, 0 updated, 0 deleted.\n');
      assert.match((await run(ledger, 'requirements', 'list', '--tenant', 't1')).out, /^azure-infra {2}Azure infrastructure \/ Azure 基础结构 \/ Infrastructure Azure {2}competency=azure {2}people=2 {2}codes=AZ-104\n$/);
      assert.equal((await run(ledger, 'requirements', 'list', '--tenant', 't2')).out, 'No requirements.\n');
      await writeFile(file, JSON.stringify({ requirements: [{ id: 'Bad Id', competency: '', names: { en: 'x' }, requiredPeople: 0 }] }));
      const invalid = await run(ledger, 'requirements', 'set', file, '--tenant', 't1');
      assert.equal(invalid.code, 1);
      assert.match(invalid.err, /requirements\.0\.id/);
      assert.match(invalid.err, /requirements\.0\.requiredPeople/);
      assert.equal((await run(ledger, 'requirements', 'delete', 'azure-infra', '--tenant', 't1')).code, 0);
      assert.equal((await run(ledger, 'requirements', 'delete', 'azure-infra', '--tenant', 't1')).code, 1);
      assert.match((await run(ledger, 'audit', '--tenant', 't1')).out, /cli {2}requirement\.delete {2}done {2}azure-infra/);
    });
  });
});
