/**
 * The sign-in that completes a link, over HTTP:
 *
 * - `GET /signin/start?ticket=…` verifies the ticket (signature, content, expiry, not used yet), remembers the
 *   flow's state, nonce and PKCE verifier with the ticket and a one-time form token in a signed, HttpOnly cookie of
 *   this browser, and shows a confirmation page naming whom the link is for (a link forwarded by someone else must
 *   not link the reader's account to that person), with a Continue button.
 * - `POST /signin/continue` (that button: the form token must match the cookie's) redirects to the identity provider.
 * - `GET /signin/callback` checks the cookie and the state, exchanges the code, verifies the ID token, then
 *   completes the link in one ledger transaction (the ticket's single use is recorded there, so a ticket whose
 *   sign-in was abandoned can be used again until it expires, and one that completed never again), posts the
 *   outcome into the person's chat and answers the browser with a short page in the person's language.
 *
 * The flow cookie is flowCookie.ts's, the outcome's text outcomeView.ts's, and the card's way into the chat
 * outcomeDelivery.ts's.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { NoticeSender } from '../../dialogs/noticeSender.js';
import type { i18n } from 'i18next';
import type http from 'node:http';
import type restify from 'restify';
import { z } from 'zod';
import type { Locale } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import type { Policy } from '../../rules/index.js';
import { normalizeAccountId } from '../../services/associations/associations.js';
import type { NoticeOutbox } from '../../services/outbox/outbox.js';
import type { SignedInIdentity, SignInCompletion } from '../../services/signin/completion.js';
import { TICKET_TTL_MS, type SignInTickets, type TicketPayload } from '../../services/signin/tickets.js';
import { AttemptLimiter, clientAddress, SIGN_IN_ADDRESS_WINDOWS, SIGN_IN_TICKET_WINDOWS } from '../http/attemptLimits.js';
import { browserLocale, html, htmlPage, paragraphs, readFormBody, sendHtml, sendRedirect, singleValues } from '../http/pages.js';
import type { Logger } from '../logger.js';
import { FlowCookie } from './flowCookie.js';
import { outcomeNotice, postOutcome } from './outcomeDelivery.js';
import { describeOutcome } from './outcomeView.js';
import { RelyingParty, type AuthorizationChecks } from './signInRelyingParty.js';

/** Collaborators of the sign-in routes. */
export interface SignInRoutesDeps {
  /** The bot's address as a browser reaches it, without a trailing slash. */
  readonly publicBaseUrl: string;
  readonly mcidClaim?: string;
  /** The ID-token claim that must equal the Partner University address being linked (default `email`). */
  readonly universityClaim?: string;
  /** The sign-in secret; the flow cookie is signed with a key derived from it. */
  readonly secret: string | Buffer;
  readonly relyingParty: RelyingParty;
  readonly tickets: SignInTickets;
  readonly completion: SignInCompletion;
  /** The outbox the outcome card is enqueued in (read when a sign-in completes); without one, the card is posted at once. */
  readonly notices?: () => NoticeOutbox | undefined;
  /** Posts the outcome card into the person's chat at once, when there is no outbox. */
  readonly post: NoticeSender;
  readonly i18n: i18n;
  readonly policy: Policy;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** The display name of a person of an organization (the ledger's `people`), for the confirmation page. */
  readonly personName?: (tenantId: string, personId: string) => Promise<string | undefined>;
  /** The organization's name, when a Global admin set one, for the confirmation page (never the tenant id). */
  readonly organizationName?: (tenantId: string) => Promise<string | undefined>;
  /** Sign-in starts counted per ticket and per address (default: the windows of bot/http/attemptLimits.ts). */
  readonly startLimits?: { readonly perTicket: AttemptLimiter; readonly perAddress: AttemptLimiter };
}

const startQuerySchema = z.object({ ticket: z.string().min(1).max(8192) }).strict();
const continueFormSchema = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }).strict();
/** Largest body of the confirmation form: one token. */
const MAX_CONTINUE_BODY = 1024;
const callbackQuerySchema = z.union([
  z.object({ code: z.string().min(1).max(4096), state: z.string().min(1).max(512), iss: z.string().max(2048).optional() }).strict(),
  z
    .object({
      error: z.string().min(1).max(200),
      error_description: z.string().max(2000).optional(),
      error_uri: z.string().max(2048).optional(),
      state: z.string().max(512).optional(),
      iss: z.string().max(2048).optional(),
    })
    .strict(),
]);
const idTokenClaimsSchema = z.object({ sub: z.string().min(1).max(255), email: z.string().max(320).optional() });

/** The routes, as a hook for `createHttpServer`'s `routes`. */
export function signInRoutes(deps: SignInRoutesDeps): (server: restify.Server) => void {
  const secure = deps.publicBaseUrl.startsWith('https://');
  const redirectUri = `${deps.publicBaseUrl}/signin/callback`;
  const flowCookie = new FlowCookie(deps.secret, secure, deps.clock);
  const clearCookie = flowCookie.clear;
  const startLimits = deps.startLimits ?? {
    perTicket: new AttemptLimiter(SIGN_IN_TICKET_WINDOWS, () => deps.clock().getTime()),
    perAddress: new AttemptLimiter(SIGN_IN_ADDRESS_WINDOWS, () => deps.clock().getTime()),
  };

  const problem = (res: http.ServerResponse, locale: Locale, status: number, key: string, extra: Record<string, string> = {}): void => {
    const t = translatorFor(deps.i18n, locale);
    const text = t(`signin:page.${key}`, { minutes: Math.round(TICKET_TTL_MS / 60_000) });
    sendHtml(res, status, htmlPage(locale, t('signin:page.problemTitle'), paragraphs([text, t('signin:page.returnToTeams')])), [], extra);
  };

  async function start(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const browserLocale = acceptLanguage(req);
    // Every start costs a signature check and a page; an address is limited before anything is checked.
    if (startLimits.perAddress.attempt(clientAddress(req)) > 0) return problem(res, browserLocale, 429, 'tooMany');
    const query = parseQuery(req, startQuerySchema);
    if (!query) return problem(res, browserLocale, 400, 'invalid');
    const check = await deps.tickets.verify(query.ticket);
    if (!check.ok) {
      deps.logger.info({ problem: check.problem }, 'sign-in refused at start');
      return problem(res, browserLocale, 400, check.problem === 'expired' ? 'expired' : 'invalid');
    }
    const ticket = check.ticket;
    if (await deps.completion.isUsed(ticket.jti)) return problem(res, ticket.locale, 400, 'used');
    if (startLimits.perTicket.attempt(ticket.jti) > 0) return problem(res, ticket.locale, 429, 'tooMany');

    const checks = RelyingParty.newChecks();
    let providerOrigin: string;
    try {
      // The provider must be allowed as a form target of the page (the Continue redirect goes there).
      providerOrigin = await deps.relyingParty.authorizationOrigin();
    } catch (error) {
      deps.logger.error({ err: message(error) }, 'identity provider unavailable');
      return problem(res, ticket.locale, 503, 'unavailable');
    }
    const formToken = randomBytes(32).toString('base64url');
    const setCookie = await flowCookie.issue(checks, query.ticket, formToken);
    if (!setCookie) return problem(res, ticket.locale, 400, 'invalid');

    // Whom this link is for, before anyone signs in: a link sent by someone else would link the reader's account to them.
    const t = translatorFor(deps.i18n, ticket.locale);
    // Names people can check, never ids: "a person with no name on record" and "your organization" until they exist.
    const name = (await deps.personName?.(ticket.tenantId, ticket.personId))?.trim() || t('signin:page.unnamedPerson');
    const organization = (await deps.organizationName?.(ticket.tenantId)) ?? t('signin:page.unnamedOrganization');
    const body = [
      paragraphs([
        t('signin:page.confirmFor', { name, organization }),
        t('signin:page.confirmAccount', { account: t(`signin:account.${ticket.kind}`, { accountId: ticket.accountId }) }),
      ]),
      html`<p class="error"><strong>${t('signin:page.confirmWarning')}</strong></p>`,
      html`<form method="post" action="/signin/continue"><input type="hidden" name="token" value="${formToken}">`,
      html`<button type="submit">${t('signin:page.continue')}</button></form>`,
    ];
    const formOrigins = [new URL(deps.publicBaseUrl).origin, providerOrigin];
    sendHtml(res, 200, htmlPage(ticket.locale, t('signin:page.confirmTitle'), html`${body}`), formOrigins, { 'set-cookie': setCookie });
  }

  /** The confirmation page's Continue: this browser's flow and the page's token, then off to the identity provider. */
  async function continueToProvider(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const browserLocale = acceptLanguage(req);
    const form = await readFormBody(req, MAX_CONTINUE_BODY);
    const parsed = continueFormSchema.safeParse(form);
    const flow = await flowCookie.read(req);
    if (!flow || !parsed.success || !sameToken(parsed.data.token, flow.formToken)) {
      deps.logger.info('sign-in continue without the confirmation page of this browser');
      return problem(res, browserLocale, 400, 'session');
    }
    const check = await deps.tickets.verify(flow.ticket, new Date(flow.iat * 1000));
    if (!check.ok) return problem(res, browserLocale, 400, 'invalid');
    const ticket = check.ticket;
    if (await deps.completion.isUsed(ticket.jti)) return problem(res, ticket.locale, 400, 'used');
    let location: URL;
    try {
      location = await deps.relyingParty.authorizationUrl(flow, ticket.locale, ticket.kind);
    } catch (error) {
      deps.logger.error({ err: message(error) }, 'identity provider unavailable');
      return problem(res, ticket.locale, 503, 'unavailable');
    }
    sendRedirect(res, location.toString());
  }

  async function callback(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const browserLocale = acceptLanguage(req);
    const noCookie = { 'set-cookie': clearCookie };
    const flow = await flowCookie.read(req);
    if (!flow) return problem(res, browserLocale, 400, 'session', noCookie);
    // Signed by us when the sign-in started: it was valid then, and the flow's own lifetime bounds it since.
    const check = await deps.tickets.verify(flow.ticket, new Date(flow.iat * 1000));
    if (!check.ok) return problem(res, browserLocale, 400, 'invalid', noCookie);
    const ticket = check.ticket;
    const locale = ticket.locale;

    const query = parseQuery(req, callbackQuerySchema);
    if (!query) return problem(res, locale, 400, 'badRequest', noCookie);
    if (query.state !== flow.state) {
      deps.logger.warn('sign-in callback state does not match the browser that started it');
      return problem(res, locale, 400, 'session', noCookie);
    }
    if ('error' in query) return problem(res, locale, 400, 'cancelled', noCookie);

    let claims: Record<string, unknown>;
    try {
      const checks: AuthorizationChecks = { state: flow.state, nonce: flow.nonce, codeVerifier: flow.codeVerifier };
      const search = new URL(req.url ?? '/', 'http://local').search;
      claims = await deps.relyingParty.exchange(new URL(`${redirectUri}${search}`), checks);
    } catch (error) {
      deps.logger.warn({ err: message(error), ...errorDetails(error) }, 'sign-in token exchange or ID token verification failed');
      return problem(res, locale, 400, 'token', noCookie);
    }
    const identity = identityFrom(claims, ticket);
    if (!identity) return problem(res, locale, 400, 'token', noCookie);

    const t = translatorFor(deps.i18n, locale);
    // With an outbox, the card is enqueued in the outcome's own transaction; otherwise posted after it.
    const outbox = outcomeNotice(deps.notices?.(), t, locale, ticket, deps.policy);
    const outcome = await deps.completion.complete(ticket, identity, outbox);
    if (outcome.kind === 'refused' && outcome.reason === 'ticket-used') return problem(res, locale, 400, 'used', noCookie);
    deps.logger.info({ outcome: outcome.kind, reason: outcome.kind === 'refused' ? outcome.reason : undefined, kind: ticket.kind }, 'sign-in completed');

    const view = describeOutcome(t, locale, outcome, ticket, deps.policy);
    const posted = outbox ? true : await postOutcome(deps.post, deps.logger, t, ticket, view, outcome);
    const lines = [...view.lines, ...(posted ? [t('signin:page.cardSent')] : []), t('signin:page.returnToTeams')];
    sendHtml(res, view.status, htmlPage(locale, view.title, paragraphs(lines)), [], noCookie);
  }

  function identityFrom(claims: Record<string, unknown>, ticket: TicketPayload): SignedInIdentity | undefined {
    const parsed = idTokenClaimsSchema.safeParse(claims);
    if (!parsed.success) return undefined;
    if (ticket.kind === 'university') {
      // The signed-in account must be the Partner University address being linked: no claim, or another address, is not it.
      const claimed = claims[deps.universityClaim ?? 'email'];
      const address = typeof claimed === 'string' ? normalizeAccountId('university', claimed) : undefined;
      return { subject: parsed.data.sub, email: parsed.data.email, accountId: address ?? 'missing:university-claim' };
    }
    const raw = deps.mcidClaim ? claims[deps.mcidClaim] : undefined;
    let accountId: string | undefined;
    if (typeof raw === 'string' || typeof raw === 'number') {
      // A claim that cannot be an MCID is not this account: it will not match the MCID the person gave.
      accountId = normalizeAccountId('learn', String(raw)) ?? `invalid:${String(raw).slice(0, 40)}`;
    }
    return { subject: parsed.data.sub, email: parsed.data.email, accountId };
  }

  const guard =
    (handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>) =>
    async (req: restify.Request, res: restify.Response): Promise<void> => {
      // The pages carry tickets and cookies: on https, browsers must never come back over plain http.
      if (secure) res.setHeader('strict-transport-security', 'max-age=31536000');
      try {
        await handler(req, res);
      } catch (error) {
        deps.logger.error({ err: message(error) }, 'sign-in request failed');
        if (!res.headersSent) problem(res, acceptLanguage(req), 500, 'unavailable', { 'set-cookie': clearCookie });
      }
    };

  return (server) => {
    server.get('/signin/start', guard(start));
    server.post('/signin/continue', guard(continueToProvider));
    server.get('/signin/callback', guard(callback));
  };
}

/** Compares two tokens in constant time. */
function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseQuery<T>(req: http.IncomingMessage, schema: z.ZodType<T>): T | undefined {
  const params = singleValues(new URL(req.url ?? '/', 'http://local').searchParams);
  if (!params) return undefined;
  const parsed = schema.safeParse(params);
  return parsed.success ? parsed.data : undefined;
}

/** The browser's language (Accept-Language), for pages shown before a ticket is known; English when none is ours. */
function acceptLanguage(req: http.IncomingMessage): Locale {
  return browserLocale(req) ?? 'en';
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The machine-readable parts of an openid-client error (its code, and the cause's code or claim), for the log. */
function errorDetails(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return {};
  const { code } = error as { code?: unknown };
  const cause = (error as { cause?: unknown }).cause;
  const causeInfo =
    cause instanceof Error
      ? { causeCode: (cause as { code?: unknown }).code, cause: cause.message }
      : typeof cause === 'object' && cause !== null
        ? { claim: (cause as { claim?: unknown }).claim }
        : {};
  return { code, ...causeInfo };
}
