import assert from 'node:assert/strict';
import type { SignInRequest } from '../../services/signInLinks.js';
import { SignInTickets, TICKET_TTL_MS } from '../../services/signInTickets.js';

const issuedAt = new Date('2026-03-02T09:00:00Z');
const request: SignInRequest = {
  personId: 'aad-person-1',
  tenantId: 'tenant-contoso',
  kind: 'learn',
  accountId: '987654321',
  conversation: { conversation: { id: 'a:personal-1' }, serviceUrl: 'https://smba.example.invalid/' },
  locale: 'fr',
};

function tickets(now: Date = issuedAt, secret = 's'.repeat(32)): SignInTickets {
  return new SignInTickets({ secret, publicBaseUrl: 'https://bot.example.com', clock: () => now });
}

/** Replaces one character of a base64url string with another valid one. */
function flip(text: string, at: number): string {
  const c = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + c + text.slice(at + 1);
}

describe('sign-in tickets', () => {
  it('builds a /signin/start link on the public base URL whose ticket verifies to the request', async () => {
    const link = new URL(await tickets().createLink(request));
    assert.equal(link.origin, 'https://bot.example.com');
    assert.equal(link.pathname, '/signin/start');
    const check = tickets().verify(link.searchParams.get('ticket')!);
    assert.ok(check.ok);
    assert.equal(check.ticket.personId, request.personId);
    assert.equal(check.ticket.tenantId, request.tenantId);
    assert.equal(check.ticket.kind, 'learn');
    assert.equal(check.ticket.accountId, request.accountId);
    assert.equal(check.ticket.locale, 'fr');
    assert.deepEqual(check.ticket.conversation, request.conversation);
    assert.equal(check.ticket.exp - check.ticket.iat, TICKET_TTL_MS);
  });

  it('carries the person’s time zone when the dialog knows it, and drops one Intl does not know', () => {
    const withZone = tickets().verify(tickets().issue({ ...request, timeZone: 'Europe/Paris' }));
    assert.ok(withZone.ok);
    assert.equal(withZone.ticket.timeZone, 'Europe/Paris');
    const unknown = tickets().verify(tickets().issue({ ...request, timeZone: 'Mars/Olympus' }));
    assert.ok(unknown.ok);
    assert.equal(unknown.ticket.timeZone, undefined);
  });

  it('keeps only the fields of the conversation reference a proactive message needs', () => {
    const check = tickets().verify(tickets().issue({ ...request, conversation: { ...request.conversation, extra: 'x'.repeat(500) } }));
    assert.ok(check.ok);
    assert.deepEqual(check.ticket.conversation, request.conversation);
  });

  it('gives every ticket its own id', () => {
    const a = tickets().verify(tickets().issue(request));
    const b = tickets().verify(tickets().issue(request));
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.ticket.jti, b.ticket.jti);
  });

  it('accepts a ticket one millisecond before ten minutes and refuses it at ten minutes', () => {
    const token = tickets().issue(request);
    assert.equal(tickets(new Date(issuedAt.getTime() + TICKET_TTL_MS - 1)).verify(token).ok, true);
    assert.deepEqual(tickets(new Date(issuedAt.getTime() + TICKET_TTL_MS)).verify(token), { ok: false, problem: 'expired' });
  });

  it('refuses a ticket signed with another secret', () => {
    const token = tickets(issuedAt, 'x'.repeat(32)).issue(request);
    assert.deepEqual(tickets().verify(token), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a ticket whose content was changed (another MCID), even with the rest intact', () => {
    const token = tickets().issue(request);
    const [body, signature] = token.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const changed = Buffer.from(JSON.stringify({ ...payload, accountId: '111111111' })).toString('base64url');
    assert.deepEqual(tickets().verify(`${changed}.${signature}`), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a ticket whose signature was changed', () => {
    const token = tickets().issue(request);
    const [body, signature] = token.split('.') as [string, string];
    assert.deepEqual(tickets().verify(`${body}.${flip(signature, 5)}`), { ok: false, problem: 'bad-signature' });
    assert.deepEqual(tickets().verify(`${body}.${signature.slice(0, -2)}`), { ok: false, problem: 'bad-signature' });
  });

  for (const [what, token] of [
    ['an empty string', ''],
    ['no signature part', 'abc'],
    ['three parts', 'a.b.c'],
    ['characters outside base64url', 'ab+/.cd=='],
    ['an oversized ticket', `${'a'.repeat(9000)}.b`],
  ] as const) {
    it(`refuses ${what} as malformed`, () => {
      assert.deepEqual(tickets().verify(token), { ok: false, problem: 'malformed' });
    });
  }
});
