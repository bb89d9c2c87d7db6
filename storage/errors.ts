/** A store file that cannot be read as valid data; start-up must stop and the file is left as it is. */
export class CorruptStoreError extends Error {
  override readonly name = 'CorruptStoreError';

  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    readonly totalProblems: number = problems.length,
  ) {
    const more = totalProblems > problems.length ? `\n  … and ${totalProblems - problems.length} more` : '';
    super(
      `Refusing to open store file ${file}: it is not valid store data. ` +
        'The file was left untouched; restore it from a backup, repair it, or move it aside to start with an empty store.\n' +
        problems.map((p) => `  - ${p}`).join('\n') +
        more,
    );
  }
}

/** Another process (or another open store in this process) already holds the store file. */
export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';

  constructor(
    readonly file: string,
    readonly holder: string,
  ) {
    super(`Store file ${file} is already open by ${holder}; two writers on one file would lose data.`);
  }
}

/** A transaction was attempted on a store that has been closed. */
export class StoreClosedError extends Error {
  override readonly name = 'StoreClosedError';

  constructor(readonly store: string) {
    super(`Store ${store} is closed.`);
  }
}

/** A value given to `put` does not satisfy its collection's schema (or does not survive a JSON round trip). */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';

  constructor(
    readonly collection: string,
    readonly id: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid record ${JSON.stringify(id)} for collection "${collection}": ${problems.join('; ')}`);
  }
}

/** A transaction was misused: a nested transaction, or a write after it finished. */
export class TransactionUsageError extends Error {
  override readonly name = 'TransactionUsageError';
}

/** A transaction would have stored a second record under the same key of a unique index; nothing was applied. */
export class UniqueViolationError extends Error {
  override readonly name = 'UniqueViolationError';

  constructor(
    readonly collection: string,
    readonly index: string,
    readonly values: readonly string[],
  ) {
    super(`Collection "${collection}" already holds a record with ${index} = ${JSON.stringify(values)}.`);
  }
}
