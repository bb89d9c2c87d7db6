import restify from 'restify';
import type { CloudAdapter, TurnContext } from 'botbuilder';
import { activityProblems } from './activitySchema.js';
import type { Logger } from './logger.js';

/** Largest request body accepted on /api/messages; Teams caps a message near 100 KB. */
export const MAX_BODY_BYTES = 256 * 1024;

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
  // The parser belongs to /api/messages alone: routes that take other bodies (the admin endpoint) authenticate the
  // caller first in their own chain and then read their body themselves, with their own limits.
  const bodyParser = restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: true });

  server.post('/api/messages', bodyParser, async (req, res) => {
    if (!req.is('json')) {
      res.send(415, { error: 'Content-Type must be application/json' });
      return;
    }
    const problems = activityProblems(req.body);
    if (problems.length > 0) {
      deps.logger.warn({ problems }, 'refused a malformed activity');
      res.send(400, { error: 'not a Bot Framework activity', problems });
      return;
    }
    await deps.adapter.process(req, res, deps.logic);
  });

  server.get('/healthz', async (_req, res) => {
    const health = await deps.health();
    res.send(health.ok ? 200 : 503, health);
  });

  deps.routes?.(server);

  server.on('restifyError', (req, _res, err, callback) => {
    deps.logger.warn({ method: req.method, url: req.url, status: err.statusCode, err: err.message }, 'request refused');
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
