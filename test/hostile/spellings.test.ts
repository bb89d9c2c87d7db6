import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { redactText, redactUrl } from '../../bot/http/redact.js';
import { SignInTickets } from '../../services/signin/tickets.js';
import { TokenSigner } from '../../services/signing.js';
import { VoteSigner } from '../../services/faq/votes.js';
import { startBotServer } from '../support/botServer.js';
import { rawRequest } from './client.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** The other spellings of a 43-character base64url signature: its last character's three siblings. */
function siblings(sig: string): string[] {
  const base = ALPHABET.indexOf(sig.at(-1)!) & ~3;
  return [0, 1, 2, 3].map((i) => `${sig.slice(0, -1)}${ALPHABET[base + i]}`).filter((s) => s !== sig);
}

/** The spellings of a base64url part that differ only in its last character's spare bits (those that decode alike). */
function siblingsOfLast(part: string): string[] {
  if (part === '') return [];
  const spareBits = part.length % 4 === 2 ? 4 : part.length % 4 === 3 ? 2 : 0;
  const step = 1 << spareBits;
  const base = ALPHABET.indexOf(part.at(-1)!) & ~(step - 1);
  return Array.from({ length: step }, (_, i) => `${part.slice(0, -1)}${ALPHABET[base + i]}`).filter((s) => s !== part);
}

describe('signatures are compared on the exact spelling the bot issued', () => {
  const now = new Date('2026-03-02T09:00:00Z');

  it('refuses the three other spellings of a sign-in ticket’s signature', async () => {
    const tickets = new SignInTickets({ secret: 'ticket-secret-0123456789abcdefghijklmnop', publicBaseUrl: 'https://bot.example', clock: () => now });
    const ticket = await tickets.issue({ personId: 'p', tenantId: 't', kind: 'learn', accountId: '123', conversation: {}, locale: 'en' });
    assert.equal((await tickets.verify(ticket)).ok, true);
    const [header, body, sig] = ticket.split('.') as [string, string, string];
    for (const altered of siblings(sig)) assert.deepEqual(await tickets.verify(`${header}.${body}.${altered}`), { ok: false, problem: 'bad-signature' });
  });

  it('refuses another spelling of a signed token’s claims (the spare bits of their last character)', async () => {
    const signer = new TokenSigner('report-secret-0123456789abcdefghijklmnop', 'skills-report');
    // A subject whose claims encode to a length with spare bits in the last character (not a multiple of 3 bytes).
    let token = '';
    for (let pad = 0; siblingsOfLast(token.split('.')[1] ?? '').length === 0; pad++) {
      token = await signer.sign({ sub: `skills-report:tenant-a${'a'.repeat(pad)}` }, now, 60_000);
    }
    assert.equal((await signer.open(token, now)).ok, true);
    const [header, body, sig] = token.split('.') as [string, string, string];
    for (const altered of siblingsOfLast(body)) assert.deepEqual(await signer.open(`${header}.${altered}.${sig}`, now), { ok: false, problem: 'malformed' });
    for (const altered of siblings(sig)) assert.deepEqual(await signer.open(`${header}.${body}.${altered}`, now), { ok: false, problem: 'bad-signature' });
  });

  it('refuses a vote proof in another spelling, for another conversation, topic or language', async () => {
    const votes = new VoteSigner('vote-secret-0123456789abcdefghijklmnop');
    const subject = { conversationId: 'a:1', topic: 'why-link', locale: 'en' };
    const ticket = await votes.issue(subject);
    assert.equal(await votes.verify(subject, ticket), true);
    for (const proof of siblings(ticket.proof)) assert.equal(await votes.verify(subject, { ...ticket, proof }), false);
    assert.equal(await votes.verify({ ...subject, conversationId: 'a:2' }, ticket), false);
    assert.equal(await votes.verify({ ...subject, topic: 'unlink' }, ticket), false);
    assert.equal(await votes.verify({ ...subject, locale: 'fr' }, ticket), false);
  });
});

describe('logged URLs never carry their query string', () => {
  it('cuts query strings out of URLs and of messages quoting them', () => {
    assert.equal(redactUrl('/signin/start?ticket=abc.def'), '/signin/start?[redacted]');
    assert.equal(redactUrl('/healthz'), '/healthz');
    assert.equal(redactText('/api/reports/t/skills.csv?expires=1&sig=abc does not exist'), '/api/reports/t/skills.csv?[redacted] does not exist');
  });

  it('logs a URL restify refuses without its ticket or signature', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString('utf8')), done()) }));
    const bot = await startBotServer({ logger });
    try {
      for (const path of ['/signin/nowhere?ticket=SECRET-TICKET', '/api/reports/t/skills.txt?expires=1&sig=SECRET-SIG', '/healthz?sig=SECRET-SIG']) {
        await rawRequest(bot.baseUrl, { method: path.startsWith('/healthz') ? 'POST' : 'GET', path });
      }
      assert.ok(lines.some((l) => l.includes('request refused')), lines.join(''));
      assert.ok(lines.every((l) => !l.includes('SECRET')), lines.join(''));
    } finally {
      await bot.close();
    }
  });
});
