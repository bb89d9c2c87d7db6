/**
 * `npm run demo`: the bot with a demo organization loaded (people, linked MCIDs, credentials, requirements, and the
 * local user as Global admin), so that every admin feature can be tried in minutes with `npm run chat` or the
 * Emulator. The demo keeps its data in its own directory (DEMO_DATA_DIR, default ./data-demo, marked as demo data)
 * and refuses to start in a directory that holds anything else; it never reads .env or the Bot Framework credentials
 * (its variables are read by bot/config.ts, `loadDemoConfig`).
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadOrCreateSecret } from '../bot/secretFile.js';
import { describeConfig, loadConfig, loadDemoConfig } from '../bot/config.js';
import { createLogger, wantsPrettyLogs } from '../bot/logger.js';
import { startBot } from '../bot/startBot.js';
import type { RosterLookup, RosterMember } from '../dialogs/commands/admin/rosterLookup.js';
import { roleSchema } from '../rules/index.js';
import { ImportService } from '../services/admin/importCredentials.js';
import { requirementSetSchema, RequirementsService } from '../services/admin/requirements.js';
import { personKey, type Ledger } from '../storage/index.js';

/** The folder of the demo data files. */
export const DEMO_SOURCE = fileURLToPath(new URL('../demo/', import.meta.url));

/** The file that marks a data directory as the demo's. */
const MARKER = '.demo-data';

const DAY_MS = 86_400_000;
const relativeDate = z.string().regex(/^@[+-]\d{1,5}d$/, 'expected @+Nd or @-Nd');

const demoPeopleSchema = z.object({
  tenantId: z.string().min(1),
  people: z.array(
    z.object({
      id: z.string().min(1),
      name: z.string().min(1),
      email: z.email(),
      role: roleSchema.optional(),
      registered: z.boolean(),
      mcid: z.string().optional(),
      linked: relativeDate.optional(),
      ended: relativeDate.optional(),
    }),
  ),
});

/** Midnight UTC of the day `token` (`@-300d`) days from `now`. */
function dayFrom(token: string, now: Date): Date {
  const days = Number(token.slice(1, -1));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(today + days * DAY_MS);
}

/** Replaces the `@+Nd` tokens of a demo file with dates (YYYY-MM-DD) relative to `now`. */
export function withRelativeDates(text: string, now: Date): string {
  return text.replace(/@[+-]\d{1,5}d/g, (token) => dayFrom(token, now).toISOString().slice(0, 10));
}

/** Loads (idempotently) the demo organization into a ledger; returns its tenant and its roster. */
export async function loadDemo(ledger: Ledger, now: Date, source = DEMO_SOURCE): Promise<{ tenantId: string; roster: RosterMember[] }> {
  const demo = demoPeopleSchema.parse(JSON.parse(await readFile(path.join(source, 'people.json'), 'utf8')));
  const { tenantId } = demo;
  await ledger.transact(async (tx) => {
    for (const p of demo.people) {
      if (!p.registered) continue;
      const key = personKey(tenantId, p.id);
      // A role changed in chat during an earlier demo run is kept.
      if (!(await tx.get('people', key))) tx.put('people', key, { id: p.id, tenantId, displayName: p.name, role: p.role ?? 'member' });
      if (!(await tx.get('registrations', key))) tx.put('registrations', key, { tenantId, personId: p.id, email: p.email, addedBy: 'demo', addedAt: now });
      if (p.mcid && p.linked) {
        const id = `demo-${p.id}-learn`;
        if (!(await tx.get('associations', id))) {
          const end = p.ended ? dayFrom(p.ended, now) : undefined;
          tx.put('associations', id, { id, personId: p.id, tenantId, kind: 'learn', accountId: p.mcid, start: dayFrom(p.linked, now), ...(end ? { end, endReason: 'unlinked' as const } : {}) });
        }
        if (!p.ended && !(await tx.get('accounts', `${key}/learn`))) tx.put('accounts', `${key}/learn`, { personId: p.id, tenantId, kind: 'learn', accountId: p.mcid, recordedAt: dayFrom(p.linked, now) });
      }
    }
  });
  const clock = () => now;
  const csv = withRelativeDates(await readFile(path.join(source, 'credentials.csv'), 'utf8'), now);
  const imported = await new ImportService({ ledger, clock }).importCsv(tenantId, csv, 'cli');
  if (imported.kind === 'rejected') throw new Error(`demo/credentials.csv is invalid: ${JSON.stringify(imported.problems)}`);
  const requirements = requirementSetSchema.parse(JSON.parse(await readFile(path.join(source, 'requirements.json'), 'utf8')));
  await new RequirementsService({ ledger, clock }).upsert(tenantId, requirements.requirements, 'cli', true);
  return { tenantId, roster: demo.people.map((p) => ({ aadObjectId: p.id, name: p.name, email: p.email })) };
}

/** The demo's roster: outside Teams a person's channel id is their id, so mentions and e-mails resolve here. */
export function demoRoster(members: readonly RosterMember[]): RosterLookup {
  return {
    memberById: async (_context, id) => members.find((m) => m.aadObjectId === id),
    memberByEmail: async (_context, email) => members.find((m) => m.email?.toLowerCase() === email.toLowerCase()),
  };
}

/** Creates the demo data directory, or checks that an existing one is the demo's. */
async function prepareDemoDir(dataDir: string, realDataDir: string): Promise<void> {
  if (dataDir === realDataDir) {
    throw new Error(`DEMO_DATA_DIR (${dataDir}) is the bot's DATA_DIR: the demo never mixes with real data.`);
  }
  if (existsSync(dataDir) && !existsSync(path.join(dataDir, MARKER)) && (await readdir(dataDir)).length > 0) {
    throw new Error(`${dataDir} holds data that is not the demo's: choose another DEMO_DATA_DIR.`);
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await writeFile(path.join(dataDir, MARKER), 'MCID Link Assistant demo data: safe to delete.\n');
}

async function main(): Promise<void> {
  const demo = loadDemoConfig(process.env);
  const dataDir = demo.dataDir;
  await prepareDemoDir(dataDir, demo.botDataDir);
  const apiToken = demo.apiToken ?? (await loadOrCreateSecret(dataDir, 'admin-api-token'));
  // Only local settings: no Bot Framework credentials, no identity provider of a real deployment.
  const config = loadConfig({
    DATA_DIR: dataDir,
    DEFAULT_TENANT_ID: 'demo-contoso',
    BOOTSTRAP_ADMINS: ['local-user', ...demo.adminIds].join(','),
    ADMIN_API_TOKEN: apiToken,
    PORT: String(demo.port),
    DEV_IDP_PORT: String(demo.devIdpPort),
    LOG_LEVEL: demo.logLevel,
  });
  const logger = createLogger(config.logLevel, { pretty: wantsPrettyLogs(process.stdout) });
  logger.info({ ...describeConfig(config), demo: true }, 'starting the demo');

  let tenantId = '';
  const bot = await startBot(config, logger, {
    async prepare(stores) {
      const demo = await loadDemo(stores.ledger, new Date());
      tenantId = demo.tenantId;
      return { roster: demoRoster(demo.roster) };
    },
  });
  const base = `http://${config.host}:${config.port}`;
  process.stdout.write(`
MCID Link Assistant demo: organization "${tenantId}", data in ${dataDir}
  Talk to it:   npm run chat            (you are "local-user", a Global admin)
                npm run chat -- --user demo-priya     (Priya, a Partner admin)   --user demo-wang (a member)
                Bot Framework Emulator: ${base}/api/messages, with your Emulator user id in DEMO_ADMIN_IDS
  Try:          admin · competency status · skills report · requirements · pending users · admins · audit log
                add user sofia@contoso.example · delete account tom@contoso.example · grant partner admin wang.fang@contoso.example
                (also in French and Chinese: "état des compétences", "技能报告", …)
  Admin API:    curl -H "Authorization: Bearer ${apiToken}" ${base}/api/admin/${tenantId}/requirements
  Start over:   stop the demo and delete ${dataDir}
`);

  const stop = async (): Promise<void> => {
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  });
}
