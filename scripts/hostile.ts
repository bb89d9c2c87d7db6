/**
 * The hostile-input suite against a running bot: `npm run hostile -- --url http://127.0.0.1:3978`.
 * Runs every case of test/hostile/cases.ts over HTTP, then checks after each that a normal turn still works and,
 * with `--data-dir`, that a refused request wrote nothing. `--admin-token` adds the cases that need the admin token;
 * `--only` picks cases by a part of their name, `--skip a|b` leaves out cases naming a or b.
 * Replies are asked for in the response (expectReplies), so nothing has to listen at the activities' serviceUrl.
 * Exit code 1 when any case fails.
 */
import { parseArgs } from 'node:util';
import { ALL_CASES, assertAlive, assertNothingWritten, snapshot, type HostileTarget } from '../test/hostile/cases.js';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3978' },
    'data-dir': { type: 'string' },
    'admin-token': { type: 'string' },
    tenant: { type: 'string', default: 'local-tenant' },
    only: { type: 'string' },
    skip: { type: 'string' },
  },
});

async function main(): Promise<number> {
  const baseUrl = new URL(args.url!).origin;
  const target: HostileTarget = { baseUrl, serviceUrl: 'http://127.0.0.1:9/', adminToken: args['admin-token'], tenantId: args.tenant };
  const dataDir = args['data-dir'];
  await assertAlive(target).catch((error: unknown) => {
    throw new Error(`the bot at ${baseUrl} does not answer a normal turn: ${(error as Error).message}`);
  });
  let failed = 0;
  let ran = 0;
  for (const hostile of ALL_CASES) {
    if (args.only && !hostile.name.includes(args.only)) continue;
    if (args.skip && args.skip.split('|').some((part) => hostile.name.includes(part))) continue;
    if (hostile.admin && !target.adminToken) {
      process.stdout.write(`-    ${hostile.name} (skipped: no --admin-token)\n`);
      continue;
    }
    ran += 1;
    const started = Date.now();
    try {
      const before = await snapshot(dataDir);
      await hostile.run(target);
      if (!hostile.writes && dataDir) await assertNothingWritten(before, dataDir, hostile.name);
      await assertAlive(target);
      process.stdout.write(`ok   ${hostile.name} (${Date.now() - started} ms)\n`);
    } catch (error) {
      failed += 1;
      process.stdout.write(`FAIL ${hostile.name}: ${(error as Error).message.split('\n')[0]}\n`);
    }
  }
  process.stdout.write(`\n${ran - failed} of ${ran} cases passed${dataDir ? '' : ' (give --data-dir to also check that nothing was written)'}.\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  },
);
