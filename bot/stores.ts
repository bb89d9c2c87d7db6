import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openFileStateStorage } from '../storage/index.js';
import type { AppConfig } from './config.js';
import type { BotStores } from './createBot.js';

/** The opened stores, with their lifecycle. */
export interface OpenStores extends BotStores {
  /** Whether the stores still answer (for /healthz). */
  healthy(): Promise<boolean>;
  /** Flushes pending commits and releases the files. */
  close(): Promise<void>;
}

/** Opens the embedded stores in the data directory: hot conversation state in its own file. */
export async function openStores(config: AppConfig): Promise<OpenStores> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const state = await openFileStateStorage(path.join(config.dataDir, 'state.json'));
  return {
    state,
    async healthy() {
      try {
        await state.read(['healthz']);
        return true;
      } catch {
        return false;
      }
    },
    close: () => state.close(),
  };
}
