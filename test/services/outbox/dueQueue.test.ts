import assert from 'node:assert/strict';
import { DueQueue, type HeadVerdict } from '../../../services/outbox/dueQueue.js';
import type { OutboxRow } from '../../../services/outbox/outbox.js';

function row(tenantId: string, conversationId: string, order: number, nextAttemptAt: number): OutboxRow {
  return {
    kind: 'alert', alertId: `alert-${order}`, tenantId, conversationId, locale: 'en', status: 'pending', attempts: 0,
    nextAttemptAt, createdAt: new Date('2026-03-02T09:00:00Z'), order, interrupted: 0,
  };
}

/** What a plain reading of the rows says: each conversation's oldest row, those due at `now`, in due-then-age order. */
function dueHeads(rows: ReadonlyMap<string, OutboxRow>, tenantId: string, now: number, skip: ReadonlySet<string>): string[] {
  const heads = new Map<string, [string, OutboxRow]>();
  for (const [key, r] of rows) {
    if (r.tenantId !== tenantId || skip.has(r.conversationId)) continue;
    const head = heads.get(r.conversationId);
    if (!head || r.order < head[1].order || (r.order === head[1].order && key < head[0])) heads.set(r.conversationId, [key, r]);
  }
  return [...heads.values()]
    .filter(([, r]) => r.nextAttemptAt <= now)
    .sort(([ka, a], [kb, b]) => a.nextAttemptAt - b.nextAttemptAt || a.order - b.order || (ka < kb ? -1 : 1))
    .map(([key]) => key);
}

function visit(queue: DueQueue, tenantId: string, now: number, decide: (key: string, row: OutboxRow) => HeadVerdict = () => 'taken'): { keys: string[]; next: number } {
  const keys: string[] = [];
  const next = queue.visitDue(tenantId, now, (key, r) => {
    keys.push(key);
    return decide(key, r);
  });
  return { keys, next };
}

describe('DueQueue', () => {
  it('shows the due head of each conversation, due first then oldest, and says when the next one is due', () => {
    const queue = new DueQueue();
    queue.set('c5', row('t', 'conv-c', 5, 0));
    queue.set('a2', row('t', 'conv-a', 2, 0));
    queue.set('a1', row('t', 'conv-a', 1, 0));
    queue.set('b1', row('t', 'conv-b', 1, 50));
    queue.set('d1', row('t', 'conv-d', 1, 500));
    queue.set('x1', row('other', 'conv-x', 0, 0));
    assert.deepEqual(visit(queue, 't', 100, () => ({ notBefore: 1_000 })), { keys: ['a1', 'c5', 'b1'], next: 500 });
    // Left in place: the same heads again, and nothing of another tenant.
    assert.deepEqual(visit(queue, 't', 100, () => 'stop'), { keys: ['a1'], next: Infinity });
    assert.deepEqual([...queue.tenantIds()].sort(), ['other', 't']);
  });

  it('brings a taken conversation back with its next row once its delivery ends, and forgets emptied tenants', () => {
    const queue = new DueQueue();
    queue.set('a1', row('t', 'conv-a', 1, 0));
    queue.set('a2', row('t', 'conv-a', 2, 0));
    queue.set('b1', row('t', 'conv-b', 1, 0));
    assert.deepEqual(visit(queue, 't', 0).keys, ['a1', 'b1']);
    // Taken: not shown again while nothing is written, even though the rows are still waiting.
    assert.deepEqual(visit(queue, 't', 0).keys, []);
    queue.requeue('t', 'conv-b');
    assert.deepEqual(visit(queue, 't', 0).keys, ['b1']);
    queue.delete('a1');
    assert.deepEqual(visit(queue, 't', 0).keys, ['a2']);
    queue.delete('a2');
    queue.delete('b1');
    assert.equal(queue.size, 0);
    assert.deepEqual([...queue.tenantIds()], []);
  });

  it('moves a row rescheduled for later behind the others, and shows a head only once however often it was written', () => {
    const queue = new DueQueue();
    queue.set('a1', row('t', 'conv-a', 1, 0));
    queue.set('b1', row('t', 'conv-b', 2, 0));
    for (let i = 0; i < 5; i++) queue.set('a1', { ...row('t', 'conv-a', 1, 10), attempts: i });
    assert.deepEqual(visit(queue, 't', 5), { keys: ['b1'], next: 10 });
    assert.deepEqual(visit(queue, 't', 10, () => ({ notBefore: 20 })), { keys: ['a1'], next: 20 });
  });

  it('agrees with a plain reading of the rows through a long run of writes, deliveries and retries', () => {
    const queue = new DueQueue();
    const rows = new Map<string, OutboxRow>();
    const taken = new Set<string>();
    // A fixed pseudo-random walk over 3 tenants, 40 conversations and 300 row keys.
    let seed = 11;
    const next = (n: number) => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % n;
    for (let step = 0; step < 5_000; step++) {
      const tenantId = `t${next(3)}`;
      const now = step;
      const action = next(10);
      if (action < 5) {
        const key = `k${next(300)}`;
        const existing = rows.get(key);
        // Due times and ages in coarse steps, so that ties are common.
        const r = existing ? { ...existing, nextAttemptAt: now + 10 * next(4) } : row(tenantId, `${tenantId}-conv-${next(40)}`, next(50), now + 10 * next(3) - 10);
        rows.set(key, r);
        queue.set(key, r);
        // A write shows its conversation again (the dispatcher answers `taken` while it is busy).
        taken.delete(r.conversationId);
      } else if (action < 7) {
        const key = [...rows.keys()][next(Math.max(rows.size, 1))];
        if (key === undefined) continue;
        const r = rows.get(key)!;
        rows.delete(key);
        queue.delete(key);
        taken.delete(r.conversationId);
        queue.requeue(r.tenantId, r.conversationId);
      } else {
        const expected = dueHeads(rows, tenantId, now, taken);
        const limit = next(4);
        const { keys } = visit(queue, tenantId, now, () => (limit === 0 ? 'stop' : 'taken'));
        assert.deepEqual(keys, limit === 0 ? expected.slice(0, 1) : expected, `step ${step}`);
        if (limit !== 0) for (const key of keys) taken.add(rows.get(key)!.conversationId);
      }
      assert.equal(queue.size, rows.size);
    }
  });
});
