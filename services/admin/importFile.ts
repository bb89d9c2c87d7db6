/**
 * Reading a certification-data file: the CSV's columns, each row validated, rows about the same credential merged
 * (one credential, several competencies), every problem with its line. Nothing here touches the ledger, so that a large
 * file can be read on a worker thread (importWorker.ts) while the event loop serves conversations.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { credentialTypeSchema, type Credential } from '../../rules/index.js';
import { CsvSyntaxError, readCsvYielding, type CsvRecord } from './importCsv.js';
import { timeSlice } from '../../storage/timeSlice.js';

/** The columns, in the skills report's order; `expires` may be empty. */
const IMPORT_COLUMNS = ['person', 'mcid', 'type', 'code', 'title', 'passed', 'expires', 'competency'] as const;

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

/** What a file says: its rows' credentials, or every problem. */
export type ImportFile = { ok: true; rows: number; credentials: Credential[] } | { ok: false; problems: ImportProblem[] };

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
): Promise<ImportFile> {
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

