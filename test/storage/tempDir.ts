import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Creates a fresh temp directory for a test file's hooks, removed again by `cleanup`. */
export function useTempDir(prefix: string): { path(): string; create(): Promise<void>; cleanup(): Promise<void> } {
  let dir: string | undefined;
  return {
    path() {
      if (!dir) throw new Error('temp dir not created yet');
      return dir;
    },
    async create() {
      dir = await mkdtemp(join(tmpdir(), `${prefix}-`));
    },
    async cleanup() {
      if (dir) await rm(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}
