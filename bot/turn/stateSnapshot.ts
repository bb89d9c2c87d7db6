/**
 * A bot state as JSON text without its eTag: what botbuilder's `calculateChangeHash` hashes with SHA-256 (its own
 * stringify differs only on circular objects, which no storage can write). Comparing the text tells a change as
 * surely, without a hash object made on every load and save (four per turn with conversation and user state).
 */
export function snapshotOf(state: Record<string, unknown>): string {
  if (!('eTag' in state)) return JSON.stringify(state);
  const rest = { ...state };
  delete rest.eTag;
  return JSON.stringify(rest);
}
