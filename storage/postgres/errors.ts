/*
 * The database adapter's own failures. They stay in this room rather than in storage/errors.ts, the port's
 * vocabulary: only this adapter throws them, and no service catches them (the turn or background job that meets one
 * fails and is logged), whereas every adapter throws, and services catch, UniqueViolationError.
 */
/**
 * A row of the records table that does not satisfy its collection's schema (changed by hand, or written by a
 * release with another schema). Reading it fails instead of handing the bot data it does not understand.
 */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';

  constructor(
    readonly collection: string,
    readonly id: string,
    readonly problems: readonly string[],
  ) {
    super(`Stored record ${JSON.stringify(id)} of collection "${collection}" is not valid: ${problems.join('; ')}. Repair or delete that row.`);
  }
}

/** The database refused a transaction again and again (serialization failures or deadlocks); nothing was applied. */
export class TransactionConflictError extends Error {
  override readonly name = 'TransactionConflictError';

  constructor(
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`The transaction conflicted with concurrent ones ${attempts} times in a row and was given up; nothing was applied.`);
  }
}
