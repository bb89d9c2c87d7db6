import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readImportFile } from '../../../services/admin/importFile.js';
import { readImport } from '../../../services/admin/importWorker.js';

const HEADER = 'person,mcid,type,code,title,passed,expires,competency';
const now = new Date('2026-03-02T09:00:00Z');

/** A file of `n` rows (about 80 bytes each), every row valid except those `bad` picks. */
function file(n: number, bad: (i: number) => boolean = () => false): string {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) {
    const passed = bad(i) ? 'someday' : `2025-0${1 + (i % 9)}-1${i % 10}`;
    // Two rows of each credential, with other competencies: they merge into one credential.
    lines.push(`Person ${i >> 1},MCID${100000 + (i >> 1)},exam,AZ-${100 + (i % 900)},"Exam ${i % 900}, part ""${i % 3}""",${passed},,${i % 2 === 0 ? 'azure' : 'security'}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('reading a large import file on a worker thread', () => {
  it('gives the credentials, row count and digest that reading it in-process gives', async () => {
    const text = file(6_000);
    const bytes = Buffer.from(text);
    assert.ok(bytes.length >= 256 * 1024, 'the file is large enough to go to a worker');
    const [inWorker, inProcess] = [await readImport('tenant-contoso', bytes, now), await readImportFile('tenant-contoso', bytes, now)];
    assert.ok(inWorker.file.ok && inProcess.ok);
    assert.equal(inWorker.file.rows, 6_000);
    // More credentials than one batch of the worker's, each a whole credential with Dates and competencies.
    assert.equal(inWorker.file.credentials.length, inProcess.credentials.length);
    assert.ok(inWorker.file.credentials.length > 1_000);
    assert.deepEqual(inWorker.file.credentials, inProcess.credentials);
    assert.ok(inWorker.file.credentials[0]!.passed instanceof Date);
    assert.equal(inWorker.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal((await readImport('tenant-contoso', text, now)).sha256, inWorker.sha256, 'text and its UTF-8 bytes are the same file');
  });

  it('gives every problem of a large bad file, with its line, in order', async () => {
    const bytes = Buffer.from(file(6_000, (i) => i % 4 === 3));
    const read = await readImport('tenant-contoso', bytes, now);
    const inProcess = await readImportFile('tenant-contoso', bytes, now);
    assert.ok(!read.file.ok && !inProcess.ok);
    assert.equal(read.file.problems.length, 1_500);
    assert.deepEqual(read.file.problems, inProcess.problems);
    assert.deepEqual(read.file.problems[0], { line: 5, column: 'passed', message: 'passed is not a date (YYYY-MM-DD)' });
  });

  it('refuses a large file that is not UTF-8, naming its line, as in-process', async () => {
    const good = Buffer.from(file(4_000));
    const broken = Buffer.concat([good, Buffer.from('Zoe,MCID1,exam,AZ-104,Zo'), Buffer.from([0xe9]), Buffer.from(',2025-01-01,,azure\r\n')]);
    const read = await readImport('tenant-contoso', broken, now);
    assert.ok(!read.file.ok);
    assert.deepEqual(read.file.problems, [{ line: 4_002, message: 'is not valid UTF-8 text (save the file as UTF-8)' }]);
  });

  it('reads large files asked for at once (they take turns on the worker), each for its own organization', async () => {
    const text = file(4_000);
    const [a, b] = await Promise.all([readImport('tenant-a', text, now), readImport('tenant-b', Buffer.from(text), now)]);
    assert.ok(a.file.ok && b.file.ok);
    assert.equal(a.sha256, b.sha256);
    assert.deepEqual(new Set(a.file.credentials.map((c) => c.tenantId)), new Set(['tenant-a']));
    assert.deepEqual(new Set(b.file.credentials.map((c) => c.tenantId)), new Set(['tenant-b']));
    assert.notEqual(a.file.credentials[0]!.id, b.file.credentials[0]!.id, "one organization's ids never collide with another's");
  });
});
