import assert from 'node:assert/strict';
import { MemoryStorage, TestAdapter, type StoreItems, type TurnContext } from 'botbuilder';
import { SnapshotUserState } from '../../../bot/turn/userState.js';

/** A MemoryStorage that counts its writes. */
class CountingStorage extends MemoryStorage {
  writes = 0;

  override write(changes: StoreItems): Promise<void> {
    this.writes++;
    return super.write(changes);
  }
}

describe('SnapshotUserState', () => {
  it('writes only the turns that change the state, reads it back in later turns, and writes a clear', async () => {
    const storage = new CountingStorage();
    const userState = new SnapshotUserState(storage);
    const locale = userState.createProperty<string>('locale');
    const seen: Array<string | undefined> = [];
    const adapter = new TestAdapter(async (context: TurnContext) => {
      seen.push(await locale.get(context));
      if (context.activity.text?.startsWith('set ')) await locale.set(context, context.activity.text.slice(4));
      if (context.activity.text === 'set fr') await userState.saveChanges(context); // saved mid-turn, as setLocale does
      if (context.activity.text === 'forget') await userState.clear(context);
      await userState.saveChanges(context);
      await context.sendActivity('ok');
    });

    await adapter.send('hello').assertReply('ok');
    assert.equal(storage.writes, 0, 'nothing read, nothing changed: nothing written');
    await adapter.send('set fr').assertReply('ok');
    assert.equal(storage.writes, 1, 'the mid-turn save wrote; the end of the turn found nothing new');
    await adapter.send('hello').assertReply('ok');
    await adapter.send('set fr').assertReply('ok');
    assert.equal(storage.writes, 1, 'setting the same value again is no change');
    await adapter.send('set zh-CN').assertReply('ok');
    await adapter.send('hello').assertReply('ok');
    assert.equal(storage.writes, 2);
    await adapter.send('forget').assertReply('ok');
    await adapter.send('hello').assertReply('ok');
    assert.equal(storage.writes, 3);
    assert.deepEqual(seen, [undefined, undefined, 'fr', 'fr', 'fr', 'zh-CN', 'zh-CN', undefined]);
  });
});
