/**
 * `npm run admin -- <command>`: the organization's data from the command line, on the ledger in DATA_DIR (stop the
 * bot first: the ledger file is locked while it runs; use the admin endpoint then).
 *
 *   import <file.csv> --tenant <id>              certification data (all rows valid, or nothing is imported)
 *   requirements list --tenant <id>
 *   requirements set <file.json> --tenant <id>   replaces the organization's requirements ({ "requirements": [...] })
 *   requirements delete <id> --tenant <id>
 *   report --tenant <id>                          the skills report as CSV on standard output
 *   audit --tenant <id> [--limit <n>]             the latest admin actions
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bot/config.js';
import { defaultPolicy } from '../rules/index.js';
import { createAdminServices } from '../services/admin/services.js';
import { MAX_IMPORT_BYTES } from '../services/admin/importFile.js';
import { requirementSetSchema } from '../services/admin/requirements.js';
import { openLedger, type Ledger } from '../storage/index.js';
import { asksOnlyForHelp } from './chatTarget.js';

/** Where the CLI writes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `usage: npm run admin -- <command> --tenant <id>
  users add <person-id> [--name <n>] register a Partner Center user, who may then link (Teams: their AAD object id)
  import <file.csv>                 import certification data (columns: person, mcid, type, code, title, passed, expires, competency)
  requirements list                 list the competency requirements
  requirements set <file.json>      replace the requirements with those of a JSON file ({ "requirements": [...] })
  requirements delete <id>          delete one requirement
  report                            print the skills report as CSV
  audit [--limit <n>]               print the latest admin actions`;

/** Runs one CLI command against a ledger; returns the process exit code. */
export async function runAdminCli(argv: readonly string[], ledger: Ledger, io: CliIo, clock: () => Date = () => new Date()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { tenant: { type: 'string' }, limit: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    io.out(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const tenant = values.tenant;
  if (!tenant || !/^[\w.-]{1,128}$/.test(tenant)) {
    io.err(`--tenant <id> is required (letters, digits, dot, dash, underscore)\n${USAGE}\n`);
    return 2;
  }
  const admin = createAdminServices({ ledger, policy: defaultPolicy, clock, reportSecret: 'cli-does-not-sign-links', publicBaseUrl: 'http://127.0.0.1' });

  if (command === 'users' && sub === 'add' && arg) {
    const outcome = await admin.people.addUser({ tenantId: tenant, personId: 'cli' }, { personId: arg, displayName: values.name ?? arg });
    io.out(outcome.kind === 'added' ? `Registered ${arg} in ${tenant}.\n` : `${arg} is already registered in ${tenant} (${outcome.role}).\n`);
    return 0;
  }
  if (command === 'import' && sub) {
    // The bytes, not a decoded string: the import refuses a file that is not UTF-8 and names the line.
    const bytes = await readBytes(sub, io);
    if (bytes === undefined) return 1;
    const outcome = await admin.imports.importCsv(tenant, bytes, 'cli');
    if (outcome.kind === 'rejected') {
      io.err(`${sub}: rejected as a whole, nothing was imported (${outcome.problems.length} problem(s)):\n`);
      for (const p of outcome.problems) io.err(`  line ${p.line}: ${p.message}\n`);
      return 1;
    }
    io.out(`${sub}: ${outcome.rows} row(s), ${outcome.credentials} credential(s): ${outcome.created} new, ${outcome.updated} updated, ${outcome.unchanged} unchanged.\n`);
    return 0;
  }
  if (command === 'requirements' && sub === 'list') {
    const list = await admin.requirements.list(tenant);
    if (list.length === 0) io.out('No requirements.\n');
    for (const r of list) {
      io.out(`${r.id.slice(tenant.length + 1)}  ${r.names.en ?? '-'} / ${r.names['zh-CN'] ?? '-'} / ${r.names.fr ?? '-'}  competency=${r.competency}  people=${r.requiredPeople}  codes=${r.credentialCodes.join(',') || '(any)'}\n`);
    }
    return 0;
  }
  if (command === 'requirements' && sub === 'set' && arg) {
    const bytes = await readBytes(arg, io);
    if (bytes === undefined) return 1;
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (error) {
      io.err(`${arg}: not UTF-8 JSON (${(error as Error).message})\n`);
      return 1;
    }
    const set = requirementSetSchema.safeParse(json);
    if (!set.success) {
      io.err(`${arg}: invalid, nothing changed:\n`);
      for (const issue of set.error.issues) io.err(`  ${issue.path.join('.') || '(file)'}: ${issue.message}\n`);
      return 1;
    }
    const change = await admin.requirements.upsert(tenant, set.data.requirements, 'cli', true);
    io.out(`Requirements: ${change.created} new, ${change.updated} updated, ${change.deleted} deleted.\n`);
    return 0;
  }
  if (command === 'requirements' && sub === 'delete' && arg) {
    const removed = await admin.requirements.remove(tenant, arg, 'cli');
    io[removed ? 'out' : 'err'](removed ? `Deleted ${arg}.\n` : `No requirement ${arg}.\n`);
    return removed ? 0 : 1;
  }
  if (command === 'report') {
    io.out(await admin.reports.csv(tenant));
    return 0;
  }
  if (command === 'audit') {
    const limit = Math.min(Math.max(Number(values.limit ?? 50) || 50, 1), 10_000);
    for (const e of await admin.audit.latest(tenant, limit)) {
      io.out(`${e.at.toISOString()}  ${e.actorName ?? e.actorId}  ${e.action}  ${e.outcome}${e.target ? `  ${e.target}` : ''}${e.detail ? `  ${JSON.stringify(e.detail)}` : ''}\n`);
    }
    return 0;
  }
  io.err(`unknown command: ${positionals.join(' ')}\n${USAGE}\n`);
  return 2;
}

async function readBytes(file: string, io: CliIo): Promise<Uint8Array | undefined> {
  try {
    const buffer = await readFile(file);
    if (buffer.length > MAX_IMPORT_BYTES) {
      io.err(`${file}: larger than ${MAX_IMPORT_BYTES} bytes\n`);
      return undefined;
    }
    return buffer;
  } catch (error) {
    io.err(`${file}: ${(error as Error).message}\n`);
    return undefined;
  }
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // The usage needs no ledger: it is shown even while the running bot holds the ledger's lock.
  if (asksOnlyForHelp(argv)) {
    process.stdout.write(`${USAGE}\n`);
    process.exitCode = argv.length === 0 ? 2 : 0;
    return;
  }
  const config = loadConfig(process.env);
  const ledger = await openLedger(path.join(config.dataDir, 'ledger.json'));
  let code = 1;
  try {
    code = await runAdminCli(argv, ledger, { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) });
  } finally {
    await ledger.close();
  }
  process.exitCode = code;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
