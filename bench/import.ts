import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImportService, readImportFile } from '../services/importCredentials.js';
import { openLedger } from '../storage/index.js';
import { blockMeter } from './blocks.js';

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

/**
 * `npm run bench`: time and memory to import a 100,000-row file into the file ledger, to re-import it, and to import
 * the same rows for a second organization (which gets its own records: credentials belong to the importing organization).
 */
export async function benchImport(rows = 100_000): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'mcid-bench-import-'));
  const file = join(dir, 'ledger.json');
  const ledger = await openLedger(file);
  try {
    const text = importFile(rows);
    const service = new ImportService({ ledger, clock: () => new Date('2026-03-02T09:00:00Z') });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    // Reading and validating alone (what the import does before its one ledger transaction).
    const readBlocks = blockMeter();
    const reading = performance.now();
    await readImportFile('bench-tenant', text);
    const readMs = performance.now() - reading;
    const readBlock = readBlocks.stop();
    readBlocks.dispose();
    // The longest time the event loop could not answer anything (a turn, a health probe) during the imports.
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const first = await service.importCsv('bench-tenant', text, 'cli');
    const firstMs = performance.now() - started;
    const heapAfter = process.memoryUsage().heapUsed;
    const again = performance.now();
    const second = await service.importCsv('bench-tenant', text, 'cli');
    const secondMs = performance.now() - again;
    const other = performance.now();
    const third = await service.importCsv('bench-tenant-2', text, 'cli');
    const thirdMs = performance.now() - other;
    clearInterval(sampler);
    delay.disable();
    const bytes = (await stat(file)).size;
    console.log(`\nimport: ${rows.toLocaleString('en')} rows (${(text.length / 1e6).toFixed(1)} MB of CSV) into the file ledger`);
    console.log(`  first import   ${firstMs.toFixed(0).padStart(6)} ms  ${JSON.stringify(first)}`);
    console.log(`  same file again ${secondMs.toFixed(0).padStart(5)} ms  ${JSON.stringify(second)}`);
    console.log(`  another org    ${thirdMs.toFixed(0).padStart(6)} ms  ${JSON.stringify(third)}`);
    console.log(`  read and validate ${readMs.toFixed(0).padStart(5)} ms, longest event-loop block ${readBlock.wallMs.toFixed(0)} ms wall, ${readBlock.cpuMs.toFixed(0)} ms CPU`);
    console.log(`  whole imports (with the ledger transaction and commit): longest event-loop block ${(delay.max / 1e6).toFixed(0)} ms (p99 ${(delay.percentile(99) / 1e6).toFixed(0)} ms)`);
    console.log(`  heap growth ${((heapAfter - heapBefore) / 1e6).toFixed(0)} MB, peak RSS ${(peakRss / 1e6).toFixed(0)} MB, ledger file ${(bytes / 1e6).toFixed(1)} MB`);
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
  }
}
