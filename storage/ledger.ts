import { z } from 'zod';
import { LOCALES } from '../locales/locale.js';
import {
  accountKindSchema,
  associationSchema,
  competencyRequirementSchema,
  credentialSchema,
  organizationSchema,
  personSchema,
} from '../rules/index.js';
import { adminCollections } from './collections/admin.js';
import { alertCollections } from './collections/alerts.js';
import type { DocumentStore } from './documentStore.js';
import { openLowdbDocumentStore, type LowdbDocumentStoreOptions } from './lowdbDocumentStore.js';
import { createMemoryDocumentStore } from './memoryDocumentStore.js';
import { instant } from './schemas.js';

const id = z.string().min(1).max(256);

/**
 * The organization's durable records, kept in one file apart from conversation state. Keys: people by
 * `personKey`, the rest by their own id unless said otherwise.
 */
export const ledgerSchemas = {
  /** Organizations a Global admin named; key: the tenant id. Absent until named: people then read "your organization". */
  organizations: organizationSchema,
  /** Partner Center users an admin registered (rule 1), with their role. */
  people: personSchema,
  /** The account a person gave or proved for each kind (one MCID per person, rule 2); key `personKey/kind`. */
  accounts: z.object({
    personId: id,
    tenantId: id,
    kind: accountKindSchema,
    accountId: id,
    /** The learning account's sign-in subject once the person proved it by signing in. */
    subject: z.string().max(512).optional(),
    recordedAt: instant,
  }),
  associations: associationSchema,
  /**
   * Credentials as each organization imported them; key `credentialKey(tenantId, id)`: the same credential imported
   * by two organizations is two records, each with that organization's competencies.
   */
  credentials: credentialSchema,
  requirements: competencyRequirementSchema,
  /** Where the bot can post proactively; key: the Bot Framework conversation id. */
  conversationReferences: z.object({
    tenantId: id,
    personId: id.optional(),
    scope: z.enum(['personal', 'channel', 'groupChat']),
    reference: z.record(z.string(), z.unknown()),
    installedAt: instant,
    deadSince: instant.optional(),
  }),
  /** Card submits and sign-in tickets already acted upon, so a replay does nothing (key: their id). */
  processed: z.object({ kind: z.enum(['card-action', 'sign-in-ticket']), at: instant, expiresAt: instant }),
  /** "Was this helpful?" answers, per topic and language. */
  faqFeedback: z.object({ topic: id, locale: z.enum(LOCALES), helpful: z.boolean(), at: instant }),
  /**
   * "Remind me when I can link again": one per person (key `personKey`), sent in their personal chat once `dueAt`
   * has come, in the language they asked in.
   */
  linkReminders: z.object({
    tenantId: id,
    personId: id,
    dueAt: instant,
    locale: z.enum(LOCALES),
    reference: z.record(z.string(), z.unknown()),
    requestedAt: instant,
  }),
  /** What a person wrote under a 👎, per organization (only its admins read them); key: a time-ordered id. */
  faqComments: z.object({ tenantId: id, topic: id, locale: z.enum(LOCALES), text: z.string().trim().min(1).max(500), at: instant }),
  ...adminCollections,
  ...alertCollections,
};

/** The ledger store type. */
export type Ledger = DocumentStore<typeof ledgerSchemas>;

/** The key of a person in `people` (a work account belongs to one organization). */
export function personKey(tenantId: string, personId: string): string {
  return `${tenantId}/${personId}`;
}

/** The key of a credential in `credentials`: the organization that imported it, then its id. */
export function credentialKey(tenantId: string, credentialId: string): string {
  return `${tenantId}/${credentialId}`;
}

/** Opens the ledger file (embedded default). */
export function openLedger(file: string, options?: LowdbDocumentStoreOptions): Promise<Ledger> {
  return openLowdbDocumentStore(file, ledgerSchemas, options);
}

/** An in-memory ledger for tests. */
export function createMemoryLedger(): Ledger {
  return createMemoryDocumentStore(ledgerSchemas);
}
