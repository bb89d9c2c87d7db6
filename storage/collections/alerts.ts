import { z } from 'zod';
import { LOCALES } from '../../locales/locale.js';
import type { CollectionSchemas } from '../documentStore.js';
import { instant } from '../schemas.js';

const id = z.string().min(1).max(512);
const locale = z.enum(LOCALES);
const status = z.enum(['met', 'at-risk', 'not-met']);

/** Who did something (acknowledged, subscribed), with the name shown on cards. */
const actor = z.object({ personId: id, name: z.string().max(200), at: instant });

/** A person named on an alert card: the credentials that counted and what happens to them. */
const involvedPerson = z.object({
  personId: id,
  name: z.string().max(200),
  credentials: z.array(z.object({ id, code: z.string().max(50), title: z.string().max(300) })).max(50),
  /** `stops`: will stop counting at `at`; `stopped`: counted at the previous evaluation and no longer does. */
  change: z.enum(['stops', 'stopped']),
  at: instant.optional(),
  reason: z.enum(['association-ended', 'credential-expires']).optional(),
  endReason: z.enum(['unlinked', 'moved', 'account-deleted']).optional(),
});

/** What a row of the outbox carries: an alert, or a notice rendered when it was enqueued. */
export const outboxKind = z.enum(['alert', 'sign-in-outcome', 'admin-reminder', 'private-view', 'link-reminder']);

/** What made the organization be re-evaluated. */
export const changeCauseSchema = z.enum([
  'unlink',
  'link',
  'move',
  'account-deleted',
  'credential-import',
  'credential-expiry',
  'requirement-change',
  'people-change',
  'daily-sweep',
]);

/** Ledger collections of competency alerts: subscriptions, last evaluated states, alerts, the delivery outbox, the sweep. */
export const alertCollections = {
  /** Conversations an admin subscribed to the organization's alerts; key: the Bot Framework conversation id. */
  alertSubscriptions: z.object({
    tenantId: id,
    scope: z.enum(['personal', 'channel', 'groupChat']),
    /** The Teams team (`channelData.team.id`) of a channel, so removing the app from the team removes its channels. */
    teamId: id.optional(),
    name: z.string().max(200).optional(),
    /** The team of a channel, so that two teams' "General" channels can be told apart. */
    teamName: z.string().max(200).optional(),
    /** The language the alert cards of this conversation are written in (the subscribing admin's). */
    locale,
    subscribedBy: actor,
  }),
  /** The last evaluation of each requirement; key `tenantId/requirementId`. The next evaluation is compared with it. */
  competencyStates: z.object({
    tenantId: id,
    requirementId: id,
    status,
    changesAt: instant.nullable(),
    competency: z.string().max(200),
    required: z.number().int(),
    current: z.number().int(),
    lowest: z.number().int(),
    after: z.number().int(),
    counting: z.array(z.object({ personId: id, credentialIds: z.array(id) })),
    /** How many alerts (and all-clears) this requirement has raised; the next one's id derives from it. */
    seq: z.number().int().min(0),
    evaluatedAt: instant,
  }),
  /** Alerts raised, with what their cards show; key: the alert id (deterministic from tenant, requirement and seq). */
  alerts: z.object({
    tenantId: id,
    requirementId: id,
    seq: z.number().int().min(1),
    kind: z.enum(['at-risk', 'not-met', 'all-clear']),
    from: status.nullable(),
    cause: changeCauseSchema,
    createdAt: instant,
    competency: z.string().max(200),
    required: z.number().int(),
    current: z.number().int(),
    lowest: z.number().int(),
    /** When the status takes (or took) effect. */
    effectiveAt: instant,
    involved: z.array(involvedPerson).max(100),
    /** People involved beyond those listed. */
    moreInvolved: z.number().int().min(0),
  }),
  /**
   * The one outbox of everything the bot sends on its own: one delivery of one message to one conversation. Kind
   * `alert` (key `alertId|conversationId`) is rendered at delivery from `alerts` in the row's language; the other kinds
   * carry the activity rendered when they were enqueued (`activity`), and `alertId` is then the notice's own id (its
   * key `kind|id`, so a notice enqueued twice is stored once). The dispatcher (services/outbox/dispatcher.ts) delivers all
   * kinds alike, under one per-tenant lease and one set of rate windows.
   */
  alertOutbox: z.object({
    kind: outboxKind.default('alert'),
    alertId: id,
    tenantId: id,
    conversationId: id,
    locale,
    status: z.enum(['pending', 'sending', 'sent', 'dead', 'failed']),
    attempts: z.number().int().min(0),
    /** Earliest next attempt, in milliseconds of the dispatcher's timer (epoch ms in production). */
    nextAttemptAt: z.number(),
    createdAt: instant,
    /** The order of deliveries within one conversation. */
    order: z.number().int(),
    activityId: z.string().max(512).optional(),
    sentAt: instant.optional(),
    /** The last failure: an HTTP status or a short transport error. */
    lastError: z.string().max(200).optional(),
    /** Times the process stopped while this row was being sent (it was sent again: at-least-once). */
    interrupted: z.number().int().min(0).default(0),
    acknowledged: actor.optional(),
    /** The message to send, for kinds other than `alert` (an Activity's JSON: type, text, attachments). */
    activity: z.record(z.string(), z.unknown()).optional(),
    /**
     * Where to send it when the conversation is not one the bot stored at install (the sign-in's chat, from its
     * ticket); otherwise the stored reference of `conversationId` is used.
     */
    reference: z.record(z.string(), z.unknown()).optional(),
    /**
     * A notice's word to whoever asked for it (an admin's reminder, a private view) if it cannot be delivered: posted
     * into their conversation when the row ends dead or failed, so that an answer like "reminded" is not silently wrong.
     */
    undelivered: z.object({ conversationId: id, locale, activity: z.record(z.string(), z.unknown()) }).optional(),
  }),
  /**
   * The daily sweep's bookkeeping; key `daily`. `lastRunAt`: when the last sweep that finished started. An instance
   * runs a due sweep only if its transaction set `runningUntil` (a claim no other instance holds), and moves
   * `lastRunAt` forward only when the sweep finished: a sweep interrupted by a crash is run again by any instance once
   * the claim has run out, so a crash never skips a day.
   */
  alertSweeps: z.object({ lastRunAt: instant, runningUntil: instant.optional() }),
  /**
   * Who sends an organization's outbox rows now; key: the tenant id. One instance at a time holds a tenant's lease, so
   * the tenant's rate windows are counted in one place. `until` is in the dispatcher's timer milliseconds (epoch ms in
   * production); a lease past it is free for any instance to take (its holder stopped or died).
   */
  senderLeases: z.object({ owner: id, until: z.number() }),
  /**
   * An organization whose competency picture may have changed and is not re-evaluated yet; key: the tenant id (one
   * pending re-evaluation per organization, with the latest cause). Written in the transaction of the change itself,
   * deleted in the transaction of the re-evaluation, so a crash between the two only delays the alert.
   */
  organizationEvents: z.object({ tenantId: id, cause: changeCauseSchema, at: instant }),
} satisfies CollectionSchemas;
