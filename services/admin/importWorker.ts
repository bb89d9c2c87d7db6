/**
 * Reads a large certification-data file on a worker thread. Parsing and validating 100,000 rows is seconds of CPU and
 * gigabytes of short-lived garbage: on the event loop's thread, however finely the work is sliced, that garbage comes
 * back as collection pauses that stall conversations. The worker hands the credentials (or the problems) back a batch
 * at a time, each when the main thread asks for it: a message port delivers all its waiting messages in one go, so
 * batches sent unasked would arrive as one long block. A small file is read in-process, where it costs less than
 * starting a worker.
 */
import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { constants, setPriority } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData, type MessagePort, type WorkerOptions } from 'node:worker_threads';
import type { Credential } from '../../rules/index.js';
import { readImportFile, type ImportFile, type ImportProblem } from './importFile.js';

/** A file this long or longer (in characters or bytes: about 2,500 rows) is read on a worker thread. */
const OFF_THREAD_SIZE = 256 * 1024;
/** Credentials or problems handed over per message: receiving one batch takes about a millisecond. */
const BATCH = 1000;
/** The key of the job in the worker's data (a worker started for anything else that loads this module does nothing). */
const JOB = 'mcidImportJob';

/**
 * The end of the last read on a worker: reads take turns, one worker at a time, each holding a core and the file
 * several times over in memory (a few admins importing large files at once must not take every core from
 * conversations, nor the memory of all their files at once).
 */
let lastRead: Promise<unknown> = Promise.resolve();

/** A file as read, and its SHA-256 (the import's audit names the file by it). */
export interface ReadImport {
  readonly sha256: string;
  readonly file: ImportFile;
}

/** What the worker is asked to read. */
interface Job {
  readonly tenantId: string;
  readonly input: string | Uint8Array;
  /** The import's time (epoch milliseconds). */
  readonly now: number;
}

/** One message from the worker: the first also carries the digest and the outcome, the last says it is the last. */
interface Batch {
  readonly head?: { readonly sha256: string; readonly ok: boolean; readonly rows: number };
  readonly items: readonly (Credential | ImportProblem)[];
  readonly last: boolean;
}

/**
 * Reads and validates a file (text, or bytes that must be UTF-8) for the organization `tenantId`, as `readImportFile`
 * does, on a worker thread when the file is large (after the reads on workers asked for before it); refuses
 * credentials passed after `now`.
 */
export async function readImport(tenantId: string, input: string | Uint8Array, now: Date): Promise<ReadImport> {
  const size = typeof input === 'string' ? input.length : input.byteLength;
  if (size < OFF_THREAD_SIZE) return { sha256: sha256Of(input), file: await readImportFile(tenantId, input, now) };
  const read = lastRead.then(() => readInWorker({ tenantId, input, now: now.getTime() }));
  lastRead = read.catch(() => undefined);
  return read;
}

function sha256Of(input: string | Uint8Array): string {
  return createHash('sha256').update(input).digest('hex');
}

/** Starts a worker for `job` and gathers what it sends, asking for each batch after the one before is taken. */
function readInWorker(job: Job): Promise<ReadImport> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(new URL(`./importWorker${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url), { workerData: { [JOB]: job } });
    let head: Batch['head'];
    const items: (Credential | ImportProblem)[] = [];
    worker.on('message', (batch: Batch) => {
      head ??= batch.head;
      for (const item of batch.items) items.push(item);
      if (!batch.last) {
        worker.postMessage('next');
        return;
      }
      if (!head) {
        reject(new Error("the import's worker sent no outcome"));
        return;
      }
      const file: ImportFile = head.ok ? { ok: true, rows: head.rows, credentials: items as Credential[] } : { ok: false, problems: items as ImportProblem[] };
      resolve({ sha256: head.sha256, file });
    });
    // After the last batch these change nothing: the promise is settled.
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the import's worker thread stopped before it finished (exit code ${code})`)));
  });
}

/**
 * A worker thread running the module at `url`. Built code (npm start) runs the compiled module; from source (the tests,
 * npm scripts run by tsx) the TypeScript module is loaded through tsx, whose loader Node 20 does not pass on to workers.
 */
function startWorker(url: URL, options: WorkerOptions): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(load, { ...options, eval: true });
}

/** The worker's side: reads the file, then sends a batch now and one more each time it is asked, until the last. */
async function serve(job: Job, port: MessagePort): Promise<void> {
  yieldCpuToConversations();
  const sha256 = sha256Of(job.input);
  const file = await readImportFile(job.tenantId, job.input, new Date(job.now));
  const items = file.ok ? file.credentials : file.problems;
  const head = { sha256, ok: file.ok, rows: file.ok ? file.rows : 0 };
  let sent = 0;
  const send = (): void => {
    const batch: Batch = { ...(sent === 0 ? { head } : {}), items: items.slice(sent, sent + BATCH), last: sent + BATCH >= items.length };
    sent += BATCH;
    port.postMessage(batch);
    if (batch.last) port.close();
  };
  port.on('message', send);
  send();
}

/**
 * Lowers this thread's scheduling priority (Linux: nice 19 for this thread alone, found as /proc/thread-self), so that
 * on a busy machine the event loop's thread, answering people, gets a core before the import does. Elsewhere the
 * worker keeps the process's priority.
 */
function yieldCpuToConversations(): void {
  try {
    const threadId = Number(path.basename(readlinkSync('/proc/thread-self')));
    if (Number.isInteger(threadId) && threadId !== process.pid) setPriority(threadId, constants.priority.PRIORITY_LOW);
  } catch {
    // Not Linux, or not allowed: the worker runs at the process's priority.
  }
}

const job = isMainThread ? undefined : (workerData as Record<string, Job | undefined> | null)?.[JOB];
if (job && parentPort) await serve(job, parentPort);
