import assert from 'node:assert/strict';
import { access, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { CommitInfo } from '../../storage/index.js';
import { CorruptStoreError, StoreLockedError, UniqueViolationError, openLowdbDocumentStore } from '../../storage/index.js';
import { ackSchemas } from './fixtures/ackSchemas.js';
import { contractIndexes, contractSchemas, describeDocumentStoreContract } from './documentStoreContract.js';
import { blockStoreFiles, readStoreFiles } from './storeFiles.js';
import { killAfterAcks } from './killMidStream.js';
import { useTempDir } from './tempDir.js';

const ada = { id: 'p1', name: 'Ada', joinedAt: new Date('2024-03-01T09:30:00.000Z'), tags: ['admin'] };

describe('lowdb document store', () => {
  const temp = useTempDir('lowdb-store');
  let fileCount = 0;
  const nextFile = (): string => join(temp.path(), `store-${++fileCount}.json`);

  before(() => temp.create());
  after(() => temp.cleanup());

  describeDocumentStoreContract('lowdb file', (schemas, indexes) => openLowdbDocumentStore(nextFile(), schemas, { indexes }));

  describe('on disk', () => {
    let file: string;
    const toClose: { close(): Promise<void> }[] = [];
    const open = async (options: { onCommit?: (info: CommitInfo) => void } = {}) => {
      const store = await openLowdbDocumentStore(file, contractSchemas, { indexes: contractIndexes, ...options });
      toClose.push(store);
      return store;
    };
    const onDisk = () => readStoreFiles(file);

    beforeEach(() => {
      file = nextFile();
    });
    afterEach(async () => {
      await Promise.all(toClose.splice(0).map((s) => s.close()));
    });

    it('has a resolved write in the file already, dates as ISO strings, and gives it back after reopening', async () => {
      const store = await open();
      await store.transact((tx) => tx.put('people', ada.id, ada));
      const data = await onDisk();
      assert.deepEqual(data.collections.people?.p1, { ...ada, joinedAt: '2024-03-01T09:30:00.000Z' });
      await store.close();
      const reopened = await open();
      assert.deepEqual(await reopened.get('people', 'p1'), ada);
    });

    it('starts empty when the file is missing and creates it (and its directory) on the first commit', async () => {
      file = join(temp.path(), 'new-dir', 'ledger.json');
      const store = await open();
      assert.deepEqual(await store.scan('people'), []);
      await assert.rejects(access(file));
      await store.transact((tx) => tx.put('counters', 'c', { value: 1 }));
      assert.deepEqual((await onDisk()).collections.counters, { c: { value: 1 } });
    });

    it('writes 200 concurrent transactions in one commit and loses none of them', async () => {
      const commits: CommitInfo[] = [];
      const store = await open({ onCommit: (info) => commits.push(info) });
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => store.transact((tx) => tx.put('counters', `c${i}`, { value: i }))),
      );
      assert.equal(commits.length, 1);
      assert.equal(Object.keys((await onDisk()).collections.counters ?? {}).length, 200);
      await store.close();
      assert.equal((await (await open()).scan('counters')).length, 200);
    });

    it('applies a large transaction in slices that reads never see half of, with other work running between them', async () => {
      const store = await open();
      await store.transact((tx) => tx.put('counters', 'before', { value: 0 }));
      const ids = Array.from({ length: 20_000 }, (_, i) => `c${i}`);
      const seen: string[] = [];
      let ticks = 0;
      let running = true;
      const poll = async (): Promise<void> => {
        while (running) {
          const [first, last] = await store.getMany('counters', ['c0', 'c19999']);
          seen.push(`${first ? 1 : 0}${last ? 1 : 0}`);
          await new Promise((resolve) => setImmediate(resolve));
          ticks += 1;
        }
      };
      const polling = poll();
      await store.transact((tx) => {
        for (const id of ids) tx.put('counters', id, { value: 1 });
      });
      running = false;
      await polling;
      assert.ok(ticks > 1, 'other work ran while the transaction was applied and written');
      assert.deepEqual([...new Set(seen)].filter((s) => s !== '00' && s !== '11'), [], 'never half of the transaction');
      assert.equal(Object.keys((await onDisk()).collections.counters ?? {}).length, 20_001);
    });

    it('queues transactions made while a commit is in flight into the next single commit', async () => {
      let commits = 0;
      const store = await open({ onCommit: () => commits++ });
      const first = store.transact((tx) => tx.put('counters', 'first', { value: 0 }));
      // The first transaction applies in a microtask after this call; its commit starts in the check phase after that.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      const later = Array.from({ length: 50 }, (_, i) => store.transact((tx) => tx.put('counters', `c${i}`, { value: i })));
      await Promise.all([first, ...later]);
      assert.equal(commits, 2);
      assert.equal(Object.keys((await onDisk()).collections.counters ?? {}).length, 51);
    });

    it('records a flood of duplicate submissions once on disk', async () => {
      const store = await open();
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          store.transact(async (tx) => {
            if (await tx.get('submissions', 'k')) return 'duplicate';
            tx.put('submissions', 'k', { key: 'k', by: `click-${i}` });
            return 'recorded';
          }),
        ),
      );
      assert.equal(outcomes.filter((o) => o === 'recorded').length, 1);
      assert.deepEqual((await onDisk()).collections.submissions, { k: { key: 'k', by: 'click-0' } });
    });

    it('refuses a file that is not JSON, naming the file, and leaves its bytes and time untouched', async () => {
      await writeFile(file, '{"version":1,"collections":{"people":{');
      const before = await stat(file);
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof CorruptStoreError);
        assert.ok(error.message.includes(file));
        assert.match(error.message, /not JSON/);
        assert.match(error.message, /left untouched/);
        return true;
      });
      assert.equal(await readFile(file, 'utf8'), '{"version":1,"collections":{"people":{');
      assert.equal((await stat(file)).mtimeMs, before.mtimeMs);
      await assert.rejects(access(`${file}.lock`), 'the lock is released after a refused open');
    });

    it('refuses a file whose records fail their schema and lists the first problems', async () => {
      const text = JSON.stringify({
        version: 1,
        collections: {
          people: { p1: { id: 'p1', name: '', joinedAt: 'not a date', tags: [] } },
          counters: Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, { value: 'x' }])),
        },
      });
      await writeFile(file, text);
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof CorruptStoreError);
        assert.match(error.message, /people\["p1"\]: name: .*joinedAt: /);
        assert.equal(error.problems.length, 5);
        assert.equal(error.totalProblems, 9);
        assert.match(error.message, /and 4 more/);
        return true;
      });
      assert.equal(await readFile(file, 'utf8'), text);
    });

    for (const [what, text, pattern] of [
      ['an empty file', '', /not JSON/],
      ['a file of another layout', '{"people":{}}', /at the top level/],
      ['a newer format version', '{"version":2,"collections":{}}', /unsupported format version 2/],
      ['a collection the schemas do not know', '{"version":1,"collections":{"widgets":{}}}', /unknown collection "widgets"/],
    ] as const) {
      it(`refuses ${what}`, async () => {
        await writeFile(file, text);
        await assert.rejects(open(), (error: unknown) => error instanceof CorruptStoreError && pattern.test(error.message));
        assert.equal(await readFile(file, 'utf8'), text);
      });
    }

    it('starts collections added to the schemas since the file was written empty', async () => {
      await writeFile(file, '{"version":1,"collections":{"counters":{"c":{"value":3}}}}');
      const store = await open();
      assert.equal((await store.get('counters', 'c'))?.value, 3);
      assert.deepEqual(await store.scan('people'), []);
    });

    it('keeps working after close and reopen', async () => {
      const first = await open();
      await first.transact((tx) => tx.put('counters', 'a', { value: 1 }));
      await first.close();
      const second = await open();
      await second.transact(async (tx) => tx.put('counters', 'b', { value: ((await tx.get('counters', 'a'))?.value ?? 0) + 1 }));
      await second.close();
      const third = await open();
      assert.deepEqual(await third.scan('counters'), [{ id: 'a', record: { value: 1 } }, { id: 'b', record: { value: 2 } }]);
    });

    it('removes temp files a crashed writer left behind, without touching the store file', async () => {
      await writeFile(file, '{"version":1,"collections":{}}\n');
      const leftover = `${file}.4242.deadbeef.tmp`;
      await writeFile(leftover, '{"half":');
      await open();
      await assert.rejects(access(leftover));
      assert.equal(await readFile(file, 'utf8'), '{"version":1,"collections":{}}\n');
    });

    it('refuses a second open of the same file in this process until the first is closed', async () => {
      const first = await open();
      await assert.rejects(open(), StoreLockedError);
      await first.close();
      await open();
    });

    it('refuses a file locked by another live process, and takes over the lock of a dead one', async () => {
      await writeFile(`${file}.lock`, `${process.ppid}\n`);
      await assert.rejects(open(), (error: unknown) => error instanceof StoreLockedError && error.message.includes(String(process.ppid)));
      // Far above Linux's largest pid, so no process has it.
      await writeFile(`${file}.lock`, '999999999\n');
      await open();
      assert.equal(await readFile(`${file}.lock`, 'utf8'), `${process.pid}\n`);
    });

    it('rejects the callers of a failed disk write, undoes their changes, and recovers once the disk does', async () => {
      const store = await open();
      await store.transact((tx) => tx.put('counters', 'kept', { value: 1 }));
      const unblock = await blockStoreFiles(file);

      const failing = store.transact((tx) => tx.put('counters', 'lost', { value: 2 }));
      // A read-only transaction that saw the failing write must not report it as done.
      const observer = store.transact(async (tx) => (await tx.get('counters', 'lost'))?.value);
      await new Promise((resolve) => setImmediate(resolve));
      // Queued behind the failing write and may have read its changes, so it fails with it.
      const queued = store.transact(async (tx) => tx.put('counters', 'lost-too', { value: ((await tx.get('counters', 'lost'))?.value ?? 0) + 1 }));
      await assert.rejects(failing);
      await assert.rejects(observer);
      await assert.rejects(queued);
      assert.equal(await store.get('counters', 'lost'), undefined);
      assert.equal(await store.get('counters', 'lost-too'), undefined);
      assert.equal((await store.get('counters', 'kept'))?.value, 1);
      assert.deepEqual((await readdir(dirname(file))).filter((name) => name.endsWith('.tmp')), []);

      await unblock();
      await store.transact((tx) => tx.put('counters', 'after', { value: 3 }));
      assert.deepEqual((await onDisk()).collections.counters, { kept: { value: 1 }, after: { value: 3 } });
    });

    it('undoes the index entries of a failed write with its records', async () => {
      const store = await open();
      await store.transact((tx) => tx.put('people', 'p1', { ...ada, team: 'core', email: 'ada@example.com' }));
      const unblock = await blockStoreFiles(file);
      await assert.rejects(
        store.transact((tx) => {
          tx.put('people', 'p1', { ...ada, team: 'ops' });
          tx.put('people', 'p2', { ...ada, id: 'p2', team: 'core', email: 'grace@example.com' });
        }),
      );
      const ids = async (index: string, value: string) => (await store.findBy('people', index, [value])).map((k) => k.id);
      assert.deepEqual(await ids('byTeam', 'core'), ['p1']);
      assert.deepEqual(await ids('byTeam', 'ops'), []);
      assert.deepEqual(await ids('byEmail', 'ada@example.com'), ['p1']);
      assert.deepEqual(await ids('byEmail', 'grace@example.com'), []);
      await unblock();
      // The key the failed write had taken is free again.
      await store.transact((tx) => tx.put('people', 'p3', { ...ada, id: 'p3', email: 'grace@example.com' }));
      assert.deepEqual(await ids('byEmail', 'grace@example.com'), ['p3']);
    });

    it('runs a transaction function again when a failed write undid what it had read, and commits what it decides then', async () => {
      const store = await open();
      await store.transact((tx) => tx.put('counters', 'kept', { value: 1 }));
      const unblock = await blockStoreFiles(file);
      const failing = store.transact((tx) => tx.put('counters', 'doomed', { value: 10 }));
      let runs = 0;
      let release!: () => void;
      const blocked = new Promise<void>((resolve) => (release = resolve));
      // Reads the doomed write, then waits until that write has failed before it finishes.
      const reader = store.transact(async (tx) => {
        runs += 1;
        const seen = (await tx.get('counters', 'doomed'))?.value ?? 0;
        if (runs === 1) await blocked;
        tx.put('counters', 'copy', { value: seen });
        return seen;
      });
      await assert.rejects(failing);
      await unblock();
      release();
      assert.equal(await reader, 0);
      assert.equal(runs, 2);
      assert.equal((await store.get('counters', 'copy'))?.value, 0);
      assert.equal(await store.get('counters', 'doomed'), undefined);
    });

    it('rebuilds the indexes from the file when it is opened again', async () => {
      const first = await open();
      await first.transact((tx) => {
        tx.put('people', 'p2', { ...ada, id: 'p2', team: 'core' });
        tx.put('people', 'p1', { ...ada, team: 'core', email: 'ada@example.com' });
      });
      await first.close();
      const second = await open();
      assert.deepEqual((await second.findBy('people', 'byTeam', ['core'])).map((k) => k.id), ['p1', 'p2']);
      await assert.rejects(
        second.transact((tx) => tx.put('people', 'p3', { ...ada, id: 'p3', email: 'ada@example.com' })),
        UniqueViolationError,
      );
    });

    it('refuses a file whose records break a unique index, naming them, and leaves it untouched', async () => {
      const person = (id: string) => ({ ...ada, id, joinedAt: ada.joinedAt.toISOString(), email: 'same@example.com' });
      const text = JSON.stringify({ version: 1, collections: { people: { p1: person('p1'), p2: person('p2') } } });
      await writeFile(file, text);
      await assert.rejects(open(), (error: unknown) => {
        assert.ok(error instanceof CorruptStoreError);
        assert.match(error.message, /people: "p1", "p2" share byEmail = \["same@example.com"\]/);
        return true;
      });
      assert.equal(await readFile(file, 'utf8'), text);
      await assert.rejects(access(`${file}.lock`), 'the lock is released after a refused open');
    });

    // Appending: every commit a journal line. Compacting: a new snapshot whenever the journal outgrows the snapshot, which
    // here is every few commits, so the kill lands in snapshots too.
    for (const [how, compactAt] of [['appending to the journal', []], ['writing snapshots often', ['0']]] as const) {
      it(`keeps every acknowledged write when the process is killed with SIGKILL mid-stream, ${how}`, async function () {
        this.timeout(30_000);
        const acked = await killAfterAcks('ackingWriter', [file, ...compactAt]);

        // Opening also takes over the dead writer's lock and clears any temp file it was writing.
        const store = await openLowdbDocumentStore(file, ackSchemas);
        toClose.push(store);
        const stored = new Set((await store.scan('acks')).map((k) => k.id));
        const missing = acked.filter((id) => !stored.has(id));
        assert.deepEqual(missing, []);
        assert.deepEqual((await readdir(dirname(file))).filter((name) => name.endsWith('.tmp')), []);
      });
    }
  });
});
