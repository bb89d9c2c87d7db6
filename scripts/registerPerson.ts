/**
 * Registers a person as a Partner Center user of an organization in the local ledger, for trying the link flow
 * before the admin commands exist: `npx tsx scripts/registerPerson.ts --person local-user` (stop the bot first:
 * the ledger file is locked while it runs). Outside Teams the person id is the channel's user id and the
 * organization is DEFAULT_TENANT_ID.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bot/config.js';
import { roleSchema } from '../rules/index.js';
import { openLedger, personKey } from '../storage/index.js';

const config = loadConfig(process.env);
const { values: args } = parseArgs({
  options: {
    person: { type: 'string', default: 'local-user' },
    tenant: { type: 'string', default: config.defaultTenantId },
    name: { type: 'string', default: 'Local User' },
    role: { type: 'string', default: 'member' },
  },
});

const ledger = await openLedger(path.join(config.dataDir, 'ledger.json'));
try {
  const person = { id: args.person, tenantId: args.tenant, displayName: args.name, role: roleSchema.parse(args.role) };
  await ledger.transact((tx) => tx.put('people', personKey(person.tenantId, person.id), person));
  console.log(`Registered ${person.id} in ${person.tenantId} (${config.dataDir}).`);
} finally {
  await ledger.close();
}
