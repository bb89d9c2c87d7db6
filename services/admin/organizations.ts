/**
 * Organization names: what people read instead of a tenant id. A Global admin sets the name in chat; until then every
 * card says "your organization" in the reader's language.
 */
import { z } from 'zod';
import type { Ledger } from '../../storage/index.js';
import { stageAudit } from './audit.js';
import type { Actor } from '../actor.js';
import { organizationName } from '../ledgerQueries.js';

/** An organization name as an admin may type it: one line, trimmed, at most 100 characters, with a letter or digit. */
const organizationNameSchema = z
  .string()
  .transform((text) => text.replace(/\s+/g, ' ').trim())
  .pipe(z.string().min(1).max(100).regex(/[\p{L}\p{N}]/u, 'needs a letter or a digit'));

/** The outcome of a rename. */
export type RenameOutcome = { kind: 'renamed'; name: string } | { kind: 'unchanged'; name: string } | { kind: 'invalid' };

/** Reads and sets organization names. */
export class OrganizationService {
  constructor(private readonly deps: { readonly ledger: Ledger; readonly clock: () => Date }) {}

  /** The organization's name, or undefined until a Global admin set one. */
  async name(tenantId: string): Promise<string | undefined> {
    return organizationName(this.deps.ledger, tenantId);
  }

  /** Sets the organization's name (the caller checked the speaker's Global admin role), audited with the change. */
  async rename(actor: Actor, typed: string): Promise<RenameOutcome> {
    const parsed = organizationNameSchema.safeParse(typed);
    if (!parsed.success) return { kind: 'invalid' };
    const name = parsed.data;
    const now = this.deps.clock();
    return this.deps.ledger.transact(async (tx): Promise<RenameOutcome> => {
      const previous = (await tx.get('organizations', actor.tenantId))?.name;
      const unchanged = previous === name;
      if (!unchanged) tx.put('organizations', actor.tenantId, { tenantId: actor.tenantId, name });
      stageAudit(
        tx,
        { tenantId: actor.tenantId, actorId: actor.personId, actorName: actor.displayName, action: 'organization.rename', target: name, outcome: unchanged ? 'unchanged' : 'done' },
        now,
      );
      return unchanged ? { kind: 'unchanged', name } : { kind: 'renamed', name };
    });
  }
}
