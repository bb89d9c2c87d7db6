/**
 * CSV for the certification-data import and the skills report, through the `csv` project's parser and stringifier
 * (csv-parse, csv-stringify): RFC 4180 quoting, CRLF, LF or bare CR line ends, a BOM. What this module adds: the line
 * each record starts on (for line-numbered problems), a strict UTF-8 check of uploaded bytes, a bound on a record's
 * size, and parsing in slices so that a large file never holds the event loop.
 */

import { isUtf8 } from 'node:buffer';
import { parse as parseStream, type CsvError, type Options } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { timeSlice } from '../../storage/timeSlice.js';

/** One parsed record and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV syntax problem (an unterminated quote, text after a closing quote, a record too long). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/** Longest record accepted, in characters: a row of the import's columns at their bounds is far shorter. */
const MAX_CSV_RECORD_CHARS = 64 * 1024;
/**
 * Bytes handed to the parser at a time, between which it may yield: about 160 rows of an import, each validated as
 * it is parsed (a few milliseconds).
 */
const CHUNK_BYTES = 16 * 1024;
const LINE_BREAK = /\r\n|\r|\n/g;
const INVALID_UTF8 = 'is not valid UTF-8 text (save the file as UTF-8)';

/** What the parser gives for a record with the `raw` option. */
interface RawRecord {
  readonly raw: string;
  readonly record: string[];
}

const OPTIONS: Options = {
  bom: true,
  // Excel on old Macs and some exporters end lines with a bare CR.
  record_delimiter: ['\r\n', '\n', '\r'],
  // The import reports a wrong field count itself, with the line and both counts.
  relax_column_count: true,
  max_record_size: MAX_CSV_RECORD_CHARS,
  // The record's raw text, to count the lines it spans.
  raw: true,
};

/**
 * Follows line numbers through the parsed records: `take` returns a record with the line it starts on, or undefined
 * for a blank line (skipped here rather than by the parser, which would not say how many lines it skipped).
 */
function lineCounter(): { take(raw: string, fields: string[]): CsvRecord | undefined; readonly next: number } {
  let line = 1;
  return {
    take(raw, fields) {
      const start = line;
      line += raw.match(LINE_BREAK)?.length ?? 0;
      return fields.length === 1 && fields[0] === '' ? undefined : { line: start, fields };
    },
    get next() {
      return line;
    },
  };
}

/** The problem a parser error stands for, at the line of the record it met it in. */
function syntaxError(error: unknown, line: number): CsvSyntaxError | unknown {
  const code = (error as Partial<CsvError> | undefined)?.code;
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new CsvSyntaxError(line, 'a quoted field is not closed');
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvSyntaxError(line, 'text after a closing quote');
    case 'INVALID_OPENING_QUOTE':
      return new CsvSyntaxError(line, 'a quote inside a field that is not in quotes (put the whole field in quotes and double the quote)');
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvSyntaxError(line, `a record is longer than ${MAX_CSV_RECORD_CHARS.toLocaleString('en')} characters`);
    default:
      return code?.startsWith('CSV_') ? new CsvSyntaxError(line, 'is not valid CSV') : error;
  }
}

/**
 * Checks that a file's bytes are UTF-8, refusing invalid sequences instead of replacing them with U+FFFD (an imported
 * MCID or title must be what the file says); the error names the first line that is not UTF-8.
 */
function assertUtf8(bytes: Uint8Array): void {
  if (isUtf8(bytes)) return;
  // CR and LF bytes never occur inside a multi-byte sequence: each line can be checked on its own.
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    const byte = bytes[i];
    if (i < bytes.length && byte !== 0x0a && byte !== 0x0d) continue;
    if (!isUtf8(bytes.subarray(start, i))) throw new CsvSyntaxError(line, INVALID_UTF8);
    if (byte === 0x0d && bytes[i + 1] === 0x0a) i += 1;
    start = i + 1;
    line += 1;
  }
  throw new CsvSyntaxError(line, INVALID_UTF8);
}

/** Parses CSV text into records; blank lines are skipped; throws `CsvSyntaxError` on broken quoting. */
export function parseCsv(text: string): CsvRecord[] {
  const lines = lineCounter();
  const records: CsvRecord[] = [];
  try {
    for (const { raw, record } of parseSync(text, OPTIONS) as unknown as RawRecord[]) {
      const taken = lines.take(raw, record);
      if (taken) records.push(taken);
    }
  } catch (error) {
    throw syntaxError(error, lines.next);
  }
  return records;
}

/**
 * Reads a CSV file (text, or bytes that must be UTF-8) record by record, handing each to `onRecord` as the parser makes
 * it, without blocking the event loop for more than a time slice at a time: the parser gets the file a chunk at a time
 * and the work pauses whenever the slice is used. A record is passed on and never kept here, so a caller that keeps
 * only what it makes of it keeps only that (a 100,000-row import no longer holds every row's fields until the end).
 */
export async function readCsvYielding(input: string | Uint8Array, onRecord: (record: CsvRecord) => void): Promise<void> {
  const slice = timeSlice();
  let bytes: Buffer;
  if (typeof input === 'string') {
    bytes = Buffer.from(input, 'utf8');
  } else {
    assertUtf8(input);
    bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  }
  const lines = lineCounter();
  let failure: unknown;
  const parser = parseStream({
    ...OPTIONS,
    // Records are taken as the parser makes them (synchronously, inside `write`), never buffered in the stream.
    on_record: (item: unknown) => {
      const { raw, record } = item as RawRecord;
      const taken = lines.take(raw, record);
      if (taken && failure === undefined) {
        try {
          onRecord(taken);
        } catch (error) {
          failure = error;
        }
      }
      return null;
    },
  });
  parser.on('error', (error) => (failure ??= error));
  const ended = new Promise<void>((resolve) => parser.once('close', resolve).once('end', resolve).resume());
  for (let offset = 0; offset < bytes.length && failure === undefined && !parser.destroyed; offset += CHUNK_BYTES) {
    parser.write(bytes.subarray(offset, offset + CHUNK_BYTES));
    if (slice.due()) await slice.pause();
  }
  if (failure === undefined && !parser.destroyed) parser.end();
  await ended;
  if (failure !== undefined) throw syntaxError(failure, lines.next);
}

/** A leading =, +, -, @, tab or CR makes spreadsheets run or reinterpret a cell: such values are prefixed with '. */
function defused(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(values: readonly string[]): string {
  // Any line break in a value is quoted, not only the record delimiter, so that every reader sees one record.
  return stringify([values.map(defused)], { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}
