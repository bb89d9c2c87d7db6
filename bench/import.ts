import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImportService } from '../services/admin/importCredentials.js';
import { readImport } from '../services/admin/importWorker.js';
import { openLedger, type Ledger } from '../storage/index.js';
import { blockMeter } from './blocks.js';
import { compiledModule, nodeOptions } from './compiled.js';
import { postgresSkipped, withBenchLedger } from './postgresBench.js';

const HEADER = 'person,mcid,type,code,title,passed,expires,competency';

/** A certification-data file of `rows` valid rows (some credentials counting toward two competencies). */
export function importFile(rows: number): string {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    const day = String(1 + (i % 28)).padStart(2, '0');
    const expires = i % 4 === 0 ? `2027-${month}-${day}` : '';
    lines.push(`Person ${i},MCID${1_000_000 + Math.floor(i / 2)},certification,AZ-${100 + (i % 400)},"Certification ${i % 400}, associate",2025-${month}-${day},${expires},${i % 2 === 0 ? 'azure' : 'security'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Imports `text` three times (new, again, another organization) into `ledger`, printing time, results and event-loop blocks. */
async function importInto(name: string, ledger: Ledger, text: string, rows: number): Promise<void> {
  const service = new ImportService({ ledger, clock: () => new Date('2026-03-02T09:00:00Z') });
  const bytes = Buffer.from(text);
  global.gc?.();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  // Reading and validating alone (what the import does before its one ledger transaction: on a worker thread).
  const readBlocks = blockMeter();
  const reading = performance.now();
  await readImport('bench-tenant', bytes, new Date('2026-03-02T09:00:00Z'));
  const readMs = performance.now() - reading;
  const readBlock = readBlocks.stop();
  readBlocks.dispose();
  // The longest time the event loop could not answer anything (a turn, a health probe) during the imports.
  const blocks = blockMeter();
  const timed = async (tenant: string): Promise<[number, unknown]> => {
    const started = performance.now();
    const outcome = await service.importCsv(tenant, bytes, 'cli');
    return [performance.now() - started, outcome];
  };
  const [firstMs, first] = await timed('bench-tenant');
  const [secondMs, second] = await timed('bench-tenant');
  const [thirdMs, third] = await timed('bench-tenant-2');
  const block = blocks.stop();
  blocks.dispose();
  clearInterval(sampler);
  console.log(`\nimport: ${rows.toLocaleString('en')} rows (${(text.length / 1e6).toFixed(1)} MB of CSV, as uploaded bytes) into ${name}`);
  console.log(`  first import   ${firstMs.toFixed(0).padStart(6)} ms  ${JSON.stringify(first)}`);
  console.log(`  same file again ${secondMs.toFixed(0).padStart(5)} ms  ${JSON.stringify(second)}`);
  console.log(`  another org    ${thirdMs.toFixed(0).padStart(6)} ms  ${JSON.stringify(third)}`);
  console.log(`  read and validate ${readMs.toFixed(0).padStart(5)} ms, longest event-loop block ${readBlock.wallMs.toFixed(0)} ms wall, ${readBlock.cpuMs.toFixed(0)} ms CPU`);
  console.log(`  whole imports (with the ledger transaction and commit): longest event-loop block ${block.wallMs.toFixed(0)} ms wall, ${block.cpuMs.toFixed(0)} ms CPU (goal ≤ 50 ms); longest GC pause ${block.gcMs.toFixed(0)} ms (${block.gcKind})`);
  console.log(`  peak RSS ${(peakRss / 1e6).toFixed(0)} MB`);
}

/** Runs the import bench on one store in this process. */
async function importOn(store: 'file' | 'postgres', rows: number): Promise<void> {
  const text = importFile(rows);
  if (store === 'file') {
    const dir = await mkdtemp(join(tmpdir(), 'mcid-bench-import-'));
    try {
      const ledger = await openLedger(join(dir, 'ledger.json'));
      try {
        await importInto('the file ledger (lowdb)', ledger, text, rows);
      } finally {
        await ledger.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return;
  }
  const ran = await withBenchLedger((ledger) => importInto('the PostgreSQL ledger', ledger, text, rows));
  if (!ran) console.log(postgresSkipped('\nimport'));
}

/**
 * `npm run bench`: time, memory and the longest event-loop block to import a 100,000-row file, to re-import it, and
 * to import the same rows for a second organization (which gets its own records), into the file ledger and, with a
 * database configured, into the PostgreSQL ledger; each store in a process of its own, so that neither inherits the
 * other's heap (and its garbage collection pauses), compiled and run by plain node as production runs the bot.
 */
export async function benchImport(rows = 100_000): Promise<void> {
  for (const store of ['file', 'postgres'] as const) {
    const child = fork(await compiledModule('import'), [store, String(rows)], { execArgv: await nodeOptions('bot'), stdio: 'inherit' });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`import bench on ${store} exited with ${String(code)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const store = process.argv[2] === 'postgres' ? 'postgres' : 'file';
  await importOn(store, Number(process.argv[3] ?? 100_000));
}
