import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStateStorage, openLowdbDocumentStore, type CommitInfo, type DocumentStore } from '../storage/index.js';
import { benchPerson as person, benchSchemas, percentile } from './personRecords.js';
import { prefillItems } from './prefill.js';


const SIZES = [1_000, 10_000, 100_000];
const SINGLE_SAMPLES = 50;
const BURSTS = 10;
const BURST_SIZE = 100;



const ms = (value: number): string => value.toFixed(1);

/** Bytes of heap in use after a full collection (NaN without `--expose-gc`, which `npm run bench` passes). */
function liveHeap(): number {
  if (!global.gc) return Number.NaN;
  global.gc();
  return process.memoryUsage().heapUsed;
}

/** Time to commit one transaction that updates one record, with nothing else pending. */
async function singleLatencies(store: DocumentStore<typeof benchSchemas>, size: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let s = 0; s < SINGLE_SAMPLES; s++) {
    const i = (s * 7919) % size;
    const started = performance.now();
    await store.transact((tx) => tx.put('people', `person-${i}`, person(i, s + 1)));
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** Wall time until all of a burst of concurrent transactions (one record each) are durable. */
async function burstLatencies(store: DocumentStore<typeof benchSchemas>, size: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let b = 0; b < BURSTS; b++) {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: BURST_SIZE }, (_, k) => {
        const i = (b * BURST_SIZE + k) % size;
        return store.transact((tx) => tx.put('people', `person-${i}`, person(i, 100 + b)));
      }),
    );
    latencies.push(performance.now() - started);
  }
  return latencies;
}

/** Prints commit latency (median, p99) of the embedded lowdb store with 1k, 10k and 100k ledger records. */
export async function benchStore(options: { quick: boolean } = { quick: false }): Promise<Record<string, string | number>[]> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-store-'));
  const rows: Record<string, string | number>[] = [];
  try {
    for (const size of options.quick ? SIZES.slice(0, 2) : SIZES) {
      const file = join(dir, `ledger-${size}.json`);
      // The seeding commit writes the first snapshot: what a compaction of the journal costs at this size.
      let snapshot: CommitInfo | undefined;
      const seeding = await openLowdbDocumentStore(file, benchSchemas, { onCommit: (info) => (snapshot = info) });
      await seeding.transact((tx) => {
        for (let i = 0; i < size; i++) tx.put('people', `person-${i}`, person(i));
      });
      await seeding.close();
      const { size: bytes } = await stat(file);

      const commits: CommitInfo[] = [];
      const heapBefore = liveHeap();
      const opening = performance.now();
      const store = await openLowdbDocumentStore(file, benchSchemas, { onCommit: (info) => commits.push(info) });
      const openMs = performance.now() - opening;
      const heapPerRecord = (liveHeap() - heapBefore) / size;

      const single = await singleLatencies(store, size);
      const lineBytes = commits.reduce((sum, c) => sum + c.bytes, 0) / commits.length;
      // A commit appends its records to the journal; once the journal is as large as the snapshot (and at least 4 MiB),
      // a commit writes a new snapshot instead: its cost spread over the commits between two snapshots.
      const commitsPerSnapshot = Math.max(4 * 1024 * 1024, bytes) / lineBytes;
      const commitsBeforeBursts = commits.length;
      const bursts = await burstLatencies(store, size);
      const burstCommits = commits.length - commitsBeforeBursts;
      await store.close();

      rows.push({
        records: size,
        'record B': Math.round(bytes / size),
        'file MB': (bytes / 1e6).toFixed(1),
        'open ms': ms(openMs),
        'heap B/record': Number.isNaN(heapPerRecord) ? 'needs --expose-gc' : Math.round(heapPerRecord),
        'single p50 ms': ms(percentile(single, 0.5)),
        'single p99 ms': ms(percentile(single, 0.99)),
        [`burst×${BURST_SIZE} p50 ms`]: ms(percentile(bursts, 0.5)),
        [`burst×${BURST_SIZE} p99 ms`]: ms(percentile(bursts, 0.99)),
        'commits/burst': (burstCommits / BURSTS).toFixed(1),
        'serialise p50 ms': ms(percentile(commits.map((c) => c.serializeMs), 0.5)),
        'snapshot ms': ms(snapshot?.totalMs ?? Number.NaN),
        'commits/snapshot': Math.round(commitsPerSnapshot),
        'snapshot ms/commit': ((snapshot?.totalMs ?? Number.NaN) / commitsPerSnapshot).toFixed(3),
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(
    `Store commit latency (${SINGLE_SAMPLES} single commits, ${BURSTS} bursts of ${BURST_SIZE} concurrent transactions; p99 of few samples is near the maximum). ` +
      'Commits append to the journal; the snapshot a commit writes every "commits/snapshot" commits adds "snapshot ms/commit" on average.',
  );
  console.table(rows);
  return rows;
}

/** One table of the single-commit latencies of both stores by records stored (PostgreSQL: a look-up by index and a put). */
export function printCommitsSideBySide(file: readonly Record<string, string | number>[], postgres: readonly Record<string, string | number>[] | undefined): void {
  console.log('\nCommit latency side by side, one transaction at a time (ms):');
  console.table(
    file.map((row) => {
      const pg = postgres?.find((other) => other.records === row.records);
      return {
        records: row.records,
        'lowdb p50': row['single p50 ms'],
        'lowdb p99': row['single p99 ms'],
        'PostgreSQL p50': pg ? pg['single p50 ms'] : 'skipped',
        'PostgreSQL p99': pg ? pg['single p99 ms'] : 'skipped',
      };
    }),
  );
}

/**
 * Conversation-state commits (what every turn that changes state waits for) with 1k, 10k and 100k people's
 * conversation and user state on record: one key written at a time, and a read of one key, as a turn does.
 */
export async function benchStateStore(options: { quick: boolean } = { quick: false }): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-state-'));
  const rows: Record<string, string | number>[] = [];
  try {
    for (const people of options.quick ? SIZES.slice(0, 2) : SIZES) {
      const file = join(dir, `state-${people}.json`);
      const seeding = await openFileStateStorage(file);
      const writes: Promise<void>[] = [];
      for (let from = 0; from < people; from += 1_000) writes.push(seeding.write(prefillItems(from, Math.min(people, from + 1_000))));
      await Promise.all(writes);
      await seeding.close();
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const opening = performance.now();
      const storage = await openFileStateStorage(file);
      const openMs = performance.now() - opening;
      const keys = Object.keys(prefillItems(0, people));
      const reads: number[] = [];
      const commits: number[] = [];
      for (let s = 0; s < SINGLE_SAMPLES; s++) {
        const key = keys[(s * 7919) % keys.length]!;
        let started = performance.now();
        const item = (await storage.read([key]))[key]!;
        reads.push(performance.now() - started);
        started = performance.now();
        await storage.write({ [key]: { ...item, turn: s } });
        commits.push(performance.now() - started);
      }
      rows.push({
        people,
        'open ms': ms(openMs),
        'read p50 ms': ms(percentile(reads, 0.5)),
        'read p99 ms': ms(percentile(reads, 0.99)),
        'commit p50 ms': ms(percentile(commits, 0.5)),
        'commit p99 ms': ms(percentile(commits, 0.99)),
        'RSS growth MB': ((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0),
      });
      await storage.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nConversation state: one read and one commit of one key (${SINGLE_SAMPLES} samples) with people's conversation and user state on record`);
  console.table(rows);
}
