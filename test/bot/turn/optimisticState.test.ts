import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryStorage, TestAdapter, type Activity, type Storage, type StoreItems, type TurnContext } from 'botbuilder';
import type { i18n } from 'i18next';
import { loadConfig } from '../../../bot/config.js';
import { createBot } from '../../../bot/createBot.js';
import { silentLogger } from '../../../bot/logger.js';
import { OptimisticConversationState, StateConflictError } from '../../../bot/turn/optimisticState.js';
import { createI18n } from '../../../locales/i18n.js';
import { translatorFor } from '../../../locales/translate.js';
import { createMemoryLedger } from '../../../storage/index.js';
import { openFileStateStorage, type ClosableStorage } from '../../../storage/stateStorage.js';
import { openPostgresStateStorage } from '../../../storage/postgres/index.js';
import { message } from '../../support/activities.js';
import { usePostgres } from '../../support/postgres.js';
import { testSignInLinks } from '../../support/signInLinks.js';
import { useTempDir } from '../../storage/tempDir.js';

/**
 * A storage whose reads (of keys `racesOn` accepts) hold their results until `readers` such reads have them, then
 * all go on: turns racing on one conversation all read the same state before any of them saves, as two instances
 * answering at the same moment do. (Holding the read's result, not its start: on PostgreSQL a read sent first on
 * a fresh pool may still reach the server after the other turn's write.) Later reads go straight through.
 */
function racing(inner: Storage, readers: number, racesOn: (key: string) => boolean = () => true): Storage & { raced: Set<string> } {
  let waiting: Array<() => void> = [];
  let armed = true;
  const raced = new Set<string>();
  return {
    raced,
    async read(keys: string[]): Promise<StoreItems> {
      const items = await inner.read(keys);
      if (armed && keys.some(racesOn)) {
        for (const key of keys.filter(racesOn)) raced.add(key);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          if (waiting.length === readers) {
            armed = false;
            for (const go of waiting) go();
            waiting = [];
          }
        });
      }
      return items;
    },
    write: (changes: StoreItems) => inner.write(changes),
    delete: (keys: string[]) => inner.delete(keys),
  };
}

/** Turns that each add one dialog step (their text) to the conversation's list; a refused save is reported, not thrown. */
function stepBot(storage: Storage) {
  const state = new OptimisticConversationState(storage);
  const steps = state.createProperty<string[]>('steps');
  const refused: string[] = [];
  let key = '';
  const adapter = new TestAdapter(async (context: TurnContext) => {
    key = state.getStorageKey(context)!;
    await steps.set(context, [...(await steps.get(context, [])), context.activity.text!]);
    try {
      await state.saveChanges(context);
    } catch (error) {
      if (!(error instanceof StateConflictError)) throw error;
      refused.push(context.activity.text!);
    }
  });
  const turn = (text: string): Promise<void> => adapter.processActivity({ type: 'message', text, conversation: { id: 'conv-1' } as Activity['conversation'] }).then(() => undefined);
  const stored = async (): Promise<string[] | undefined> => {
    const items = await storage.read([key]);
    return (items[key] as { steps?: string[] } | undefined)?.steps;
  };
  return { state, steps, turn, refused, stored };
}

function describeOptimisticState(name: string, open: () => Promise<{ storage: Storage; close(): Promise<void> }>): void {
  describe(`optimistic conversation state on ${name}`, () => {
    let opened: { storage: Storage; close(): Promise<void> };
    beforeEach(async () => (opened = await open()));
    afterEach(() => opened.close());

    it('saves every step of turns that follow one another', async () => {
      const bot = stepBot(opened.storage);
      for (const text of ['one', 'two', 'three']) await bot.turn(text);
      assert.deepEqual(await bot.stored(), ['one', 'two', 'three']);
      assert.deepEqual(bot.refused, []);
    });

    it('refuses the later of two turns racing on a conversation instead of undoing the earlier one’s step', async () => {
      await stepBot(opened.storage).turn('start');
      const storage = racing(opened.storage, 2);
      // Two instances: each has its own state object, both read 'start' before either saves.
      const a = stepBot(storage);
      const b = stepBot(storage);
      await Promise.all([a.turn('from A'), b.turn('from B')]);
      const refused = [...a.refused, ...b.refused];
      assert.equal(refused.length, 1, 'exactly one turn is told its save was refused');
      const saved = refused[0] === 'from A' ? 'from B' : 'from A';
      assert.deepEqual(await a.stored(), ['start', saved], 'the step that saved first stands');
      // The refused turn, sent again, builds on the step that stood.
      await stepBot(opened.storage).turn(refused[0]!);
      assert.deepEqual(await a.stored(), ['start', saved, refused[0]]);
    });

    it('refuses the later of two first turns of a new conversation', async () => {
      const storage = racing(opened.storage, 2);
      const a = stepBot(storage);
      const b = stepBot(storage);
      await Promise.all([a.turn('A'), b.turn('B')]);
      assert.equal(a.refused.length + b.refused.length, 1);
      assert.deepEqual(await a.stored(), [a.refused.length === 1 ? 'B' : 'A']);
    });

    it('lets one turn save twice (its own first write is no conflict), but not over another turn’s write in between', async () => {
      const bot = stepBot(opened.storage);
      const other = stepBot(opened.storage);
      await bot.turn('start');
      const adapter = new TestAdapter(async (context) => {
        await bot.steps.set(context, ['start', 'first save']);
        await bot.state.saveChanges(context);
        await bot.steps.set(context, ['start', 'first save', 'second save']);
        await bot.state.saveChanges(context);
        assert.deepEqual(await bot.stored(), ['start', 'first save', 'second save']);
        await other.turn('meanwhile');
        await bot.steps.set(context, ['start', 'first save', 'second save', 'third save']);
        await assert.rejects(bot.state.saveChanges(context), StateConflictError);
      });
      await adapter.processActivity({ type: 'message', text: 'x', conversation: { id: 'conv-1' } as Activity['conversation'] });
      assert.deepEqual(await bot.stored(), ['start', 'first save', 'second save', 'meanwhile']);
    });

    it('overwrites when forced with nothing read (clearing a broken conversation)', async () => {
      const bot = stepBot(opened.storage);
      await bot.turn('start');
      const adapter = new TestAdapter(async (context) => {
        await bot.state.delete(context);
        await bot.state.saveChanges(context, true);
      });
      await adapter.processActivity({ type: 'message', text: 'x', conversation: { id: 'conv-1' } as Activity['conversation'] });
      assert.equal(await bot.stored(), undefined);
    });
  });
}

describe('dialog state with optimistic concurrency', () => {
  const temp = useTempDir('optimistic-state');
  let files = 0;
  before(() => temp.create());
  after(() => temp.cleanup());

  describeOptimisticState('botbuilder MemoryStorage', async () => ({ storage: new MemoryStorage(), close: async () => undefined }));
  describeOptimisticState('the embedded file state storage', async () => {
    const storage = await openFileStateStorage(join(temp.path(), `state-${++files}.json`));
    return { storage, close: () => storage.close() };
  });

  describe('on PostgreSQL', () => {
    const db = usePostgres();
    describeOptimisticState('PostgreSQL, two pools as two instances', async () => {
      await db.pool.query('TRUNCATE bot_state');
      const a = await openPostgresStateStorage(db.pool);
      const b = await openPostgresStateStorage(db.newPool());
      let turn = 0;
      // Reads and writes alternate between the two instances' pools.
      const storage: Storage = {
        read: (keys) => (turn++ % 2 ? b : a).read(keys),
        write: (changes) => (turn++ % 2 ? b : a).write(changes),
        delete: (keys) => a.delete(keys),
      };
      return { storage, close: async () => void (await Promise.all([a.close(), b.close()])) };
    });
  });

  describe('through the whole bot', () => {
    let instance: i18n;
    before(async () => (instance = await createI18n()));

    it('tells the person, in French, that their message crossed another one, and keeps the step that was saved first', async () => {
      const config = loadConfig({ LOG_LEVEL: 'silent' });
      const ledger = createMemoryLedger();
      const shared: ClosableStorage = await openFileStateStorage(join(temp.path(), `state-${++files}.json`));
      try {
        // The user state (the language) is read first in each turn; the race is on the conversation's dialog state.
        const storage = racing(shared, 2, (key) => key.includes('/conversations/'));
        const instanceOf = () => {
          const adapter: TestAdapter = new TestAdapter(async (context) => app.logic(context));
          const app = createBot(config, { stores: { state: storage, ledger }, i18n: instance, logger: silentLogger(), adapter, clock: () => new Date('2026-03-02T09:00:00Z'), signInLinks: testSignInLinks() });
          return async (activity: Partial<Activity>) => {
            await adapter.processActivity(activity);
            return adapter.activeQueue.splice(0).map((reply) => reply.text ?? '');
          };
        };
        const [a, b] = [instanceOf(), instanceOf()];
        const [repliesA, repliesB] = await Promise.all([a(message('link my account', { locale: 'fr-FR' })), b(message('link my account', { locale: 'fr-FR' }))]);
        const crossed = translatorFor(instance, 'fr')('errors.crossed');
        const told = [repliesA, repliesB].filter((replies) => replies.includes(crossed));
        assert.equal(told.length, 1, 'one of the two turns is told its message crossed the other');
        assert.equal(storage.raced.size, 1);
        const [key] = [...storage.raced] as [string];
        const stored = (await shared.read([key]))[key] as { dialogState?: { dialogStack?: unknown[] } } | undefined;
        assert.ok((stored?.dialogState?.dialogStack?.length ?? 0) > 0, 'the link flow that saved first is waiting for the next answer');
      } finally {
        await shared.close();
      }
    });
  });
});
