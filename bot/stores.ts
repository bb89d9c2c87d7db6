import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { openFileStateStorage, openLedger } from '../storage/index.js';
import type { AppConfig } from './config.js';
import type { BotStores } from './createBot.js';

/** The opened stores, with their lifecycle. */
export interface OpenStores extends BotStores {
  /** Whether the stores still answer (for /healthz). */
  healthy(): Promise<boolean>;
  /** Flushes pending commits and releases the files. */
  close(): Promise<void>;
}

/**
 * Opens the embedded stores in the data directory: the ledger and the hot conversation state, each in
 * its own file so that a chat turn never serialises the organization.
 */
export async function openStores(config: AppConfig): Promise<OpenStores> {
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const ledger = await openLedger(path.join(config.dataDir, 'ledger.json'));
  // Bucket files in state.buckets/; a state.json left by an earlier version is moved into them on first start.
  const state = await openFileStateStorage(path.join(config.dataDir, 'state.json')).catch(async (error: unknown) => {
    await ledger.close();
    throw error;
  });
  return {
    ledger,
    state,
    async healthy() {
      try {
        // A read-only transaction waits for in-flight commits, so it fails if the disk does.
        await ledger.transact(() => undefined);
        await state.read(['healthz']);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await Promise.all([ledger.close(), state.close()]);
    },
  };
}
