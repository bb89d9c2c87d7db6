import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** What the embedded store's files hold, read without the store: the snapshot with its journal lines applied. */
export interface StoreFiles {
  readonly version: number;
  readonly generation: number;
  readonly collections: Record<string, Record<string, unknown>>;
}

interface JournalLine {
  readonly generation: number;
  readonly put: Record<string, Record<string, unknown>>;
  readonly delete: Record<string, string[]>;
}

/**
 * Reads `<file>` and applies the lines of `<file>.journal` that follow it (its generation; older ones are in it
 * already), as a restart would; a last line cut short is left out.
 */
export async function readStoreFiles(file: string): Promise<StoreFiles> {
  const snapshot = JSON.parse(await readFile(file, 'utf8')) as StoreFiles;
  const collections = structuredClone(snapshot.collections);
  const journal = await readFile(`${file}.journal`, 'utf8').catch(() => '');
  // What follows the last newline is empty, or a line whose append never finished.
  for (const line of journal.split('\n').slice(0, -1)) {
    const { generation, put, delete: deleted } = JSON.parse(line) as JournalLine;
    if (generation !== snapshot.generation) continue;
    for (const [name, records] of Object.entries(put)) Object.assign((collections[name] ??= {}), records);
    for (const [name, ids] of Object.entries(deleted)) for (const id of ids) delete collections[name]?.[id];
  }
  return { version: snapshot.version, generation: snapshot.generation, collections };
}

/**
 * Makes every write of the store at `file` fail (a non-empty folder where the snapshot and the journal are written)
 * without losing what they hold; resolves with the function that puts them back.
 */
export async function blockStoreFiles(file: string): Promise<() => Promise<void>> {
  const moved: string[] = [];
  for (const path of [file, `${file}.journal`]) {
    const saved = await rename(path, `${path}.saved`).then(
      () => true,
      () => false,
    );
    if (saved) moved.push(path);
    await mkdir(join(path, 'blocker'), { recursive: true });
  }
  return async () => {
    for (const path of [file, `${file}.journal`]) {
      await rm(path, { recursive: true });
      if (moved.includes(path)) await rename(`${path}.saved`, path);
    }
  };
}
