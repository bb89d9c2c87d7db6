import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicy } from '../rules/index.js';
import { AssociationService } from '../services/associations/associations.js';
import { SignInCompletion } from '../services/signin/completion.js';
import type { TicketPayload } from '../services/signin/tickets.js';
import { createMemoryLedger, openLedger, personKey, type Ledger } from '../storage/index.js';
import { postgresSkipped, withBenchLedger } from './postgresBench.js';

/** People per organization in the bench's ledger: more people stored means more organizations, as in a hosted bot. */
const PER_ORGANIZATION = 100;
const NOW = new Date('2026-03-02T09:00:00Z');
const DAY = 86_400_000;

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function personOf(i: number): { tenantId: string; personId: string; mcid: string } {
  return { tenantId: `org-${Math.floor(i / PER_ORGANIZATION)}`, personId: `person-${i}`, mcid: `MCID${String(i).padStart(8, '0')}` };
}

/** Registers `people` people; the even ones linked their MCID (proven) a year ago, the odd ones never linked. */
async function seed(ledger: Ledger, people: number): Promise<void> {
  const start = new Date(NOW.getTime() - 365 * DAY);
  for (let from = 0; from < people; from += 10_000) {
    await ledger.transact((tx) => {
      for (let i = from; i < Math.min(people, from + 10_000); i++) {
        const { tenantId, personId, mcid } = personOf(i);
        const key = personKey(tenantId, personId);
        tx.put('people', key, { id: personId, tenantId, displayName: `Person ${i}`, role: 'member' });
        if (i % 2 !== 0) continue;
        tx.put('accounts', `${key}/learn`, { personId, tenantId, kind: 'learn', accountId: mcid, subject: `login-${i}`, recordedAt: start });
        tx.put('associations', `assoc-${i}`, { id: `assoc-${i}`, personId, tenantId, kind: 'learn', accountId: mcid, start });
      }
    });
  }
}

/** Milliseconds of each of `count` runs of `op(i)`, sequential. */
async function time(count: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await op(i);
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

/** Seeds `people` into `ledger`, times status, link and unlink for one person at a time, and prints one line. */
async function measureOn(store: string, ledger: Ledger, people: number, runs: number): Promise<void> {
  await seed(ledger, people);
  const clock = () => NOW;
  const associations = new AssociationService({ ledger, policy: defaultPolicy, clock });
  const completion = new SignInCompletion({ ledger, policy: defaultPolicy, clock });
  // Each run a different person, spread over the whole ledger: linked ones (even) for status and unlink, never-linked
  // ones (odd) to link, so that every link and unlink writes.
  const count = Math.min(runs, Math.floor(people / 2));
  const spread = (i: number) => Math.floor((i * Math.floor(people / 2)) / count);
  const linked = (i: number) => personOf(spread(i) * 2);
  const unlinked = (i: number) => personOf(spread(i) * 2 + 1);
  await time(count, (i) => associations.status(linked(i)));
  const status = await time(count, (i) => associations.status(linked(i)));
  const link = await time(count, (i) => {
    const p = unlinked(i);
    const ticket: TicketPayload = {
      v: 1, jti: `bench-ticket-${people}-${i}`, personId: p.personId, tenantId: p.tenantId, kind: 'learn', accountId: p.mcid,
      conversation: {}, locale: 'en', iat: NOW.getTime() / 1000, exp: NOW.getTime() / 1000 + 600,
    };
    return completion.complete(ticket, { subject: `login-new-${people}-${i}` });
  });
  const unlink = await time(count, (i) => associations.unlink({ ...linked(i), kind: 'learn', nonce: `bench-unlink-${people}-${i}` }));
  const cell = (s: number[]) => `${percentile(s, 50).toFixed(2)}/${percentile(s, 99).toFixed(2)}`.padEnd(11);
  console.log(`${store.padEnd(8)} | ${people.toLocaleString('en').padStart(13)} | ${cell(status)} | ${cell(link)} | ${cell(unlink)}`);
}

/**
 * What the use cases behind a person's turn cost with 100 and with 100,000 people stored (1 and 1,000 organizations of
 * 100): status, link (the sign-in completion) and unlink, on the memory store (the use case alone), on the file store
 * (with its durable commit) and, with a database configured, on PostgreSQL.
 */
export async function benchLedgerTurns(options: { quick: boolean }): Promise<void> {
  const sizes = options.quick ? [100, 10_000] : [100, 100_000];
  const runs = options.quick ? 50 : 200;
  console.log(`\nLedger use cases of one turn, up to ${runs} sequential runs each, one person each (ms p50/p99), by people stored (${PER_ORGANIZATION} per organization)`);
  console.log('store    | people stored | status      | link        | unlink');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mcid-bench-ledger-'));
  try {
    for (const store of ['memory', 'file'] as const) {
      for (const people of sizes) {
        const ledger = store === 'memory' ? createMemoryLedger() : await openLedger(path.join(dir, `ledger-${people}.json`));
        try {
          await measureOn(store, ledger, people, runs);
        } finally {
          await ledger.close();
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  for (const people of sizes) {
    const ran = await withBenchLedger((ledger) => measureOn('postgres', ledger, people, runs));
    if (!ran) {
      console.log(postgresSkipped('link and unlink turns'));
      break;
    }
  }
}
