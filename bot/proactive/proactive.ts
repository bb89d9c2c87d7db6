import http from 'node:http';
import https from 'node:https';
import { TurnContext, type Activity, type BotAdapter, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { NoticeSender } from '../../dialogs/noticeSender.js';
import { conversationIdOf, isOutsideTeams, personIdOf, referenceOf, scopeOf, teamChannelOf, tenantOf } from '../../dialogs/teams/activity.js';
import type { InstalledConversation } from '../../services/outbox/conversationReferences.js';
import type { DeliveryTarget, ProactiveSender, SendResult } from '../../services/outbox/dispatcher.js';
import type { Logger } from '../logger.js';

/** The part of the SDK's connector credentials we use: they add the bot's bearer token to a request (or nothing, unauthenticated). */
interface SigningCredentials {
  signRequest(resource: { headers?: { get(name: string): string | undefined } }): Promise<unknown>;
}

/** Options of the proactive sender. */
export interface CloudProactiveSenderOptions {
  /** The bot's app id; undefined: unauthenticated (local development, tests). */
  readonly appId?: string;
  /** How long to wait for the connector's answer before counting the attempt as failed (and retrying it). */
  readonly timeoutMs?: number;
}

/**
 * Sends proactive activities through the adapter's proactive API (`continueConversationAsync`, which builds the
 * connector client and its credentials), but makes the one HTTP request itself: the SDK's connector client retries a
 * 429 or 5xx several times inside one send (about 4 to 11 seconds), which would hide Retry-After and statuses from the
 * dispatcher that owns retries, back-off and rate limits.
 */
export class CloudProactiveSender implements ProactiveSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly options: CloudProactiveSenderOptions = {},
  ) {}

  async send(target: DeliveryTarget, activity: Record<string, unknown>, gate: () => Promise<void>): Promise<SendResult> {
    const reference = target.reference as Partial<ConversationReference>;
    const serviceUrl = reference.serviceUrl;
    if (!serviceUrl) return { verdict: 'rejected', error: 'reference has no serviceUrl' };
    let result: SendResult = { verdict: 'retry', error: 'not sent' };
    try {
      await this.adapter.continueConversationAsync(this.options.appId ?? '', reference, async (context) => {
        // Nothing may throw in here: the adapter would hand the error to onTurnError, which clears that
        // conversation's dialog state. Failures become a result the dispatcher retries.
        try {
          // The SDK types the client loosely (turnState is a Map); we read only its public `credentials`.
          const client = context.turnState.get(context.adapter.ConnectorClientKey) as { credentials?: SigningCredentials } | undefined;
          const resource: { headers?: { get(name: string): string | undefined } } = {};
          await client?.credentials?.signRequest(resource);
          const authorization = resource.headers?.get('authorization');
          const outgoing = TurnContext.applyConversationReference({ ...activity }, reference);
          delete outgoing.replyToId; // a new message in the conversation, not a reply in a thread
          delete outgoing.id;
          await gate();
          const url = `${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(target.conversationId)}/activities`;
          result = await postActivity(url, outgoing, authorization, this.options.timeoutMs ?? 15_000);
        } catch (error) {
          result = { verdict: 'retry', error: `before sending: ${String(error)}`.slice(0, 200) };
        }
      });
    } catch (error) {
      result = { verdict: 'retry', error: `proactive turn: ${String(error)}`.slice(0, 200) };
    }
    return result;
  }
}

/** The most of a connector's answer that is read (its activity id, or an error): more is drained unread. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * One POST to the Bot Connector; never throws. Made with node's http client over its keep-alive agents rather than
 * fetch: a fan-out makes 50 of these a second per organization, and fetch's streams, abort signals and promise chains
 * cost several times the CPU and garbage of the request itself (the longest pauses of a 10,000-card fan-out were its).
 */
function postActivity(url: string, activity: object, authorization: string | undefined, timeoutMs: number): Promise<SendResult> {
  const body = Buffer.from(JSON.stringify(activity), 'utf8');
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const deadline: { timer?: NodeJS.Timeout } = {};
    const settle = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline.timer);
      resolve(result);
    };
    const failed = (error: unknown): void => settle({ verdict: 'retry', error: (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 200) });
    let outgoing: http.ClientRequest;
    try {
      const target = new URL(url);
      outgoing = (target.protocol === 'https:' ? https.request : http.request)(
        target,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length, ...(authorization ? { authorization } : {}) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
          });
          response.on('error', failed);
          response.on('close', () => {
            if (!response.complete) failed(new Error('the answer was cut short'));
          });
          response.on('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              const id = size <= MAX_ANSWER_BYTES ? activityIdOf(Buffer.concat(chunks).toString('utf8')) : undefined;
              settle(id ? { verdict: 'sent', activityId: id } : { verdict: 'sent' });
            } else {
              const retryAfter = response.headers['retry-after'];
              settle(verdictOf(status, parseRetryAfter(typeof retryAfter === 'string' ? retryAfter : null)));
            }
          });
        },
      );
    } catch (error) {
      // A URL or a header node refuses (a token with a line break): nothing was sent.
      failed(error);
      return;
    }
    deadline.timer = setTimeout(() => outgoing.destroy(new TimeoutError(`no answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('error', failed);
    outgoing.end(body);
  });
}

/** A request the connector did not answer in time. */
class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** The new activity's id in the connector's answer (`{"id": "…"}`), if it has one. */
function activityIdOf(text: string): string | undefined {
  try {
    const id = (JSON.parse(text) as { id?: unknown } | null)?.id;
    return typeof id === 'string' && id !== '' ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Statuses worth another attempt: timeout, precondition (Teams asks to retry 412), server errors, and 401 (a token being renewed). */
const RETRYABLE = new Set([401, 408, 412, 500, 502, 503, 504]);
/** The conversation is gone, or the bot is blocked or removed there: never retried. */
const GONE = new Set([403, 404]);

/**
 * What a failed connector answer means for the outbox (services/outbox/dispatcher.ts acts on this, never on statuses): 429 is
 * `throttled` (Retry-After kept), 403/404 `gone`, 401/408/412/5xx `retry` (Retry-After kept when given), any other
 * status `rejected` (this activity will not be accepted however often it is sent).
 */
export function verdictOf(status: number, retryAfterMs?: number): SendResult {
  const error = `HTTP ${status}`;
  const after = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 429) return { verdict: 'throttled', ...after, error };
  if (GONE.has(status)) return { verdict: 'gone', error };
  if (RETRYABLE.has(status)) return { verdict: 'retry', ...after, error };
  return { verdict: 'rejected', error };
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Where an install or uninstall event happened, read from the activity (Teams or another channel). */
export function installedConversationOf(activity: Partial<Activity>, defaultTenantId: string, teamsOnly = false): InstalledConversation | undefined {
  const conversationId = conversationIdOf(activity);
  if (!conversationId) return undefined;
  // An authenticated bot posts proactively into Teams conversations only (elsewhere `from.id` is the client's choice).
  if (isOutsideTeams(activity, teamsOnly)) return undefined;
  const tenantId = tenantOf(activity, defaultTenantId);
  if (!tenantId) return undefined;
  const scope = scopeOf(activity);
  const personId = scope === 'personal' ? personIdOf(activity) : undefined;
  const { teamId } = teamChannelOf(activity);
  return {
    conversationId,
    tenantId,
    scope,
    ...(personId ? { personId } : {}),
    ...(teamId ? { teamId } : {}),
    reference: referenceOf(activity),
  };
}

/** Sends proactively through the adapter (`continueConversationAsync`); false when the conversation is gone. */
export function adapterProactiveSender(adapter: Pick<BotAdapter, 'continueConversationAsync'>, appId: string | undefined, logger: Logger): NoticeSender {
  return {
    async send(reference, activity) {
      try {
        await adapter.continueConversationAsync(appId ?? '', reference as Partial<ConversationReference>, async (context) => {
          await context.sendActivity(activity);
        });
        return true;
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'proactive message failed');
        return false;
      }
    },
  };
}
