import assert from 'node:assert/strict';
import { outboxNoticeSender } from '../../../bot/proactive/notices.js';
import { NoticeOutbox } from '../../../services/outbox/outbox.js';
import { createMemoryLedger } from '../../../storage/index.js';
import { allRecords } from '../../support/ledgerRecords.js';

describe('notices into the outbox', () => {
  const now = new Date('2026-03-02T09:00:00Z');
  const installed = new Set(['a:ben', 'a:ann', '19:general@thread.tacv2']);
  const conversations = { deliverable: async (id: string) => (installed.has(id) ? { tenantId: 'contoso' } : undefined) };
  const reference = (id: string, locale?: string) => ({ conversation: { id }, ...(locale ? { locale } : {}) });

  async function setUp() {
    const ledger = createMemoryLedger();
    let ids = 0;
    const sender = outboxNoticeSender({ conversations, notices: new NoticeOutbox({ ledger, clock: () => now, timerNow: () => 0 }), newId: () => `n-${++ids}` });
    return { ledger, sender };
  }

  it('enqueues a notice for an installed chat in its language, with the word for its asker', async () => {
    const { ledger, sender } = await setUp();
    const undelivered = { reference: reference('19:general@thread.tacv2', 'zh-CN'), activity: { type: 'message', text: '提醒未能送达' } };
    assert.equal(await sender.send(reference('a:ben', 'fr-FR'), { type: 'message', text: 'Bonjour' }, { kind: 'admin-reminder', undelivered }), true);
    const [row] = await allRecords(ledger, 'alertOutbox');
    assert.equal(row?.conversationId, 'a:ben');
    assert.equal(row?.locale, 'fr');
    assert.equal(row?.tenantId, 'contoso');
    assert.deepEqual(row?.undelivered, { conversationId: '19:general@thread.tacv2', locale: 'zh-CN', activity: undelivered.activity });
  });

  it('keeps no word when the asker’s conversation is one the bot cannot post to, and enqueues nothing for an unknown chat', async () => {
    const { ledger, sender } = await setUp();
    const undelivered = { reference: reference('19:not-installed@thread.tacv2'), activity: { type: 'message', text: 'x' } };
    assert.equal(await sender.send(reference('a:ann'), { type: 'message', text: 'Hi' }, { kind: 'private-view', undelivered }), true);
    assert.equal(await sender.send(reference('a:stranger'), { type: 'message', text: 'Hi' }, { kind: 'admin-reminder' }), false);
    assert.equal(await sender.send({ conversation: 'a:ann' }, { type: 'message', text: 'Hi' }), false);
    const rows = await allRecords(ledger, 'alertOutbox');
    assert.deepEqual(rows.map((r) => [r.conversationId, r.kind, r.locale, r.undelivered]), [['a:ann', 'private-view', 'en', undefined]]);
  });
});
