/**
 * The admin HTTP endpoint and the skills-report download. The endpoint (`/api/admin/:tenant/...`) takes a bearer
 * token from configuration (`ADMIN_API_TOKEN`; no token: the endpoint answers 404), checked first in each route's own
 * handler chain (after routing, so however the URL is spelled), and then reads its own bodies in memory (CSV up to the
 * import limit, JSON up to 1 MB, identity encoding only). Wrong tokens are limited per address (429 past the limit). The CSV download (`/api/reports/:tenant/skills.csv`)
 * needs no token: its link is signed for one organization and expires.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import { z } from 'zod';
import type { AdminServices } from '../../services/admin/services.js';
import { MAX_IMPORT_BYTES } from '../../services/admin/importFile.js';
import { requirementSetSchema } from '../../services/admin/requirements.js';
import type { Locale } from '../../locales/locale.js';
import { matchSupportedLocale } from '../../locales/resolveLocale.js';
import type { Translate } from '../../locales/translate.js';
import { browserLocale, htmlPage, paragraphs, sendHtml } from '../http/pages.js';
import { ADMIN_TOKEN_FAILURE_WINDOWS, AttemptLimiter, clientAddress } from '../http/attemptLimits.js';
import type { Logger } from '../logger.js';
import { parseJson, readBody } from '../http/requestBody.js';

/** Largest JSON body on the admin endpoint. */
const MAX_ADMIN_JSON_BYTES = 1024 * 1024;

const tenantSchema = z.string().regex(/^[\w.-]{1,128}$/, 'is not a tenant id');
const requirementIdSchema = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(64);

/** What the routes need. */
export interface AdminRoutesDeps {
  readonly admin: AdminServices;
  readonly apiToken?: string;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** The translator of a language: a refused report link is explained in the reader's language. */
  readonly translate: (locale: Locale) => Translate;
  /** Counts wrong tokens per address (default: ADMIN_TOKEN_FAILURE_WINDOWS on the process clock). */
  readonly tokenFailures?: AttemptLimiter;
}

const BODY = Symbol('adminBody');
type WithBody = restify.Request & { [BODY]?: Buffer };

/** Mounts the admin endpoint and the report download on a server (before it listens). */
export function mountAdminRoutes(server: restify.Server, deps: AdminRoutesDeps): void {
  const tokenDigest = deps.apiToken ? sha256(deps.apiToken) : undefined;
  const failures = deps.tokenFailures ?? new AttemptLimiter(ADMIN_TOKEN_FAILURE_WINDOWS);
  /**
   * The first handler of every admin route: the router has matched the path (percent-escapes decoded, absolute-form
   * targets reduced to their path), so no spelling of the URL can reach an admin handler without passing here.
   * No token configured: 404. Runs before any byte of the body is read.
   */
  const requireToken: restify.RequestHandler = (req, res, next) => {
    if (!tokenDigest) {
      res.send(404, { error: 'the admin endpoint is disabled (set ADMIN_API_TOKEN)' });
      return next(false);
    }
    const address = clientAddress(req);
    const tooMany = (wait: number): void => {
      res.header('Retry-After', String(Math.ceil(wait / 1000)));
      res.send(429, { error: 'too many failed attempts; try again later' });
      next(false);
    };
    // An address over its limit is refused before its token is even compared.
    const wait = failures.retryAfter(address);
    if (wait > 0) return tooMany(wait);
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    // Both sides are SHA-256 digests: equal lengths, compared in constant time.
    if (!given || !timingSafeEqual(sha256(given), tokenDigest)) {
      const over = failures.attempt(address);
      if (over > 0) return tooMany(over);
      deps.logger.warn({ address }, 'admin endpoint: wrong or missing token');
      res.header('WWW-Authenticate', 'Bearer');
      res.send(401, { error: 'a valid bearer token is required' });
      return next(false);
    }
    return next();
  };

  /** Reads the body of an authenticated POST or PUT, in memory: CSV up to the import limit, JSON up to its own. */
  const readBodyOf =
    (type: 'text/csv' | 'application/json'): restify.RequestHandler =>
    (req: WithBody, res, next) => {
      // restify refuses async handlers that take `next`: the promise is followed by hand.
      void readBody(req, res, { limit: type === 'text/csv' ? MAX_IMPORT_BYTES : MAX_ADMIN_JSON_BYTES, types: [type] }).then((read) => {
        if (!read.ok) {
          res.send(read.status, { error: read.error });
          return next(false);
        }
        req[BODY] = read.body;
        return next();
      });
    };

  server.post('/api/admin/:tenant/credentials', requireToken, readBodyOf('text/csv'), async (req: WithBody, res) => {
    const tenant = tenantSchema.safeParse(req.params.tenant);
    if (!tenant.success) return void res.send(400, { error: 'bad tenant id' });
    const outcome = await deps.admin.imports.importCsv(tenant.data, req[BODY] ?? Buffer.alloc(0), 'api');
    if (outcome.kind === 'rejected') {
      res.send(422, { error: 'the file was rejected as a whole; nothing was imported', problems: outcome.problems });
      return;
    }
    res.send(200, outcome);
  });

  server.get('/api/admin/:tenant/requirements', requireToken, async (req, res) => {
    const tenant = tenantSchema.safeParse(req.params.tenant);
    if (!tenant.success) return void res.send(400, { error: 'bad tenant id' });
    res.send(200, {
      requirements: (await deps.admin.requirements.list(tenant.data)).map((r) => ({
        id: r.id.slice(tenant.data.length + 1),
        competency: r.competency,
        names: r.names,
        requiredPeople: r.requiredPeople,
        credentialCodes: r.credentialCodes,
      })),
    });
  });

  server.put('/api/admin/:tenant/requirements', requireToken, readBodyOf('application/json'), async (req: WithBody, res) => {
    const tenant = tenantSchema.safeParse(req.params.tenant);
    if (!tenant.success) return void res.send(400, { error: 'bad tenant id' });
    const body = parseJson(req[BODY] ?? Buffer.alloc(0));
    if (body === undefined) return void res.send(400, { error: 'the body is not UTF-8 JSON' });
    const parsed = requirementSetSchema.safeParse(body);
    if (!parsed.success) {
      res.send(400, { error: 'invalid requirements', problems: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      return;
    }
    res.send(200, await deps.admin.requirements.upsert(tenant.data, parsed.data.requirements, 'api', true));
  });

  server.del('/api/admin/:tenant/requirements/:id', requireToken, async (req, res) => {
    const tenant = tenantSchema.safeParse(req.params.tenant);
    const id = requirementIdSchema.safeParse(req.params.id);
    if (!tenant.success || !id.success) return void res.send(400, { error: 'bad tenant or requirement id' });
    const removed = await deps.admin.requirements.remove(tenant.data, id.data, 'api');
    res.send(removed ? 200 : 404, { removed });
  });

  server.get('/api/reports/:tenant/skills.csv', async (req, res) => {
    const query = new URL(req.url ?? '', 'http://localhost').searchParams;
    const tenant = tenantSchema.safeParse(req.params.tenant);
    const check = tenant.success
      ? await deps.admin.checkReportLink(tenant.data, query.get('token') ?? undefined)
      : ({ ok: false, problem: 'invalid' } as const);
    if (!tenant.success || !check.ok) {
      const problem = check.ok ? 'invalid' : check.problem === 'expired' ? 'expired' : 'invalid';
      deps.logger.warn({ problem: check.ok ? 'bad-tenant' : check.problem }, 'skills report link refused');
      return refuseReportLink(req, res, problem === 'expired' ? 410 : tenant.success ? 403 : 400, problem, readerLocale(req, query.get('lang')), deps.translate);
    }
    const csv = await deps.admin.reports.csv(tenant.data);
    await deps.admin.audit.record({ tenantId: tenant.data, actorId: 'link', action: 'report.download', outcome: 'done' });
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="skills-report.csv"');
    res.setHeader('Cache-Control', 'no-store');
    res.sendRaw(200, csv);
  });
}

/** The reader's language: the one the link was made for, else the browser's, else English. */
function readerLocale(req: restify.Request, lang: string | null): Locale {
  return matchSupportedLocale(lang?.slice(0, 20) ?? undefined) ?? browserLocale(req) ?? 'en';
}

/** A refused report link, explained in the reader's language: a page for a browser, JSON for a program. */
function refuseReportLink(req: restify.Request, res: restify.Response, status: number, problem: 'expired' | 'invalid', locale: Locale, translate: (locale: Locale) => Translate): void {
  const t = translate(locale);
  const text = t(`admin:reportLink.${problem}`);
  if ((req.headers.accept ?? '').includes('text/html')) {
    sendHtml(res, status, htmlPage(locale, t('admin:reportLink.title'), paragraphs([text])));
    return;
  }
  res.setHeader('content-language', locale);
  res.send(status, { error: text });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
