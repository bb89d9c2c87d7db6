import restify from 'restify';
import type { Activity, CloudAdapter, TurnContext } from 'botbuilder';
import { activityProblems } from './activitySchema.js';
import { authenticateAndRun } from './edgeAuth.js';
import type { Logger } from '../logger.js';
import { redactText, redactUrl } from './redact.js';
import { parseJson, readBody } from './requestBody.js';

/** Largest request body accepted on /api/messages; Teams caps a message near 100 KB. */
const MAX_BODY_BYTES = 256 * 1024;

/** Time allowed for a request's headers (slow-header clients lose the connection). */
const HEADERS_TIMEOUT_MS = 10_000;
/** Time allowed for a whole request, body included. */
const REQUEST_TIMEOUT_MS = 30_000;

/** What the HTTP layer needs: the adapter, the turn logic and a health probe. */
export interface HttpServerDeps {
  readonly adapter: CloudAdapter;
  readonly logic: (context: TurnContext) => Promise<void>;
  readonly health: () => Promise<Record<string, unknown> & { ok: boolean }>;
  readonly logger: Logger;
  /** Mounts further routes (the sign-in pages) on the server. */
  readonly routes?: (server: restify.Server) => void;
}

/** Builds the restify server with its routes; it does not listen yet. */
export function createHttpServer(deps: HttpServerDeps): restify.Server {
  const server = restify.createServer({ name: 'mcid-link-assistant', handleUncaughtExceptions: false });
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;

  // No restify body parser anywhere: each route reads its own body (bot/requestBody.ts), in memory, bounded.
  server.post('/api/messages', async (req, res) => {
    const read = await readBody(req, res, { limit: MAX_BODY_BYTES, types: ['application/json'] });
    if (!read.ok) return void res.send(read.status, { error: read.error });
    const body = parseJson(read.body);
    if (body === undefined) return void res.send(400, { error: 'the body is not UTF-8 JSON' });
    const problems = activityProblems(body);
    if (problems.length > 0) {
      deps.logger.warn({ problems }, 'refused a malformed activity');
      res.send(400, { error: 'not a Bot Framework activity', problems });
      return;
    }
    const activity = withDates(body as Activity);
    const outcome = await authenticateAndRun(deps.adapter, activity, headerText(req.headers.authorization), deps.logic).catch((error: unknown) => {
      // The turn's own errors are handled by onTurnError; what escapes it is logged in one line, never echoed.
      deps.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'turn failed');
      return undefined;
    });
    if (outcome === undefined) return void res.send(500, { error: 'the turn could not be completed' });
    if (!outcome.ok) {
      deps.logger.warn({ status: outcome.status, reason: outcome.reason }, 'refused an unauthenticated activity');
      if (outcome.status === 401) res.header('WWW-Authenticate', 'Bearer');
      res.send(outcome.status, { error: outcome.status === 401 ? 'not authenticated' : 'authentication is unavailable, try again later' });
      return;
    }
    if (outcome.invoke) res.send(outcome.invoke.status, outcome.invoke.body);
    else res.send(200);
  });

  server.get('/healthz', async (_req, res) => {
    const health = await deps.health();
    res.send(health.ok ? 200 : 503, health);
  });

  deps.routes?.(server);

  server.on('restifyError', (req, _res, err, callback) => {
    // Query strings carry tickets and signatures: never logged, also for URLs restify refuses.
    deps.logger.warn({ method: req.method, url: redactUrl(req.url), status: err.statusCode, err: redactText(err.message) }, 'request refused');
    return callback();
  });
  return server;
}

/** Starts listening and resolves once the port is bound. */
export function listen(server: restify.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
}

/** The SDK's timestamp handling (its `validateAndFixActivity`): JSON dates become Date objects, raw text kept. */
function withDates(activity: Activity): Activity {
  const raw = activity as Activity & Record<string, unknown>;
  for (const [field, rawField] of [
    ['timestamp', 'rawTimestamp'],
    ['expiration', 'rawExpiration'],
    ['localTimestamp', 'rawLocalTimestamp'],
  ] as const) {
    if (typeof raw[field] === 'string') {
      raw[rawField] = raw[field];
      raw[field] = new Date(raw[field] as string);
    }
  }
  return activity;
}

function headerText(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}
