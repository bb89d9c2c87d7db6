import { z } from 'zod';
import type { CollectionSchemas } from '../documentStore.js';
import { instant } from '../schemas.js';

const id = z.string().min(1).max(256);
const text = z.string().trim().min(1).max(300);

/** What an admin action was, for the audit log. */
const auditActionSchema = z.enum([
  'role.grant',
  'role.remove',
  'user.add',
  'user.remind',
  'account.delete',
  'credentials.import',
  'requirement.set',
  'requirement.delete',
  'status.view',
  'report.view',
  'report.download',
  'audit.view',
  'users.list',
  'menu.view',
  'roles.view',
  'requirements.view',
  'organization.rename',
  'faq-feedback.view',
]);

/** Ledger collections of the admin workspace: audit log, registration details, requirement names, imports. */
export const adminCollections = {
  /** Every admin action (who, what, when, outcome); key: a time-ordered id. */
  auditLog: z.object({
    tenantId: id,
    at: instant,
    /** The Teams object id of the admin, or `cli` / `api` for the command line and the HTTP endpoint. */
    actorId: id,
    actorName: text.optional(),
    action: auditActionSchema,
    /** The person, requirement or file the action was about. */
    target: z.string().max(300).optional(),
    outcome: z.enum(['done', 'refused', 'rejected', 'unchanged', 'not-found']),
    detail: z.record(z.string(), z.union([z.string().max(300), z.number()])).optional(),
  }),
  /**
   * A deletion an admin was asked to confirm; key: the nonce on the confirmation card. Confirming consumes it, and it
   * expires, so an old card can never delete anyone (not even a person registered again later).
   */
  pendingDeletions: z.object({ tenantId: id, personId: id, requestedBy: id, expiresAt: instant }),
  /** How and when an admin added a Partner Center user; key: `personKey`. */
  registrations: z
    .object({
      tenantId: id,
      personId: id,
      email: z.string().max(320).optional(),
      addedBy: id,
      addedAt: instant,
      remindedAt: instant.optional(),
      /** Kept after the work account is deleted, so admins still see who a pending removal is about. */
      displayName: z.string().trim().min(1).max(200).optional(),
      deletedAt: instant.optional(),
    })
    // `emailKey`, the address in lower case, is derived (never taken from the caller) so that it can be indexed.
    .transform((r): typeof r & { emailKey?: string } => (r.email === undefined ? r : { ...r, emailKey: r.email.toLowerCase() })),
  /**
   * A person an admin registered by e-mail address (or UPN) before the bot ever saw them; key: `tenantId/address`
   * (lower case). The person is recognised by that address on their first message to the bot, then becomes a
   * registered Partner Center user with `role`, and this record is removed.
   */
  pendingEmails: z.object({
    tenantId: id,
    email: z.string().min(3).max(320),
    role: z.enum(['global-admin', 'partner-admin', 'account-admin', 'member']),
    addedBy: id,
    addedAt: instant,
  }),
  /** A competency requirement's name in each language; key: the requirement id. */
  requirementNames: z.object({
    tenantId: id,
    names: z.object({ en: text.optional(), 'zh-CN': text.optional(), fr: text.optional() }),
  }),
  /** Files of certification data imported, by content hash; key: `tenantId/sha256`. */
  imports: z.object({
    tenantId: id,
    at: instant,
    actorId: id,
    rows: z.number().int().min(0),
    credentials: z.number().int().min(0),
    created: z.number().int().min(0),
    updated: z.number().int().min(0),
  }),
} satisfies CollectionSchemas;
