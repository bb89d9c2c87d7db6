/**
 * Look-ups several use cases share, each through a declared index of the ledger (storage/ledger.ts), so that what
 * they cost follows what concerns one person, account or organization, not everything stored.
 */
import type { AccountKind, Association, CompetencyRequirement, Credential } from '../rules/index.js';
import { personKey, type Keyed, type ReadView, type ledgerSchemas } from '../storage/index.js';
import type { PersonRef } from './actor.js';

/** A transaction, or the store itself. */
type LedgerReader = ReadView<typeof ledgerSchemas>;

/** The records of index results. */
export function records<T>(found: readonly Keyed<T>[]): T[] {
  return found.map((k) => k.record);
}

/** Every association of a person (a work account in one organization), ended ones included: their history. */
export async function personHistory(tx: LedgerReader, person: PersonRef): Promise<Association[]> {
  return records(await tx.findBy('associations', 'byPerson', [person.tenantId, person.personId]));
}

/** Every association of an account, in every organization: what rule 4 counts. */
export async function accountHistory(tx: LedgerReader, kind: AccountKind, accountId: string): Promise<Association[]> {
  return records(await tx.findBy('associations', 'byAccount', [kind, accountId]));
}

/**
 * The part of the history the association rules read for a link request: the account's associations (its current
 * link and its starts) and the person's (their other accounts), each once.
 */
export async function historyFor(
  tx: LedgerReader,
  person: { readonly tenantId: string; readonly personId: string },
  kind: AccountKind,
  accountId: string,
): Promise<Association[]> {
  const byId = new Map<string, Association>();
  for (const a of await accountHistory(tx, kind, accountId)) byId.set(a.id, a);
  for (const a of await personHistory(tx, person)) byId.set(a.id, a);
  return [...byId.values()];
}

/**
 * What an organization's competencies are evaluated from: its requirements, its associations (ended ones too: their
 * credit may still count), and the credentials it imported for those accounts (never another organization's).
 */
export async function organizationInputs(
  reader: LedgerReader,
  tenantId: string,
): Promise<{ requirements: CompetencyRequirement[]; associations: Association[]; credentials: Credential[] }> {
  const requirements = records(await reader.findBy('requirements', 'byTenant', [tenantId]));
  const associations = records(await reader.findBy('associations', 'byTenant', [tenantId]));
  const accounts = new Map(associations.map((a) => [`${a.kind}\u0000${a.accountId}`, a]));
  const credentials: Credential[] = [];
  for (const a of accounts.values()) credentials.push(...records(await reader.findBy('credentials', 'byAccount', [tenantId, a.kind, a.accountId])));
  return { requirements, associations, credentials };
}

/** A person's stored display name (the people record's), if any. */
export async function personName(tx: LedgerReader, person: PersonRef): Promise<string | undefined> {
  return (await tx.get('people', personKey(person.tenantId, person.personId)))?.displayName;
}

/** An organization's stored name, if a Global admin set one. */
export async function organizationName(tx: LedgerReader, tenantId: string): Promise<string | undefined> {
  return (await tx.get('organizations', tenantId))?.name;
}
