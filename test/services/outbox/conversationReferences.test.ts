import assert from 'node:assert/strict';
import { channelConversationId, ConversationReferenceService } from '../../../services/outbox/conversationReferences.js';
import { createMemoryLedger } from '../../../storage/index.js';
import { ALERT_NOW, channelReference } from '../../support/alertFixtures.js';
import { allRecords } from '../../support/ledgerRecords.js';

describe('ConversationReferenceService', () => {
  const tenantId = 'tenant-contoso';
  const team = '19:team@thread.tacv2';
  const installed = (conversationId: string, teamId?: string) => ({
    conversationId, tenantId, scope: 'channel' as const, ...(teamId ? { teamId } : {}),
    reference: channelReference(conversationId, 'https://smba.example.invalid/', tenantId),
  });

  it('keeps the channel id and drops the thread suffix of a channel message', () => {
    assert.equal(channelConversationId('19:abc@thread.tacv2;messageid=1700000000000'), '19:abc@thread.tacv2');
    assert.equal(channelConversationId('a:personal'), 'a:personal');
  });

  it('remembers an install, revives a dead reference on reinstall, and forgets a whole team on removal', async () => {
    const ledger = createMemoryLedger();
    let now = ALERT_NOW;
    const service = new ConversationReferenceService({ ledger, clock: () => now });
    await service.remember(installed(team, team));
    await ledger.transact(async (tx) => {
      tx.put('conversationReferences', team, { ...(await tx.get('conversationReferences', team))!, deadSince: ALERT_NOW });
      tx.put('conversationReferences', '19:other@thread.tacv2', { tenantId, scope: 'channel', reference: {}, installedAt: ALERT_NOW });
      tx.put('alertSubscriptions', '19:other@thread.tacv2', {
        tenantId, scope: 'channel', teamId: team, locale: 'en', subscribedBy: { personId: 'admin', name: 'Ada', at: ALERT_NOW },
      });
    });
    now = new Date('2026-03-05T00:00:00Z');
    await service.remember(installed(team, team));
    assert.equal((await ledger.get('conversationReferences', team))?.deadSince, undefined);
    assert.equal((await ledger.get('conversationReferences', team))?.installedAt.toISOString(), now.toISOString());
    assert.equal(await service.forget({ conversationId: team, teamId: team }), 2);
    assert.equal((await allRecords(ledger, 'conversationReferences')).length, 0);
    assert.equal((await allRecords(ledger, 'alertSubscriptions')).length, 0);
  });
});
