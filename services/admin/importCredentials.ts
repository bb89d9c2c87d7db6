/**
 * Imports certification data for an organization from a CSV with the skills report's columns. Every row is
 * validated; a file with any bad row is rejected whole with every problem listed, and nothing is written; a file
 * already imported changes nothing (credentials have ids derived from their content). The records belong to the
 * importing organization: another organization importing the same rows gets its own records, and neither touches
 * the other's (competency names are each organization's own vocabulary).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { credentialTypeSchema, type Credential } from '../../rules/index.js';
import { credentialKey, type Ledger } from '../../storage/index.js';
import { notifyOrganizationChanged, stageOrganizationChange, type OnOrganizationChanged } from '../organizationEvents.js';
import { stageAudit } from './audit.js';
import { CsvSyntaxError, readCsvYielding, type CsvRecord } from './importCsv.js';
import { timeSlice } from '../timeSlice.js';

/** The columns, in the skills report's order; `expires` may be empty. */
const IMPORT_COLUMNS = ['person', 'mcid', 'type', 'code', 'title', 'passed', 'expires', 'competency'] as const;

/** Stored credentials read at once while comparing a file with the ledger (one query each on PostgreSQL). */
const READ_BATCH = 500;
/** Bytes hashed at once. */
const HASH_CHUNK_BYTES = 1 << 20;

/** Largest file accepted, in bytes (a 100,000-row file is about 12 MB). */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** A date as `YYYY-MM-DD` (00:00 UTC) or an ISO 8601 date-time with an offset. */
const dateText = z
  .string()
  .trim()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) || z.iso.datetime({ offset: true }).safeParse(s).success, { message: 'is not a date (YYYY-MM-DD)', abort: true })
  .refine(realDay, { message: 'is not a real date', abort: true })
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00Z` : s));

/** `YYYY-MM-DD` that names a real day (no 30 February). */
function realDay(s: string): boolean {
  if (s.length !== 10) return true;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** One CSV row, validated. */
const importRowSchema = z
  .object({
    person: z.string().trim().min(1, 'is empty').max(200),
    // Stored upper case, as the link flow stores MCIDs.
    mcid: z.string().trim().regex(/^[A-Za-z0-9-]{4,40}$/, 'is not an MCID').transform((s) => s.toUpperCase()),
    type: z.string().trim().toLowerCase().pipe(credentialTypeSchema),
    code: z.string().trim().min(1, 'is empty').max(50),
    title: z.string().trim().min(1, 'is empty').max(300),
    passed: dateText,
    expires: z.string().trim().transform((s) => (s === '' ? undefined : s)).pipe(dateText.optional()),
    competency: z.string().trim().min(1, 'is empty').max(200),
  })
  .refine((r) => r.expires === undefined || r.expires.getTime() > r.passed.getTime(), { path: ['expires'], message: 'is not after the passed date' });

/** A problem with one line of the file (line 1 is the header). */
export interface ImportProblem {
  readonly line: number;
  readonly column?: string;
  readonly message: string;
}

/** The outcome of an import. */
export type ImportOutcome =
  | { kind: 'imported'; rows: number; credentials: number; created: number; updated: number; unchanged: number }
  | { kind: 'rejected'; problems: ImportProblem[] };

/**
 * The id of a credential as an organization imported it: for one organization, the same account, code and passed date
 * are the same credential. The organization is part of the id, so ids never collide across organizations.
 */
export function credentialId(tenantId: string, mcid: string, code: string, passed: Date): string {
  const content = `${tenantId}\u0000learn\u0000${mcid}\u0000${code.toUpperCase()}\u0000${passed.toISOString()}`;
  return `cred-${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
}

/**
 * Reads and validates a whole file (text, or bytes that must be UTF-8) for the organization `tenantId`; returns the
 * credentials it describes, or every problem. Parsing and validation pause every few milliseconds, so that a large
 * file never stalls conversations. With `now`, a credential passed after it is refused: nobody has passed an exam that
 * has not happened yet.
 */
export async function readImportFile(
  tenantId: string,
  input: string | Uint8Array,
  now?: Date,
): Promise<{ ok: true; rows: number; credentials: Credential[] } | { ok: false; problems: ImportProblem[] }> {
  const slice = timeSlice();
  // Each row is validated as the parser makes it: only the credentials are kept, not every row's fields.
  let header: { readonly line: number; readonly problem?: string; readonly fields: number; readonly index: Record<(typeof IMPORT_COLUMNS)[number], number> } | undefined;
  let rows = 0;
  const problems: ImportProblem[] = [];
  const byId = new Map<string, { credential: Credential; line: number; competencies: Set<string> }>();
  const take = (record: CsvRecord): void => {
    if (header === undefined) {
      const names = record.fields.map((f) => f.trim().toLowerCase());
      const missing = IMPORT_COLUMNS.filter((c) => !names.includes(c));
      const index = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, names.indexOf(c)])) as Record<(typeof IMPORT_COLUMNS)[number], number>;
      header = { line: record.line, fields: names.length, index, ...(missing.length > 0 ? { problem: `missing columns: ${missing.join(', ')}` } : {}) };
      return;
    }
    rows += 1;
    if (header.problem !== undefined) return;
    if (record.fields.length !== header.fields) {
      problems.push({ line: record.line, message: `has ${record.fields.length} fields, the header has ${header.fields}` });
      return;
    }
    const { index } = header;
    const raw = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c, record.fields[index[c]] ?? '']));
    const parsed = importRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = String(issue.path[0] ?? '');
        problems.push({ line: record.line, column: column || undefined, message: `${column ? `${column} ` : ''}${issue.message}` });
      }
      return;
    }
    const row = parsed.data;
    if (now !== undefined && row.passed.getTime() > now.getTime()) {
      problems.push({ line: record.line, column: 'passed', message: `passed ${row.passed.toISOString().slice(0, 10)} is in the future` });
      return;
    }
    const id = credentialId(tenantId, row.mcid, row.code, row.passed);
    const known = byId.get(id);
    if (known) {
      const c = known.credential;
      if (c.title !== row.title || c.type !== row.type || (c.expires?.getTime() ?? null) !== (row.expires?.getTime() ?? null)) {
        problems.push({ line: record.line, message: `contradicts line ${known.line} about the same credential (MCID, code, passed date)` });
        return;
      }
      known.competencies.add(row.competency);
      return;
    }
    byId.set(id, {
      line: record.line,
      competencies: new Set([row.competency]),
      credential: {
        id,
        tenantId,
        kind: 'learn',
        accountId: row.mcid,
        type: row.type,
        code: row.code,
        title: row.title,
        passed: row.passed,
        ...(row.expires ? { expires: row.expires } : {}),
        competencies: [],
      },
    });
  };
  try {
    await readCsvYielding(input, take);
  } catch (error) {
    if (error instanceof CsvSyntaxError) return { ok: false, problems: [{ line: error.line, message: error.message.replace(/^line \d+: /, '') }] };
    throw error;
  }
  if (!header) return { ok: false, problems: [{ line: 1, message: `the file is empty; expected the columns ${IMPORT_COLUMNS.join(', ')}` }] };
  if (header.problem !== undefined) return { ok: false, problems: [{ line: header.line, message: header.problem }] };
  if (problems.length > 0) return { ok: false, problems };
  const credentials: Credential[] = [];
  for (const { credential, competencies } of byId.values()) {
    if (slice.due()) await slice.pause();
    credential.competencies = [...competencies].sort();
    credentials.push(credential);
  }
  return { ok: true, rows, credentials };
}

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
    const sha256 = await digestYielding(input);
    const file = await readImportFile(tenantId, input, now);
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

/** SHA-256 of the file, a megabyte at a time with pauses between, so that hashing a large file never stalls conversations. */
async function digestYielding(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const hash = createHash('sha256');
  const slice = timeSlice();
  for (let offset = 0; offset < bytes.length; offset += HASH_CHUNK_BYTES) {
    hash.update(bytes.subarray(offset, offset + HASH_CHUNK_BYTES));
    if (slice.due()) await slice.pause();
  }
  return hash.digest('hex');
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
