import assert from 'node:assert/strict';
import type { Activity, TurnContext } from 'botbuilder';
import { loadConfig } from '../../../bot/config.js';
import { createCloudAdapter } from '../../../bot/createBot.js';

/** An incoming message from `serviceUrl`, as the Bot Connector posts it (no authentication configured). */
function incoming(serviceUrl: string, id: string): Activity {
  return {
    type: 'message', id, text: 'hi', channelId: 'msteams', serviceUrl, deliveryMode: 'expectReplies',
    conversation: { id: 'a:conv' }, from: { id: '29:person' }, recipient: { id: '28:bot' },
  } as Activity;
}

describe('connector clients reused across turns', () => {
  it('gives turns from one service URL the same connector and user-token clients, and another service URL its own', async () => {
    const adapter = createCloudAdapter(loadConfig({ LOG_LEVEL: 'silent' }));
    const seen: Array<{ connector: unknown; tokens: unknown }> = [];
    const logic = async (context: TurnContext): Promise<void> => {
      seen.push({ connector: context.turnState.get(context.adapter.ConnectorClientKey), tokens: context.turnState.get((adapter as unknown as { UserTokenClientKey: symbol }).UserTokenClientKey) });
    };
    await adapter.processActivityDirect('', incoming('https://smba.example.invalid/emea/', '1'), logic);
    await adapter.processActivityDirect('', incoming('https://smba.example.invalid/emea/', '2'), logic);
    await adapter.processActivityDirect('', incoming('https://smba.example.invalid/amer/', '3'), logic);
    assert.equal(seen.length, 3);
    assert.ok(seen[0]!.connector, 'the turn has a connector client');
    assert.equal(seen[1]!.connector, seen[0]!.connector, 'the same client for the same service URL');
    assert.notEqual(seen[2]!.connector, seen[0]!.connector, 'another service URL gets its own client');
    assert.equal(seen[1]!.tokens, seen[0]!.tokens);
    // The client of a service URL still talks to it.
    assert.equal((seen[2]!.connector as { baseUri?: string }).baseUri ?? (seen[2]!.connector as { endpoint?: string }).endpoint, 'https://smba.example.invalid/amer/');
  });

  it('keeps at most 64 clients, so that service URLs sent by callers cannot fill the memory', async () => {
    const adapter = createCloudAdapter(loadConfig({ LOG_LEVEL: 'silent' }));
    const clients: unknown[] = [];
    const logic = async (context: TurnContext): Promise<void> => void clients.push(context.turnState.get(context.adapter.ConnectorClientKey));
    await adapter.processActivityDirect('', incoming('https://smba.example.invalid/0/', 'a'), logic);
    for (let i = 1; i <= 64; i++) await adapter.processActivityDirect('', incoming(`https://smba.example.invalid/${i}/`, `b${i}`), logic);
    await adapter.processActivityDirect('', incoming('https://smba.example.invalid/0/', 'c'), logic);
    assert.notEqual(clients.at(-1), clients[0], 'the least recently used client was dropped and made again');
  });
});
