/**
 * Authentication of /api/messages at our edge. `CloudAdapter.process` answers 500 with the internal error text (and
 * prints the stack) for every token problem that is not an `AuthenticationError` (bad signature with a known key,
 * `alg: none`, HS256, a future `nbf`, a payload that is not JSON, no reachable key set). Here the request is
 * authenticated first, every failure becomes 401 (503 with a fixed body when the key set cannot be fetched) with
 * one log line, and only an authenticated activity reaches the adapter's turn pipeline.
 */
import type { Activity, CloudAdapter, InvokeResponse, TurnContext } from 'botbuilder';

/** The adapter's authentication, as `CloudAdapterBase` keeps it (a protected member of the SDK class). */
interface AuthenticatingAdapter {
  readonly botFrameworkAuthentication: { authenticateRequest(activity: Activity, authHeader: string): Promise<unknown> };
  processActivity(result: unknown, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined>;
}

/** Why a request could not be authenticated. */
type AuthFailure = { readonly status: 401 | 503; readonly reason: string };

/** The outcome of authenticating and running one activity. */
export type EdgeOutcome = { readonly ok: true; readonly invoke?: InvokeResponse } | ({ readonly ok: false } & AuthFailure);

/**
 * Authenticates an activity with the adapter's own configuration (no credentials configured: every request passes,
 * as the SDK does) and, only when that succeeds, runs the turn. Errors of the turn itself are not caught here.
 */
export async function authenticateAndRun(
  adapter: CloudAdapter,
  activity: Activity,
  authHeader: string,
  logic: (context: TurnContext) => Promise<void>,
): Promise<EdgeOutcome> {
  const sdk = adapter as unknown as AuthenticatingAdapter;
  const shape = authHeader.trim() === '' ? undefined : tokenShapeProblem(authHeader, Date.now());
  if (shape) return { ok: false, status: 401, reason: shape };
  let result: unknown;
  try {
    result = await sdk.botFrameworkAuthentication.authenticateRequest(activity, authHeader);
  } catch (error) {
    return { ok: false, ...classifyAuthFailure(error) };
  }
  return { ok: true, invoke: await sdk.processActivity(result, activity, logic) };
}

/** What the SDK accepts (its AllowedSigningAlgorithms), and its clock tolerance. */
const ALGORITHMS = new Set(['RS256', 'RS384', 'RS512']);
const CLOCK_TOLERANCE_S = 300;

/**
 * Refuses, before the SDK reads it, a header that cannot hold a valid Bot Framework token: not `Bearer` and three
 * base64url parts, a header or payload that is not a JSON object, an algorithm other than RS256/384/512, no key id,
 * an expiry passed or a not-before in the future. The SDK would refuse these too, but prints stack traces and the
 * key set to the console while doing it. Returns the reason, or undefined when the token is worth verifying.
 */
function tokenShapeProblem(authHeader: string, nowMs: number): string | undefined {
  const token = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/.exec(authHeader.trim())?.[1];
  if (!token || token.length > 16_384) return 'malformed';
  const [header, payload] = token.split('.').slice(0, 2).map(decodePart);
  if (!header || !payload) return 'malformed';
  if (typeof header.alg !== 'string' || !ALGORITHMS.has(header.alg)) return 'algorithm';
  if (typeof header.kid !== 'string') return 'malformed';
  const now = nowMs / 1000;
  if (typeof payload.exp !== 'number' || payload.exp + CLOCK_TOLERANCE_S <= now) return 'expired';
  if (payload.nbf !== undefined && (typeof payload.nbf !== 'number' || payload.nbf - CLOCK_TOLERANCE_S > now)) return 'not-yet-valid';
  return undefined;
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(part, 'base64url'))) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The SDK prints the whole key set (and, for other failures, stacks) with console.error when a signature does not
 * verify; the refusal is logged once by our edge instead. Only that message is dropped; nothing else in this
 * process writes to the console.
 */
// eslint-disable-next-line no-console -- the one place that wraps the SDK's console output
const consoleError = console.error.bind(console);
// eslint-disable-next-line no-console -- see above
console.error = (...args: unknown[]): void => {
  if (typeof args[0] === 'string' && args[0].startsWith('Error finding key for token')) return;
  consoleError(...args);
};

/**
 * 503 when the signing keys could not be fetched (the SDK's "Failed to load" errors, network errors of its fetch),
 * 401 for everything else: a request we cannot authenticate is never the server's fault. The reason is a short,
 * fixed word for the log, never the token or the SDK's message.
 */
function classifyAuthFailure(error: unknown): AuthFailure {
  const text = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : '';
  if (/^Failed to load (openID config|Keys)/.test(text) || name === 'FetchError' || /fetch failed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/.test(text)) {
    return { status: 503, reason: 'key-set-unreachable' };
  }
  if (/expired/i.test(text)) return { status: 401, reason: 'expired' };
  if (/not in allowed list|algorithm/i.test(text)) return { status: 401, reason: 'algorithm' };
  if (/signature/i.test(text)) return { status: 401, reason: 'signature' };
  if (/Unauthorized Access|no Authorization|missing/i.test(text)) return { status: 401, reason: 'missing' };
  return { status: 401, reason: 'invalid' };
}
