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
import type { DocumentStore, IndexSpecs } from './documentStore.js';
import { openLowdbDocumentStore, type LowdbDocumentStoreOptions } from './lowdbDocumentStore.js';
import { createMemoryDocumentStore } from './memoryDocumentStore.js';
import { instant } from './schemas.js';

const id = z.string().min(1).max(256);

/** The value of an association's derived `active` field while it has not ended. */
export const ACTIVE = 'yes';

/**
 * An association as the ledger stores it: the rules' record, the sign-in that started it, and `active`, derived
 * (never taken from the caller) and present only while the association has not ended, so that the unique indexes
 * over it cover active associations only.
 */
const storedAssociationSchema = associationSchema
  .safeExtend({
    /** The sign-in ticket (its id) whose completion started this association; absent on older associations. */
    confirmation: id.optional(),
  })
  .transform((a): typeof a & { active?: typeof ACTIVE } => (a.end === undefined ? { ...a, active: ACTIVE } : a));

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
  associations: storedAssociationSchema,
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
  /** "Was this helpful?" answers, per topic and language; key: one per person and answer card (services/faq/votes.ts). */
  faqFeedback: z.object({ topic: id, locale: z.enum(LOCALES), helpful: z.boolean(), at: instant }),
  /**
   * The votes of each topic and language, counted: kept with every vote and recounted from the votes by the daily sweep
   * (which also counts votes recorded before these totals existed); key `topic/locale`.
   */
  faqFeedbackTotals: z.object({ topic: id, locale: z.enum(LOCALES), helpful: z.number().int().min(0), notHelpful: z.number().int().min(0) }),
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
    /**
     * Set when a worker took the reminder to send it: no other instance sends it before this instant. If the worker
     * dies before it forgets the reminder, it is due again from then (at-least-once).
     */
    claimedUntil: instant.optional(),
  })
    // `dueDay`, the UTC day a reminder may be sent (its date, or the end of a claim on it), is derived so that the
    // worker finds what is due through an index, day by day, instead of reading every waiting reminder.
    .transform((r): typeof r & { dueDay?: string } => ({ ...r, dueDay: utcDay(r.claimedUntil && r.claimedUntil > r.dueAt ? r.claimedUntil : r.dueAt) })),
  /** What a person wrote under a 👎, per organization (only its admins read them); key: a time-ordered id. */
  faqComments: z.object({ tenantId: id, topic: id, locale: z.enum(LOCALES), text: z.string().trim().min(1).max(500), at: instant }),
  ...adminCollections,
  ...alertCollections,
};

/**
 * The ledger's secondary indexes: every look-up that is not by key goes through one of these, so a person's turn
 * reads what concerns them, however many organizations and people are stored. The unique ones back the "only one"
 * rules (beside those the keys back: one account of a kind per person, one vote per person and answer card, one use
 * of a sign-in ticket or confirmation card).
 */
export const ledgerIndexes = {
  people: {
    byTenant: { fields: ['tenantId'] },
    byTenantRole: { fields: ['tenantId', 'role'] },
  },
  accounts: {
    /** Who gave or proved an account, in every organization. */
    byAccount: { fields: ['kind', 'accountId'] },
    /** The accounts a learning account's sign-in proved (only proven ones have a subject). */
    bySubject: { fields: ['kind', 'subject'] },
    /** A learning account proves an account for one person of an organization. */
    subjectInTenant: { fields: ['tenantId', 'kind', 'subject'], unique: true },
  },
  associations: {
    /** A person's associations (a work account in one organization), ended ones included: their history. */
    byPerson: { fields: ['tenantId', 'personId'] },
    /** An account's associations in every organization (rule 4 follows the MCID). */
    byAccount: { fields: ['kind', 'accountId'] },
    byTenant: { fields: ['tenantId'] },
    /** One organization (and one person) per account at a time (rule 2). */
    activeAccount: { fields: ['kind', 'accountId', 'active'], unique: true },
    /** One active account of a kind per person (rule 2: one MCID per person). */
    activePerson: { fields: ['tenantId', 'personId', 'kind', 'active'], unique: true },
    /** One association start per sign-in confirmation. */
    byConfirmation: { fields: ['confirmation'], unique: true },
  },
  credentials: {
    /** The credentials an organization imported for one account. */
    byAccount: { fields: ['tenantId', 'kind', 'accountId'] },
  },
  requirements: { byTenant: { fields: ['tenantId'] } },
  conversationReferences: {
    /** A person's personal chats (only personal references name a person). */
    byPerson: { fields: ['tenantId', 'personId'] },
  },
  faqComments: { byTenant: { fields: ['tenantId'] } },
  /** The reminders that may be sent on a UTC day (`dueDay`, derived). */
  linkReminders: { byDueDay: { fields: ['dueDay'] } },
  auditLog: { byTenant: { fields: ['tenantId'] } },
  registrations: {
    /** By the lower-cased address an admin gave (`emailKey`, derived). */
    byEmail: { fields: ['tenantId', 'emailKey'] },
  },
  pendingEmails: { byTenant: { fields: ['tenantId'] } },
  alertSubscriptions: {
    byTenant: { fields: ['tenantId'] },
    /** The channels of a team (only channel subscriptions name one). */
    byTeam: { fields: ['teamId'] },
  },
  competencyStates: { byTenant: { fields: ['tenantId'] } },
  alertOutbox: {
    /** The dispatcher's queue (pending, sending) and the sweep's finished rows (sent, dead). */
    byStatus: { fields: ['status'] },
    byConversationStatus: { fields: ['conversationId', 'status'] },
    byTenantStatus: { fields: ['tenantId', 'status'] },
  },
} as const satisfies IndexSpecs<typeof ledgerSchemas>;

/** The UTC day of an instant, `YYYY-MM-DD` (how link reminders are indexed). */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

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

/** Opens the ledger file (embedded default), with the ledger's indexes. */
export function openLedger(file: string, options: Omit<LowdbDocumentStoreOptions<typeof ledgerSchemas>, 'indexes'> = {}): Promise<Ledger> {
  return openLowdbDocumentStore(file, ledgerSchemas, { ...options, indexes: ledgerIndexes });
}

/** An in-memory ledger for tests, with the ledger's indexes. */
export function createMemoryLedger(): Ledger {
  return createMemoryDocumentStore(ledgerSchemas, ledgerIndexes);
}
