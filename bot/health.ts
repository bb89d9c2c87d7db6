import pkg from '../package.json' with { type: 'json' };
import type { OpenStores } from './stores.js';

const startedAt = Date.now();

/** Builds the /healthz probe: version, uptime, and whether the stores answer. */
export function createHealthProbe(stores: OpenStores) {
  return async (): Promise<{ ok: boolean; version: string; uptimeSeconds: number; store: 'ok' | 'failing' }> => {
    const storeOk = await stores.healthy();
    return {
      ok: storeOk,
      version: pkg.version,
      uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
      store: storeOk ? 'ok' : 'failing',
    };
  };
}
