/**
 * Imports certification data for an organization from a CSV with the skills report's columns. Every row is
 * validated; a file with any bad row is rejected whole with every problem listed, and nothing is written; a file
 * already imported changes nothing (credentials have ids derived from their content). The records belong to the
 * importing organization: another organization importing the same rows gets its own records, and neither touches
 * the other's (competency names are each organization's own vocabulary).
 */
import type { Credential } from '../../rules/index.js';
import { credentialKey, type Ledger } from '../../storage/index.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';
import { timeSlice } from '../../storage/timeSlice.js';
import { stageAudit } from './audit.js';
import type { ImportProblem } from './importFile.js';
import { readImport } from './importWorker.js';

/** Stored credentials read at once while comparing a file with the ledger (one query each on PostgreSQL). */
const READ_BATCH = 500;

/** The outcome of an import. */
export type ImportOutcome =
  | { kind: 'imported'; rows: number; credentials: number; created: number; updated: number; unchanged: number }
  | { kind: 'rejected'; problems: ImportProblem[] };

/** Collaborators of the import. */
export interface ImportServiceDeps {
  readonly ledger: Ledger;
  readonly clock: () => Date;
  readonly onOrganizationChanged?: OnOrganizationChanged;
  readonly onHookError?: (error: unknown) => void;
}

/** Imports certification data files. */
export class ImportService {
  constructor(private readonly deps: ImportServiceDeps) {}

  /**
   * Validates and imports a CSV file (text, or its bytes: invalid UTF-8 rejects the file) for an organization, all or
   * nothing; `actorId` is `cli`, `api` or an admin's id.
   */
  async importCsv(tenantId: string, input: string | Uint8Array, actorId: string): Promise<ImportOutcome> {
    const now = this.deps.clock();
    // Read and validated off the event loop's thread when the file is large.
    const { sha256, file } = await readImport(tenantId, input, now);
    if (!file.ok) {
      await this.deps.ledger.transact((tx) =>
        stageAudit(tx, { tenantId, actorId, action: 'credentials.import', target: `sha256:${sha256.slice(0, 16)}`, outcome: 'rejected', detail: { problems: file.problems.length } }, now),
      );
      return { kind: 'rejected', problems: file.problems };
    }
    const outcome = await this.deps.ledger.transact(async (tx) => {
      // A transaction function may run again (after a conflict): each run starts its own counts.
      const slice = timeSlice();
      let created = 0;
      let updated = 0;
      for (let start = 0; start < file.credentials.length; start += READ_BATCH) {
        const batch = file.credentials.slice(start, start + READ_BATCH);
        // Only this organization's own records are compared and replaced; another organization's are other keys.
        const keys = batch.map((credential) => credentialKey(tenantId, credential.id));
        const stored = await tx.getMany('credentials', keys);
        for (let i = 0; i < batch.length; i++) {
          if (slice.due()) await slice.pause();
          const credential = batch[i]!;
          const existing = stored[i];
          if (existing === undefined) created += 1;
          else if (sameCredential(existing, credential)) continue;
          else updated += 1;
          tx.put('credentials', keys[i]!, credential);
        }
      }
      const unchanged = file.credentials.length - created - updated;
      if (created + updated > 0) stageOrganizationChange(tx, tenantId, 'credential-import', now);
      tx.put('imports', `${tenantId}/${sha256}`, { tenantId, at: now, actorId, rows: file.rows, credentials: file.credentials.length, created, updated });
      stageAudit(
        tx,
        { tenantId, actorId, action: 'credentials.import', target: `sha256:${sha256.slice(0, 16)}`, outcome: created + updated > 0 ? 'done' : 'unchanged', detail: { rows: file.rows, created, updated, unchanged } },
        now,
      );
      return { kind: 'imported' as const, rows: file.rows, credentials: file.credentials.length, created, updated, unchanged };
    });
    if (outcome.created + outcome.updated > 0) {
      await notifyOrganizationChanged(this.deps.onOrganizationChanged, tenantId, 'credential-import', this.deps.onHookError);
    }
    return outcome;
  }
}

function sameCredential(a: Credential, b: Credential): boolean {
  return (
    a.tenantId === b.tenantId &&
    a.kind === b.kind &&
    a.accountId === b.accountId &&
    a.type === b.type &&
    a.code === b.code &&
    a.title === b.title &&
    a.passed.getTime() === b.passed.getTime() &&
    (a.expires?.getTime() ?? null) === (b.expires?.getTime() ?? null) &&
    a.competencies.length === b.competencies.length &&
    a.competencies.every((c, i) => c === b.competencies[i])
  );
}
