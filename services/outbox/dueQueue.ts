import type { OutboxRow } from './outbox.js';

/**
 * The dispatcher's undelivered outbox rows in memory, indexed so that a look at the queue costs what it launches, not
 * what is waiting: 10,000 rows of a fan-out were 10,000 rows visited, and a sort, on every look (and a look follows
 * every answer). Per tenant, a heap holds the head of each conversation's queue (its oldest row: a conversation's rows
 * go out in order, one at a time), ordered by when it is due, then by age (`nextAttemptAt`, `order`, key).
 *
 * A heap entry stands for its conversation's head as it was when pushed; a later write to the conversation pushes a
 * new entry and the old one is dropped when it reaches the top (it is no longer the conversation's `current`). A head
 * the dispatcher takes off (launched, or its conversation busy) is pushed again by `requeue` or by the next write.
 */

interface Head {
  readonly conversationId: string;
  readonly key: string;
  readonly row: OutboxRow;
}

/** What the dispatcher makes of the due head it is shown. */
export type HeadVerdict =
  /** Taken off the heap: launched now, or its conversation busy (it comes back with `requeue` or a write). */
  | 'taken'
  /** Left in the heap, not due before `at` (the conversation's rate window, a store failure's hold). */
  | { readonly notBefore: number }
  /** Left in the heap; no more of this tenant's rows now (its slots are full). */
  | 'stop';

interface TenantQueue {
  /** Each conversation's undelivered rows, oldest first (`order`, then key). */
  readonly conversations: Map<string, Array<{ readonly key: string; readonly row: OutboxRow }>>;
  /** The entry of each conversation's head that is in the heap (absent: taken off, or no rows). */
  readonly current: Map<string, Head>;
  readonly heap: Head[];
}

function older(a: { readonly key: string; readonly row: OutboxRow }, b: { readonly key: string; readonly row: OutboxRow }): boolean {
  return a.row.order < b.row.order || (a.row.order === b.row.order && a.key < b.key);
}

/** Heap order: due first, then oldest, then by key. */
function before(a: Head, b: Head): boolean {
  return a.row.nextAttemptAt < b.row.nextAttemptAt || (a.row.nextAttemptAt === b.row.nextAttemptAt && older(a, b));
}

function push(heap: Head[], head: Head): void {
  heap.push(head);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function pop(heap: Head[]): void {
  const last = heap.pop()!;
  if (heap.length === 0) return;
  heap[0] = last;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
    if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least]!, heap[i]!];
    i = least;
  }
}

export class DueQueue {
  private readonly rows = new Map<string, OutboxRow>();
  private readonly tenants = new Map<string, TenantQueue>();

  get size(): number {
    return this.rows.size;
  }

  get(key: string): OutboxRow | undefined {
    return this.rows.get(key);
  }

  /** The tenants with undelivered rows. */
  tenantIds(): Iterable<string> {
    return this.tenants.keys();
  }

  /** Adds an undelivered row, or replaces the stored one of its key. */
  set(key: string, row: OutboxRow): void {
    const old = this.rows.get(key);
    if (old && (old.tenantId !== row.tenantId || old.conversationId !== row.conversationId)) this.delete(key);
    this.rows.set(key, row);
    const tenant = this.tenant(row.tenantId);
    let rows = tenant.conversations.get(row.conversationId);
    if (!rows) tenant.conversations.set(row.conversationId, (rows = []));
    const at = rows.findIndex((r) => r.key === key);
    if (at >= 0) rows.splice(at, 1);
    const entry = { key, row };
    let i = rows.length;
    while (i > 0 && older(entry, rows[i - 1]!)) i -= 1;
    rows.splice(i, 0, entry);
    this.refresh(tenant, row.conversationId);
  }

  /** Forgets a row (delivered, given up, or no longer undelivered). */
  delete(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    const tenant = this.tenants.get(row.tenantId)!;
    const rows = tenant.conversations.get(row.conversationId)!;
    rows.splice(
      rows.findIndex((r) => r.key === key),
      1,
    );
    if (rows.length === 0) tenant.conversations.delete(row.conversationId);
    this.refresh(tenant, row.conversationId);
    if (tenant.conversations.size === 0) this.tenants.delete(row.tenantId);
  }

  /** Puts a conversation's head back in its tenant's heap after it was taken off (its delivery ended). */
  requeue(tenantId: string, conversationId: string): void {
    const tenant = this.tenants.get(tenantId);
    if (tenant && !tenant.current.has(conversationId)) this.refresh(tenant, conversationId);
  }

  /**
   * Shows `decide` the tenant's due heads in order, up to the first one not due at `now`, and returns when that one is
   * due (Infinity if none is waiting). Stops early when `decide` says so.
   */
  visitDue(tenantId: string, now: number, decide: (key: string, row: OutboxRow) => HeadVerdict): number {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) return Infinity;
    const { heap, current } = tenant;
    const aside: Head[] = [];
    let next = Infinity;
    while (heap.length > 0) {
      const head = heap[0]!;
      if (current.get(head.conversationId) !== head) {
        pop(heap);
        continue;
      }
      if (head.row.nextAttemptAt > now) {
        next = head.row.nextAttemptAt;
        break;
      }
      const verdict = decide(head.key, head.row);
      if (verdict === 'stop') break;
      pop(heap);
      if (verdict === 'taken') current.delete(head.conversationId);
      else {
        aside.push(head);
        next = Math.min(next, verdict.notBefore);
      }
    }
    for (const head of aside) push(heap, head);
    return next;
  }

  private tenant(tenantId: string): TenantQueue {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) this.tenants.set(tenantId, (tenant = { conversations: new Map(), current: new Map(), heap: [] }));
    return tenant;
  }

  /** Pushes the conversation's head if it is not the entry in the heap already. */
  private refresh(tenant: TenantQueue, conversationId: string): void {
    const first = tenant.conversations.get(conversationId)?.[0];
    if (!first) {
      tenant.current.delete(conversationId);
      return;
    }
    const entry = tenant.current.get(conversationId);
    if (entry && entry.key === first.key && entry.row === first.row) return;
    const head: Head = { conversationId, key: first.key, row: first.row };
    tenant.current.set(conversationId, head);
    push(tenant.heap, head);
    // Entries left behind by writes are dropped when they reach the top; if they pile up below it (rows rescheduled
    // far ahead), the heap is built again from the current heads, so it stays within twice their number.
    if (tenant.heap.length > 2 * tenant.current.size + 64) {
      tenant.heap.length = 0;
      for (const entry of tenant.current.values()) push(tenant.heap, entry);
    }
  }
}
