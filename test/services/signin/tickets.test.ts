import assert from 'node:assert/strict';
import type { SignInRequest } from '../../../services/signin/links.js';
import { SignInTickets, TICKET_TTL_MS } from '../../../services/signin/tickets.js';
import { TokenSigner } from '../../../services/signing.js';

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
    const check = await tickets().verify(link.searchParams.get('ticket')!);
    assert.ok(check.ok);
    assert.equal(check.ticket.personId, request.personId);
    assert.equal(check.ticket.tenantId, request.tenantId);
    assert.equal(check.ticket.kind, 'learn');
    assert.equal(check.ticket.accountId, request.accountId);
    assert.equal(check.ticket.locale, 'fr');
    assert.deepEqual(check.ticket.conversation, request.conversation);
    assert.equal(check.ticket.exp - check.ticket.iat, TICKET_TTL_MS / 1000, 'JWT iat and exp, in seconds');
  });

  it('carries the person’s time zone when the dialog knows it, and drops one Intl does not know', async () => {
    const withZone = await tickets().verify(await tickets().issue({ ...request, timeZone: 'Europe/Paris' }));
    assert.ok(withZone.ok);
    assert.equal(withZone.ticket.timeZone, 'Europe/Paris');
    const unknown = await tickets().verify(await tickets().issue({ ...request, timeZone: 'Mars/Olympus' }));
    assert.ok(unknown.ok);
    assert.equal(unknown.ticket.timeZone, undefined);
  });

  it('keeps only the fields of the conversation reference a proactive message needs', async () => {
    const check = await tickets().verify(await tickets().issue({ ...request, conversation: { ...request.conversation, extra: 'x'.repeat(500) } }));
    assert.ok(check.ok);
    assert.deepEqual(check.ticket.conversation, request.conversation);
  });

  it('gives every ticket its own id', async () => {
    const a = await tickets().verify(await tickets().issue(request));
    const b = await tickets().verify(await tickets().issue(request));
    assert.ok(a.ok && b.ok);
    assert.notEqual(a.ticket.jti, b.ticket.jti);
  });

  it('accepts a ticket one millisecond before ten minutes and refuses it at ten minutes', async () => {
    const token = await tickets().issue(request);
    assert.equal((await tickets(new Date(issuedAt.getTime() + TICKET_TTL_MS - 1)).verify(token)).ok, true);
    assert.deepEqual(await tickets(new Date(issuedAt.getTime() + TICKET_TTL_MS)).verify(token), { ok: false, problem: 'expired' });
  });

  it('refuses a ticket signed with another secret', async () => {
    const token = await tickets(issuedAt, 'x'.repeat(32)).issue(request);
    assert.deepEqual(await tickets().verify(token), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a ticket whose content was changed (another MCID), even with the rest intact', async () => {
    const token = await tickets().issue(request);
    const [header, body, signature] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
    const changed = Buffer.from(JSON.stringify({ ...payload, accountId: '111111111' })).toString('base64url');
    assert.deepEqual(await tickets().verify(`${header}.${changed}.${signature}`), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a ticket whose signature was changed', async () => {
    const token = await tickets().issue(request);
    const [header, body, signature] = token.split('.') as [string, string, string];
    assert.deepEqual(await tickets().verify(`${header}.${body}.${flip(signature, 5)}`), { ok: false, problem: 'bad-signature' });
    assert.deepEqual(await tickets().verify(`${header}.${body}.${signature.slice(0, -2)}`), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a ticket whose header asks for another algorithm or none', async () => {
    const token = await tickets().issue(request);
    const [, body, signature] = token.split('.') as [string, string, string];
    for (const alg of ['none', 'HS512', 'RS256']) {
      const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
      assert.deepEqual(await tickets().verify(`${header}.${body}.${signature}`), { ok: false, problem: 'malformed' }, alg);
      assert.deepEqual(await tickets().verify(`${header}.${body}.`), { ok: false, problem: 'malformed' }, `${alg} unsigned`);
    }
  });

  it('refuses a correctly signed token made for another purpose (the flow cookie’s, a report link’s)', async () => {
    const secret = 's'.repeat(32);
    for (const purpose of ['sign-in-flow', 'skills-report']) {
      const other = await new TokenSigner(secret, purpose).sign({ v: 1 }, issuedAt, 60_000);
      assert.equal((await tickets().verify(other)).ok, false, purpose);
    }
  });

  for (const [what, token] of [
    ['an empty string', ''],
    ['no signature part', 'abc'],
    ['two parts', 'abc.def'],
    ['three parts that are not JSON', 'a.b.c'],
    ['four parts', 'a.b.c.d'],
    ['characters outside base64url', 'ab+/.cd=='],
    ['an oversized ticket', `${'a'.repeat(9000)}.b`],
  ] as const) {
    it(`refuses ${what} as malformed`, async () => {
      assert.deepEqual(await tickets().verify(token), { ok: false, problem: 'malformed' });
    });
  }
});
