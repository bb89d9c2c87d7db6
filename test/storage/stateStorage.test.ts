import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConversationState, MemoryStorage, TestAdapter, UserState } from 'botbuilder';
import type { Storage } from 'botbuilder';
import { CorruptStoreError, openFileStateStorage } from '../../storage/index.js';
import { describeStorageContract } from './storageContract.js';
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
      await Promise.all(Array.from({ length: 50 }, (_, i) => storage.write({ [`conv/${i}`]: { i } })));
      assert.equal(commits, 1);
      await storage.close();
    });

    it('refuses a corrupt state file and leaves it untouched', async () => {
      const file = nextFile();
      await writeFile(file, '{"version":1,"collections":{"items":{"k":[1,2]}}}');
      await assert.rejects(openFileStateStorage(file), (error: unknown) => error instanceof CorruptStoreError && error.message.includes(file));
      assert.equal(await readFile(file, 'utf8'), '{"version":1,"collections":{"items":{"k":[1,2]}}}');
    });
  });
});
