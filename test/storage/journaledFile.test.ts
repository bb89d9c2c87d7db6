import assert from 'node:assert/strict';
import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptStoreError, openLowdbDocumentStore, type CommitInfo, type DocumentStore } from '../../storage/index.js';
import { contractIndexes, contractSchemas } from './documentStoreContract.js';
import { readStoreFiles } from './storeFiles.js';
import { useTempDir } from './tempDir.js';

type Store = DocumentStore<typeof contractSchemas>;

describe('lowdb document store: snapshot and journal', () => {
  const temp = useTempDir('journaled-store');
  let file: string;
  let journal: string;
  let count = 0;
  const commits: CommitInfo[] = [];
  const open: Store[] = [];

  async function openStore(compactAt?: number): Promise<Store> {
    const store = await openLowdbDocumentStore(file, contractSchemas, { indexes: contractIndexes, onCommit: (info) => commits.push(info), ...(compactAt === undefined ? {} : { compactAt }) });
    open.push(store);
    return store;
  }
  const counters = async (store: Store) => Object.fromEntries((await store.scan('counters')).map(({ id, record }) => [id, record.value]));
  const putCounters = (store: Store, values: Record<string, number>) =>
    store.transact((tx) => {
      for (const [id, value] of Object.entries(values)) tx.put('counters', id, { value });
    });
  const lastCommit = (): CommitInfo => commits.at(-1)!;

  before(() => temp.create());
  after(() => temp.cleanup());
  beforeEach(() => {
    file = join(temp.path(), `store-${++count}.json`);
    journal = `${file}.journal`;
    commits.length = 0;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((store) => store.close()));
  });

  it('appends what a commit changed to the journal: its size follows the change, not the store', async () => {
    const store = await openStore();
    await putCounters(store, Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`c${i}`, i])));
    const snapshot = await stat(file);
    assert.ok(lastCommit().bytes > 20_000, 'the first commit writes the snapshot');

    await putCounters(store, { c7: 70 });
    await store.transact((tx) => tx.delete('counters', 'c8'));
    assert.ok(lastCommit().bytes < 200, `a one-record commit wrote ${lastCommit().bytes} bytes`);
    assert.equal((await stat(file)).mtimeMs, snapshot.mtimeMs, 'the snapshot is not rewritten');
    assert.equal((await readFile(journal, 'utf8')).split('\n').length, 3, 'one line per commit');

    const onDisk = await readStoreFiles(file);
    assert.deepEqual(onDisk.collections.counters?.c7, { value: 70 });
    assert.equal(onDisk.collections.counters?.c8, undefined);
    await store.close();
    const reopened = await counters(await openStore());
    assert.equal(reopened.c7, 70);
    assert.equal(reopened.c8, undefined);
    assert.equal(Object.keys(reopened).length, 1_999);
  });

  it('writes a new snapshot and empties the journal once the journal would outgrow the snapshot', async () => {
    const store = await openStore(0);
    await putCounters(store, Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, i])));
    const snapshotBytes = (await stat(file)).size;
    const { generation } = await readStoreFiles(file);
    let appended = 0;
    for (let i = 0; (await readStoreFiles(file)).generation === generation; i++) {
      await putCounters(store, { [`c${i % 50}`]: 1_000 + i });
      appended += 1;
      assert.ok(appended < 1_000, 'no snapshot was ever written again');
    }
    assert.ok(lastCommit().bytes >= snapshotBytes, 'the commit that compacts writes the whole store');
    assert.equal((await stat(journal)).size, 0, 'the journal is emptied');
    assert.ok(appended > 5, `compacted after ${appended} commits already`);
    const expected = await counters(store);
    await store.close();
    assert.deepEqual(await counters(await openStore(0)), expected);
  });

  it('ignores a last line cut short by a crash, and writes a snapshot at the next commit', async () => {
    const store = await openStore();
    await putCounters(store, { a: 1 });
    await putCounters(store, { b: 2 });
    await store.close();
    await appendFile(journal, '{"generation":1,"put":{"counters":{"c":{"val');

    const reopened = await openStore();
    assert.deepEqual(await counters(reopened), { a: 1, b: 2 });
    await putCounters(reopened, { d: 4 });
    assert.equal((await stat(journal)).size, 0, 'the torn line is gone with the journal');
    assert.deepEqual((await readStoreFiles(file)).collections.counters, { a: { value: 1 }, b: { value: 2 }, d: { value: 4 } });
    await reopened.close();
    assert.deepEqual(await counters(await openStore()), { a: 1, b: 2, d: 4 });
  });

  it('skips lines older than the snapshot: a crash after a snapshot, before the journal was emptied, applies nothing twice', async () => {
    const store = await openStore(0);
    await putCounters(store, { c: 1 });
    await putCounters(store, { c: 2 });
    const older = await readFile(journal, 'utf8');
    assert.match(older, /"value":2/);
    // Large enough to outgrow the snapshot: written as a new snapshot, with c at 3.
    await putCounters(store, { c: 3, ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`pad${i}`, i])) });
    assert.equal((await stat(journal)).size, 0);
    await store.close();
    await writeFile(journal, older);
    assert.equal((await counters(await openStore(0))).c, 3);
  });

  it('reads a snapshot written before the journal existed, and journals after it', async () => {
    await writeFile(file, '{"version":1,"collections":{"counters":{"a":{"value":1}}}}');
    const store = await openStore();
    await putCounters(store, { b: 2 });
    assert.equal(await readFile(file, 'utf8'), '{"version":1,"collections":{"counters":{"a":{"value":1}}}}');
    await store.close();
    assert.deepEqual(await counters(await openStore()), { a: 1, b: 2 });
  });

  for (const [what, lines, pattern] of [
    ['a broken line before the last', ['{"generation":1,"put":{', '{"generation":1,"put":{},"delete":{}}'], /line 1: not JSON/],
    ['a record its schema refuses', ['{"generation":1,"put":{"counters":{"x":{"value":"many"}}},"delete":{}}'], /line 1: counters\["x"\]: value/],
    ['a line of a generation after the snapshot', ['{"generation":7,"put":{},"delete":{}}'], /line 1: generation 7 follows a snapshot of generation 1/],
    ['a line of another layout', ['{"counters":{}}'], /line 1: expected \{"generation"/],
  ] as const) {
    it(`refuses a journal with ${what}, naming the line, and leaves both files untouched`, async () => {
      const store = await openStore();
      await putCounters(store, { a: 1 });
      await store.close();
      const snapshot = await readFile(file, 'utf8');
      const text = `${lines.join('\n')}\n`;
      await writeFile(journal, text);
      await assert.rejects(openStore(), (error: unknown) => {
        assert.ok(error instanceof CorruptStoreError);
        assert.ok(error.message.includes(journal));
        assert.match(error.message, pattern);
        return true;
      });
      assert.equal(await readFile(journal, 'utf8'), text);
      assert.equal(await readFile(file, 'utf8'), snapshot);
    });
  }

  it('refuses a journal whose snapshot is missing', async () => {
    await writeFile(journal, '{"generation":1,"put":{},"delete":{}}\n');
    await assert.rejects(openStore(), (error: unknown) => error instanceof CorruptStoreError && /a journal without its snapshot/.test(error.message));
  });
});
