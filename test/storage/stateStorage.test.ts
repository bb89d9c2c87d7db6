import assert from 'node:assert/strict';
import { access, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, TestAdapter, UserState } from 'botbuilder';
import type { Storage } from 'botbuilder';
import { CorruptStoreError, openFileStateStorage } from '../../storage/index.js';
import { describeStorageContract } from './storageContract.js';
import { killAfterAcks } from './killMidStream.js';
import { useTempDir } from './tempDir.js';

describe('state storage', () => {
  const temp = useTempDir('state-storage');
  let fileCount = 0;
  const nextFile = (): string => join(temp.path(), `state-${++fileCount}.json`);

  before(() => temp.create());
  after(() => temp.cleanup());

  describeStorageContract('botbuilder MemoryStorage', async () => ({ storage: new MemoryStorage(), close: async () => undefined }));
  describeStorageContract('file state storage', async () => {
    const storage = await openFileStateStorage(nextFile());
    return { storage, close: () => storage.close() };
  });

  describe('in a file', () => {
    it('keeps conversation and user state across a restart of the bot', async () => {
      const file = nextFile();
      const turn = async (storage: Storage, text: string): Promise<void> => {
        const conversationState = new ConversationState(storage);
        const userState = new UserState(storage);
        const turns = conversationState.createProperty<number>('turns');
        const name = userState.createProperty<string>('name');
        const adapter = new TestAdapter(async (context) => {
          const count = (await turns.get(context, 0)) + 1;
          await turns.set(context, count);
          if (context.activity.text?.startsWith('I am ')) await name.set(context, context.activity.text.slice(5));
          await context.sendActivity(`${count} ${(await name.get(context)) ?? '?'}`);
          await conversationState.saveChanges(context);
          await userState.saveChanges(context);
        });
        await adapter.send(text).assertReply(text === 'I am Ada' ? '1 Ada' : '2 Ada');
      };

      const before = await openFileStateStorage(file);
      await turn(before, 'I am Ada');
      await before.close();
      const after = await openFileStateStorage(file);
      await turn(after, 'hello again');
      await after.close();
    });

    it('writes concurrent turns in one commit', async () => {
      let commits = 0;
      const storage = await openFileStateStorage(nextFile(), { onCommit: () => commits++ });
      const keys = Array.from({ length: 50 }, (_, i) => `conv/${i}`);
      // Buckets load from disk on first use, each in its own time; turns of live conversations find theirs loaded.
      await storage.read(keys);
      await Promise.all(keys.map((key, i) => storage.write({ [key]: { i } })));
      assert.equal(commits, 1);
      await storage.close();
    });

    it('refuses a corrupt state file and leaves it untouched', async () => {
      const file = nextFile();
      await writeFile(file, '{"version":1,"collections":{"items":{"k":[1,2]}}}');
      await assert.rejects(openFileStateStorage(file), (error: unknown) => error instanceof CorruptStoreError && error.message.includes(file));
      assert.equal(await readFile(file, 'utf8'), '{"version":1,"collections":{"items":{"k":[1,2]}}}');
    });

    it('moves the single state file of earlier versions into buckets, keeping items and eTags, then removes it', async () => {
      const file = nextFile();
      const legacy = { 'msteams/conversations/a': { dialogState: { dialogStack: [] }, eTag: 'e1' }, 'msteams/users/u': { locale: 'fr', eTag: 'e2' } };
      await writeFile(file, JSON.stringify({ version: 1, collections: { items: legacy } }));
      const storage = await openFileStateStorage(file, { buckets: 4 });
      assert.deepEqual(await storage.read(Object.keys(legacy)), legacy);
      await assert.rejects(access(file), 'the old file is gone once the buckets are durable');
      // A stale eTag from before the move still conflicts; the current one writes.
      await assert.rejects(storage.write({ 'msteams/users/u': { locale: 'en', eTag: 'old' } }), /eTag conflict/);
      await storage.write({ 'msteams/users/u': { locale: 'en', eTag: 'e2' } });
      await storage.close();
      const reopened = await openFileStateStorage(file);
      assert.equal((await reopened.read(['msteams/users/u']))['msteams/users/u']?.locale, 'en');
      await reopened.close();
    });

    it('writes only the bucket files a commit changed, and reads back everything through a small cache', async () => {
      const file = nextFile();
      const commits: number[] = [];
      const storage = await openFileStateStorage(file, { buckets: 64, cachedBuckets: 2, onCommit: (info) => commits.push(info.bytes) });
      const keys = Array.from({ length: 1_000 }, (_, i) => `msteams/conversations/c${i}`);
      await Promise.all(keys.map((key, i) => storage.write({ [key]: { i, padding: 'x'.repeat(100) } })));
      const everything = commits.reduce((sum, bytes) => sum + bytes, 0);
      commits.length = 0;
      await storage.write({ [keys[7]!]: { i: -7 } });
      assert.equal(commits.length, 1);
      assert.ok(commits[0]! < everything / 20, `one small bucket (${commits[0]} of ${everything} bytes)`);
      await storage.close();

      const reopened = await openFileStateStorage(file, { buckets: 8, cachedBuckets: 2 });
      const items = await reopened.read(keys);
      assert.equal(Object.keys(items).length, 1_000);
      assert.equal(items[keys[7]!]?.i, -7);
      assert.equal(items[keys[999]!]?.i, 999, 'the bucket count is the one the store was created with');
      await reopened.close();
      const dir = file.replace(/\.json$/, '.buckets');
      assert.equal((await readdir(dir)).filter((name) => name.endsWith('.json') && name !== 'layout.json').length, 64);
    });

    it('keeps every acknowledged write when the process is killed with SIGKILL mid-stream', async function () {
      this.timeout(30_000);
      const file = nextFile();
      const acked = await killAfterAcks('stateAckingWriter', [file]);

      // Opening takes over the dead writer's lock and clears any temp file it was writing.
      const storage = await openFileStateStorage(file);
      const items = await storage.read(acked);
      assert.deepEqual(acked.filter((key) => items[key] === undefined), []);
      await storage.close();
      const dir = file.replace(/\.json$/, '.buckets');
      assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), []);
    });
  });
});
