import { open, unlink } from 'node:fs/promises';
import path from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import type { OpenStores } from '../stores.js';

const startedAt = Date.now();

/** How long one writability probe's answer is reused: /healthz cannot be used to make the bot write at will. */
const WRITE_PROBE_CACHE_MS = 5_000;

/** The file the probe writes, syncs and deletes in the data directory. */
export const WRITE_PROBE_FILE = '.healthz-probe';

/** Where and how often the probe checks that the data directory takes writes. */
export interface HealthOptions {
  /** The data directory (none: only the stores are asked, e.g. a database store). */
  readonly dataDir?: string;
  readonly cacheMs?: number;
  readonly now?: () => number;
}

/**
 * Builds the /healthz probe: version, uptime, and whether the stores answer and the data directory takes a real
 * write (a full disk answers reads but fails every commit: "store failing" then, 503).
 */
export function createHealthProbe(stores: OpenStores, options: HealthOptions = {}) {
  const now = options.now ?? Date.now;
  let cached: { at: number; result: Promise<boolean> } | undefined;
  const writable = (): Promise<boolean> => {
    if (!options.dataDir) return Promise.resolve(true);
    if (!cached || now() - cached.at >= (options.cacheMs ?? WRITE_PROBE_CACHE_MS)) {
      cached = { at: now(), result: probeWrite(path.join(options.dataDir, WRITE_PROBE_FILE)) };
    }
    return cached.result;
  };
  return async (): Promise<{ ok: boolean; version: string; uptimeSeconds: number; store: 'ok' | 'failing' }> => {
    const [storeOk, writeOk] = await Promise.all([stores.healthy(), writable()]);
    const ok = storeOk && writeOk;
    return {
      ok,
      version: pkg.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      store: ok ? 'ok' : 'failing',
    };
  };
}

/** Writes a few bytes, syncs them to the disk and deletes the file; false on any error (ENOSPC, EROFS, EACCES…). */
async function probeWrite(file: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'w', 0o600);
    await handle.writeFile(`${Date.now()}\n`);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await unlink(file);
    return true;
  } catch {
    await handle?.close().catch(() => undefined);
    return false;
  }
}
