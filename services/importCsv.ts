/** A small RFC 4180 CSV reader: quoted fields, doubled quotes, CRLF or LF, a BOM; no dependency. */

import { timeSlice, type TimeSlice } from './timeSlice.js';

/** One parsed record and the 1-based line it starts on. */
export interface CsvRecord {
  readonly line: number;
  readonly fields: string[];
}

/** A CSV syntax problem (an unterminated quote, text after a closing quote). */
export class CsvSyntaxError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Decodes a file's bytes as UTF-8, refusing invalid sequences instead of replacing them with U+FFFD (an imported
 * MCID or title must be what the file says); the error names the first line that is not UTF-8. A BOM is kept for
 * `parseCsv` to drop.
 */
export function decodeCsv(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // A line feed byte never occurs inside a multi-byte sequence: each line can be checked on its own.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    let start = 0;
    for (let line = 1; ; line += 1) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      try {
        decoder.decode(bytes.subarray(start, end));
      } catch {
        throw new CsvSyntaxError(line, 'is not valid UTF-8 text (save the file as UTF-8)');
      }
      if (newline === -1) throw new CsvSyntaxError(line, 'is not valid UTF-8 text (save the file as UTF-8)');
      start = newline + 1;
    }
  }
}

/** Parses CSV text into records; blank lines are skipped; throws `CsvSyntaxError` on broken quoting. */
export function parseCsv(text: string): CsvRecord[] {
  return [...csvRecords(text)];
}

/** Parses CSV text into records without blocking the event loop for more than a time slice at a time. */
export async function parseCsvYielding(text: string, slice: TimeSlice = timeSlice()): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for (const record of csvRecords(text)) {
    records.push(record);
    if (slice.due()) await slice.pause();
  }
  return records;
}

/** The records of CSV text one at a time, so a caller can pause between them; throws `CsvSyntaxError` on broken quoting. */
function* csvRecords(text: string): Generator<CsvRecord> {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let pos = 0;
  let line = 1;
  while (pos < input.length) {
    let newline = input.indexOf('\n', pos);
    if (newline === -1) newline = input.length;
    const end = newline > pos && input.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    const raw = input.slice(pos, end);
    if (!raw.includes('"')) {
      // The common case, a line without quotes, is split without looking at each character.
      if (raw !== '') yield { line, fields: raw.split(',') };
      pos = newline + 1;
      line += 1;
      continue;
    }
    const record = parseQuotedRecord(input, pos, line);
    yield { line, fields: record.fields };
    pos = record.next;
    line += record.lines;
  }
}

/** Reads one record that has quotes, from `pos` to the end of its last line (quoted fields may hold line breaks). */
function parseQuotedRecord(input: string, start: number, line: number): { fields: string[]; next: number; lines: number } {
  const fields: string[] = [];
  let field = '';
  let lines = 0;
  let i = start;
  for (;;) {
    if (input[i] === '"') {
      // A quoted field: up to the closing quote, "" meaning one quote.
      i += 1;
      for (;;) {
        const quote = input.indexOf('"', i);
        if (quote === -1) throw new CsvSyntaxError(line, 'a quoted field is not closed');
        const chunk = input.slice(i, quote);
        lines += chunk.split('\n').length - 1;
        field += chunk;
        if (input[quote + 1] === '"') {
          field += '"';
          i = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      const next = input[i];
      if (next !== undefined && next !== ',' && next !== '\n' && !(next === '\r' && input[i + 1] === '\n')) {
        throw new CsvSyntaxError(line + lines, 'text after a closing quote');
      }
    } else {
      // An unquoted field: up to the next comma or line end; a quote inside it is kept as text.
      let j = i;
      while (j < input.length && input[j] !== ',' && input[j] !== '\n' && !(input[j] === '\r' && input[j + 1] === '\n')) j += 1;
      field += input.slice(i, j);
      i = j;
    }
    fields.push(field);
    field = '';
    if (i >= input.length) return { fields, next: i, lines: lines + 1 };
    if (input[i] === ',') {
      i += 1;
      continue;
    }
    const next = input[i] === '\r' ? i + 2 : i + 1;
    return { fields, next, lines: lines + 1 };
  }
}

/** Quotes a value for CSV when needed; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line (CRLF-terminated, as RFC 4180 says). */
export function csvLine(values: readonly string[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
