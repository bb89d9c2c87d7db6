/** A JSON object (not null, not an array), as the store files and items must be. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The message of a thrown value, for a problem listed in a store error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
