import assert from 'node:assert/strict';
import * as client from 'openid-client';
import type { DevClient } from '../../../bot/signin/devIdp/devIdentityProvider.js';
import { defaultPolicy } from '../../../rules/index.js';
import { Browser, type Page } from '../../support/browser.js';
import { cardSubmit, message } from '../../support/activities.js';
import { cardTexts, submitActions } from '../../support/cards.js';
import { startSignInRig, type RigPerson, type SignInRig } from '../../support/signInRig.js';
import { TamperingProxy } from '../../support/tamperingProxy.js';
import { allRecords } from '../../support/ledgerRecords.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
const T0 = new Date('2026-03-02T09:00:00Z');

/** Follows a link card's URL in a fresh browser, continues past the confirmation, signs in on the development provider, and returns the final page. */
async function signIn(link: string, account: { email: string; mcid: string }, browser = new Browser()): Promise<Page> {
  const login = await browser.openSignIn(link);
  assert.equal(login.status, 200, `login form expected, got ${login.status}: ${login.body.slice(0, 400)}`);
  return browser.submitForm(login, account);
}

/** Everything recorded about a person: their associations, the outcome cards posted to their chat. */
async function recordsOf(rig: SignInRig, person: RigPerson) {
  return {
    associations: (await allRecords(rig.stores.ledger, 'associations')).filter((a) => a.personId === person.personId && a.tenantId === person.tenantId),
    cards: rig.connector.activitiesIn(rig.conversationOf(person)),
  };
}

/** The URLs of the Action.OpenUrl buttons in an activity's cards. */
function openUrls(activity: Record<string, unknown>): string[] {
  const urls: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (record.type === 'Action.OpenUrl' && typeof record.url === 'string') urls.push(record.url);
    Object.values(record).forEach(visit);
  };
  visit(activity.attachments);
  return urls;
}

function person(name: string, tenantId = 'tenant-contoso'): RigPerson {
  return { personId: `aad-${name}`, tenantId };
}

describe('sign-in that completes a link, end to end over HTTP', () => {
  let rig: SignInRig;
  before(async () => {
    rig = await startSignInRig({ now: T0 });
  });
  after(async () => rig.close());
  beforeEach(() => {
    rig.now = T0;
  });

  describe('success', () => {
    it('completes the link from the card the link dialog sends: chat, card button, sign-in, confirmation in the chat', async () => {
      const me = { personId: 'aad-ivy', tenantId: 'tenant-contoso' };
      await rig.register(me);
      const conversationId = rig.conversationOf(me);
      const options = { serviceUrl: rig.connector.serviceUrl, conversationId, locale: 'en-US', ...me };
      const say = async (activity: Record<string, unknown>): Promise<Record<string, unknown>> => {
        const before = rig.connector.activitiesIn(conversationId).length;
        const response = await fetch(`${rig.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(activity),
        });
        assert.equal(response.status, 200);
        const replies = rig.connector.activitiesIn(conversationId).slice(before);
        assert.ok(replies.length > 0, 'the bot answered');
        return replies.at(-1)!;
      };

      const kindCard = await say(message('link', options));
      const learn = submitActions(kindCard).find((a) => (a.data as { kind?: string }).kind === 'learn');
      assert.ok(learn, JSON.stringify(kindCard));
      await say(cardSubmit(learn.data, options));
      const signInCard = await say(message('4747474747', options));
      const [url] = openUrls(signInCard);
      assert.ok(url?.startsWith(`${rig.baseUrl}/signin/start?ticket=`), JSON.stringify(signInCard));

      const page = await signIn(url, { email: 'ivy@example.com', mcid: '4747474747' });
      assert.equal(page.status, 200, page.body);
      assert.deepEqual(
        (await recordsOf(rig, me)).associations.map((a) => [a.kind, a.accountId]),
        [['learn', '4747474747']],
      );
      const confirmation = rig.connector.activitiesIn(conversationId).at(-1)!;
      assert.equal(cardTexts(confirmation)[0], 'Linked');
      assert.equal((confirmation.conversation as { id: string }).id, conversationId);
    });

    it('links the MCID after the person follows the card link, signs in and comes back, and posts the confirmation card', async () => {
      const alice = person('alice');
      await rig.register(alice);
      const browser = new Browser();
      const link = await rig.linkFor(alice, { accountId: '4242424242' });
      assert.ok(link.startsWith(`${rig.baseUrl}/signin/start?ticket=`));

      // First a confirmation page naming whom the link is for; the flow cookie is set there.
      const confirmation = await browser.request(link);
      assert.equal(confirmation.status, 200);
      // The rig registers people under their id as display name; the organization has no name yet: never its tenant id.
      assert.match(confirmation.body, /This sign-in link was made for aad-alice, of your organization\./);
      assert.doesNotMatch(confirmation.body, /tenant-contoso/);
      assert.match(confirmation.headers.get('content-security-policy') ?? '', /form-action 'self' /);
      assert.match(confirmation.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      const cookie = confirmation.headers.getSetCookie().find((c) => c.startsWith('mcid_signin='));
      assert.ok(cookie);
      assert.match(cookie, /; HttpOnly/);
      assert.match(cookie, /; SameSite=Lax/);
      assert.match(cookie, /; Path=\/signin\//);
      assert.doesNotMatch(cookie, /Secure/, 'not on plain http');
      assert.equal(browser.visited.some((url) => url.includes('/auth')), false, 'nothing sent to the provider before Continue');
      const login = await browser.submitForm(confirmation, {});
      assert.equal(login.status, 200);
      assert.match(login.body, /For development only/);
      assert.match(login.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' ${rig.baseUrl}`));
      assert.ok(browser.visited.some((url) => url.includes('code_challenge_method=S256') && url.includes('nonce=') && url.includes('state=')));

      const done = await browser.submitForm(login, { email: 'alice@example.com', mcid: '4242424242' });
      assert.equal(done.status, 200, done.body);
      assert.match(done.body, /<html lang="en">/);
      assert.match(done.body, /go back to Microsoft Teams/);
      assert.match(done.headers.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.equal(browser.hasCookie('mcid_signin'), false, 'the flow cookie is cleared');

      const { associations, cards } = await recordsOf(rig, alice);
      assert.equal(associations.length, 1);
      assert.deepEqual(
        { kind: associations[0]!.kind, accountId: associations[0]!.accountId, start: associations[0]!.start.toISOString(), end: associations[0]!.end },
        { kind: 'learn', accountId: '4242424242', start: T0.toISOString(), end: undefined },
      );
      assert.ok((await rig.stores.ledger.get('accounts', `${alice.tenantId}/${alice.personId}/learn`))?.subject, 'the learning account is bound');
      assert.equal(cards.length, 1, 'one confirmation card in the person’s chat');
      const texts = cardTexts(cards[0]!);
      assert.equal(texts[0], 'Linked');
      assert.ok(texts.some((t) => t.includes('MCID 4242424242')), JSON.stringify(texts));
      const creditFrom = new Date(T0.getTime() + defaultPolicy.creditDelayDays * DAY);
      assert.ok(texts.some((t) => t.includes('March 12, 2026') && creditFrom.getUTCDate() === 12), JSON.stringify(texts));
    });

    it('speaks French on the login form, the page and the card when the person uses French', async () => {
      const francois = person('francois');
      await rig.register(francois);
      const browser = new Browser();
      const login = await browser.openSignIn(await rig.linkFor(francois, { accountId: '5151515151', locale: 'fr' }));
      assert.match(login.body, /Réservé au développement/);
      const done = await browser.submitForm(login, { email: 'francois@example.com', mcid: '5151515151' });
      assert.equal(done.status, 200);
      assert.match(done.body, /<html lang="fr">/);
      assert.match(done.body, /revenir dans Microsoft Teams/);
      assert.equal(cardTexts((await recordsOf(rig, francois)).cards[0]!)[0], 'Compte associé');
    });

    it('moves an MCID from another organization, ending that association in the same step', async () => {
      const before = person('carol', 'tenant-fabrikam');
      const after = person('carol', 'tenant-contoso');
      await rig.register(before);
      await rig.register(after);
      const account = { email: 'carol@example.com', mcid: '6161616161' };
      assert.equal((await signIn(await rig.linkFor(before, { accountId: account.mcid }), account)).status, 200);

      rig.now = new Date(T0.getTime() + 45 * DAY);
      const changesBefore = rig.changes.length;
      const done = await signIn(await rig.linkFor(after, { accountId: account.mcid }), account);
      assert.equal(done.status, 200, done.body);
      assert.match(done.body, /unlinked from your previous organization/);
      const [old] = (await recordsOf(rig, before)).associations;
      assert.equal(old?.endReason, 'moved');
      assert.equal(old?.end?.toISOString(), rig.now.toISOString());
      assert.equal((await recordsOf(rig, after)).associations.filter((a) => a.end === undefined).length, 1);
      assert.deepEqual(
        rig.changes.slice(changesBefore),
        [['tenant-contoso', 'link'], ['tenant-fabrikam', 'move']],
        'both the organization joined and the one left are re-evaluated',
      );
    });

    it('applies the rules when the sign-in completes: a ticket issued during the cool-off succeeds once it is over', async () => {
      const inA = person('dave', 'tenant-fabrikam');
      const inB = person('dave', 'tenant-contoso');
      await rig.register(inA);
      await rig.register(inB);
      const account = { email: 'dave@example.com', mcid: '7171717171' };
      await signIn(await rig.linkFor(inA, { accountId: account.mcid }), account);

      const coolOffEnds = T0.getTime() + defaultPolicy.daysBetweenAssociationStarts * DAY;
      rig.now = new Date(coolOffEnds - 5 * MINUTE);
      const link = await rig.linkFor(inB, { accountId: account.mcid });
      rig.now = new Date(coolOffEnds + MINUTE);
      const done = await signIn(link, account);
      assert.equal(done.status, 200, done.body);
      assert.equal((await recordsOf(rig, inB)).associations.length, 1);
    });

    it('refuses a ticket issued when allowed if another link got in first, saying when to come back, and records nothing', async () => {
      const inA = person('erin', 'tenant-fabrikam');
      const inB = person('erin', 'tenant-contoso');
      const inC = person('erin', 'tenant-northwind');
      for (const p of [inA, inB, inC]) await rig.register(p);
      const account = { email: 'erin@example.com', mcid: '8181818181' };
      await signIn(await rig.linkFor(inA, { accountId: account.mcid }), account);

      rig.now = new Date(T0.getTime() + 40 * DAY);
      const linkB = await rig.linkFor(inB, { accountId: account.mcid });
      const linkC = await rig.linkFor(inC, { accountId: account.mcid });
      assert.equal((await signIn(linkC, account)).status, 200);
      const refused = await signIn(linkB, account);
      assert.equal(refused.status, 409);
      assert.match(refused.body, /Nothing was linked/);
      assert.match(refused.body, /May 11, 2026/);
      assert.equal((await recordsOf(rig, inB)).associations.length, 0);
      assert.equal(cardTexts((await recordsOf(rig, inB)).cards[0]!)[0], 'Too soon to link again');
    });
  });

  describe('refusals, each with a clear page and nothing recorded', () => {
    async function assertNothingRecorded(p: RigPerson): Promise<void> {
      const { associations, cards } = await recordsOf(rig, p);
      assert.equal(associations.length, 0, 'no association');
      assert.equal(cards.length, 0, 'no card');
      assert.equal(await rig.stores.ledger.get('accounts', `${p.tenantId}/${p.personId}/learn`), undefined, 'no account binding');
    }

    it('refuses an expired ticket', async () => {
      const p = person('late');
      await rig.register(p);
      const link = await rig.linkFor(p, { accountId: '1010101010' });
      rig.now = new Date(T0.getTime() + 10 * MINUTE);
      const page = await new Browser().open(link);
      assert.equal(page.status, 400);
      assert.match(page.body, /has expired/);
      await assertNothingRecorded(p);
    });

    it('refuses a replayed ticket after it completed a link', async () => {
      const p = person('replay');
      await rig.register(p);
      const link = await rig.linkFor(p, { accountId: '1212121212' });
      const account = { email: 'replay@example.com', mcid: '1212121212' };
      assert.equal((await signIn(link, account)).status, 200);
      const again = await new Browser().open(link);
      assert.equal(again.status, 400);
      assert.match(again.body, /already been used/);
      assert.equal((await recordsOf(rig, p)).associations.length, 1);
    });

    it('completes only one of two sign-ins started with the same ticket', async () => {
      const p = person('twice');
      await rig.register(p);
      const link = await rig.linkFor(p, { accountId: '1313131313' });
      const account = { email: 'twice@example.com', mcid: '1313131313' };
      const [first, second] = [new Browser(), new Browser()];
      const loginFirst = await first.openSignIn(link);
      const loginSecond = await second.openSignIn(link);
      assert.equal((await first.submitForm(loginFirst, account)).status, 200);
      const late = await second.submitForm(loginSecond, account);
      assert.equal(late.status, 400);
      assert.match(late.body, /already been used/);
      assert.equal((await recordsOf(rig, p)).associations.length, 1);
      assert.equal((await recordsOf(rig, p)).cards.length, 1);
    });

    it('refuses a ticket whose content was changed', async () => {
      const p = person('tamper');
      await rig.register(p);
      const link = new URL(await rig.linkFor(p, { accountId: '1414141414' }));
      const [body, signature] = link.searchParams.get('ticket')!.split('.') as [string, string];
      const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
      link.searchParams.set('ticket', `${Buffer.from(JSON.stringify({ ...payload, personId: 'aad-someone-else' })).toString('base64url')}.${signature}`);
      const page = await new Browser().open(link.toString());
      assert.equal(page.status, 400);
      assert.match(page.body, /isn’t valid/);
      await assertNothingRecorded(p);
    });

    it('refuses a ticket whose signature was changed', async () => {
      const p = person('forged');
      await rig.register(p);
      const link = new URL(await rig.linkFor(p, { accountId: '1515151515' }));
      const [body, signature] = link.searchParams.get('ticket')!.split('.') as [string, string];
      link.searchParams.set('ticket', `${body}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`);
      const page = await new Browser().open(link.toString());
      assert.equal(page.status, 400);
      await assertNothingRecorded(p);
    });

    /** Runs a sign-in up to the provider's redirect back to the bot, and returns the callback URL without requesting it. */
    async function callbackUrl(p: RigPerson, accountId: string, browser: Browser): Promise<string> {
      const login = await browser.openSignIn(await rig.linkFor(p, { accountId }));
      const stopped = await browser.submitForm(login, { email: `${p.personId}@example.com`, mcid: accountId }, {
        stop: (url) => url.startsWith(`${rig.baseUrl}/signin/callback`),
      });
      return stopped.url;
    }

    it('refuses a callback opened in another browser than the one that started (no cookie)', async () => {
      const p = person('stolen');
      await rig.register(p);
      const url = await callbackUrl(p, '1616161616', new Browser());
      const page = await new Browser().open(url);
      assert.equal(page.status, 400);
      assert.match(page.body, /browser that started it/);
      await assertNothingRecorded(p);
    });

    it('refuses a callback whose state does not match the browser’s cookie', async () => {
      const p = person('state');
      await rig.register(p);
      const browser = new Browser();
      const url = new URL(await callbackUrl(p, '1717171717', browser));
      url.searchParams.set('state', 'x'.repeat(43));
      const page = await browser.open(url.toString());
      assert.equal(page.status, 400);
      assert.match(page.body, /browser that started it/);
      await assertNothingRecorded(p);
    });

    it('refuses a callback replayed after completion (the code and the cookie are spent)', async () => {
      const p = person('callback-replay');
      await rig.register(p);
      const browser = new Browser();
      const url = await callbackUrl(p, '1818181818', browser);
      const cookieBefore = browser.hasCookie('mcid_signin');
      assert.ok(cookieBefore);
      assert.equal((await browser.open(url)).status, 200);
      const replay = await browser.open(url);
      assert.equal(replay.status, 400);
      assert.equal((await recordsOf(rig, p)).associations.length, 1);
    });

    it('says the sign-in was cancelled when the provider returns an error', async () => {
      const p = person('cancel');
      await rig.register(p);
      const browser = new Browser();
      const confirmation = await browser.open(await rig.linkFor(p, { accountId: '1919191919' }));
      const start = await browser.submitForm(confirmation, {}, { stop: (url) => !url.startsWith(rig.baseUrl) });
      const state = new URL(start.url).searchParams.get('state')!;
      const page = await browser.open(`${rig.baseUrl}/signin/callback?error=access_denied&state=${state}`);
      assert.equal(page.status, 400);
      assert.match(page.body, /cancelled/);
      await assertNothingRecorded(p);
    });

    it('refuses a learning account already bound to another person of the organization', async () => {
      const owner = person('owner');
      const other = person('other');
      await rig.register(owner);
      await rig.register(other);
      const account = { email: 'owner@example.com', mcid: '2020202020' };
      assert.equal((await signIn(await rig.linkFor(owner, { accountId: account.mcid }), account)).status, 200);
      const page = await signIn(await rig.linkFor(other, { accountId: account.mcid }), account);
      assert.equal(page.status, 409);
      assert.match(page.body, /another person in your organization/);
      assert.equal((await recordsOf(rig, other)).associations.length, 0);
      assert.equal(await rig.stores.ledger.get('accounts', `${other.tenantId}/${other.personId}/learn`), undefined);
      // The person is told why in their chat too.
      assert.equal(cardTexts((await recordsOf(rig, other)).cards[0]!)[0], 'Couldn’t link the account');
    });

    it('refuses an MCID that another learning account proved before', async () => {
      const owner = person('proved');
      const other = person('impostor');
      await rig.register(owner);
      await rig.register(other);
      await signIn(await rig.linkFor(owner, { accountId: '2121212121' }), { email: 'proved@example.com', mcid: '2121212121' });
      rig.now = new Date(T0.getTime() + 60 * DAY);
      const page = await signIn(await rig.linkFor(other, { accountId: '2121212121' }), { email: 'impostor@example.com', mcid: '2121212121' });
      assert.equal(page.status, 409);
      assert.match(page.body, /different Microsoft Learning account/);
      assert.equal((await recordsOf(rig, other)).associations.length, 0);
    });

    it('refuses a learning account whose MCID differs from the one the person gave', async () => {
      const p = person('mismatch');
      await rig.register(p);
      const page = await signIn(await rig.linkFor(p, { accountId: '2222222222' }), { email: 'mismatch@example.com', mcid: '3333333333' });
      assert.equal(page.status, 409);
      assert.match(page.body, /different MCID/);
      assert.equal((await recordsOf(rig, p)).associations.length, 0);
    });

    const malformed: Array<[string, string]> = [
      ['no ticket', '/signin/start'],
      ['two tickets', '/signin/start?ticket=a.b&ticket=c.d'],
      ['a garbage ticket', '/signin/start?ticket=%00%FF%3Cscript%3E'],
      ['an unknown parameter', '/signin/start?ticket=a.b&x=1'],
      ['a callback with no code and no error', '/signin/callback?state=abc'],
    ];
    for (const [what, path] of malformed) {
      it(`answers ${what} with a 4xx page and keeps serving`, async () => {
        const page = await new Browser('zh-CN,zh;q=0.9').open(`${rig.baseUrl}${path}`);
        assert.ok(page.status >= 400 && page.status < 500, String(page.status));
        assert.match(page.headers.get('content-type') ?? '', /text\/html/);
        assert.match(page.body, /<html lang="zh-CN">/);
        assert.doesNotMatch(page.body, /<script/);
        assert.equal((await fetch(`${rig.baseUrl}/healthz`)).status, 200);
      });
    }

    it('asks again on the login form when the email or MCID is not valid', async () => {
      const p = person('typo');
      await rig.register(p);
      const browser = new Browser();
      const login = await browser.openSignIn(await rig.linkFor(p, { accountId: '2323232323' }));
      const again = await browser.submitForm(login, { email: 'not-an-email', mcid: '2323232323' });
      assert.equal(again.status, 400);
      assert.match(again.body, /valid email address/);
      assert.match(again.body, /<form/);
    });
  });
});

describe('sign-in refuses ID tokens that do not verify', () => {
  const other: DevClient = { clientId: 'another-app', clientSecret: 'another-app-secret-0123456789abcdef', redirectUris: ['http://127.0.0.1:9/callback'] };
  let proxy: TamperingProxy;
  let rig: SignInRig;

  before(async () => {
    proxy = new TamperingProxy();
    await proxy.start();
    rig = await startSignInRig({
      now: T0,
      devProvider: {
        extraClients: [other],
        issuerOverride: (own) => {
          proxy.target = own;
          return proxy.url;
        },
      },
    });
  });
  after(async () => {
    await rig.close();
    await proxy.stop();
  });
  afterEach(() => {
    proxy.tamper = () => undefined;
  });

  /** A real ID token from the same provider, for another client (audience), carrying the given nonce. */
  async function idTokenForOtherClient(nonce: string): Promise<string> {
    const discovery = (await (await fetch(`${proxy.url}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    const verifier = client.randomPKCECodeVerifier();
    const auth = new URL(discovery.authorization_endpoint!);
    const params = {
      client_id: other.clientId,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: other.redirectUris[0]!,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      nonce,
      state: client.randomState(),
    };
    for (const [k, v] of Object.entries(params)) auth.searchParams.set(k, v);
    const browser = new Browser();
    const login = await browser.open(auth.toString());
    const back = await browser.submitForm(login, { email: 'mallory@example.com', mcid: '9999999999' }, { stop: (url) => url.startsWith(other.redirectUris[0]!) });
    const code = new URL(back.url).searchParams.get('code')!;
    const response = await fetch(discovery.token_endpoint!, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${other.clientId}:${other.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: other.redirectUris[0]!, code_verifier: verifier }),
    });
    const body = (await response.json()) as { id_token?: string };
    assert.ok(body.id_token, JSON.stringify(body));
    return body.id_token;
  }

  it('still completes a link through the proxy when nothing is changed', async () => {
    const p = person('through-proxy');
    await rig.register(p);
    const page = await signIn(await rig.linkFor(p, { accountId: '3434343434' }), { email: 'proxy@example.com', mcid: '3434343434' });
    assert.equal(page.status, 200, page.body);
  });

  it('refuses an ID token issued to another application (audience), even with the right nonce and signature', async () => {
    const p = person('audience');
    await rig.register(p);
    const browser = new Browser();
    const confirmation = await browser.open(await rig.linkFor(p, { accountId: '3535353535' }));
    const start = await browser.submitForm(confirmation, {}, { stop: (url) => !url.startsWith(rig.baseUrl) });
    const nonce = new URL(start.url).searchParams.get('nonce')!;
    const foreign = await idTokenForOtherClient(nonce);
    proxy.tamper = (body) => ({ ...body, id_token: foreign });
    const login = await browser.open(start.url);
    const page = await browser.submitForm(login, { email: 'audience@example.com', mcid: '3535353535' });
    assert.equal(page.status, 400);
    assert.match(page.body, /couldn’t be verified/);
    assert.ok(rig.logs.some((line) => line.includes('\\"aud\\" (audience)')), 'refused for its audience');
    assert.equal((await recordsOf(rig, p)).associations.length, 0);
    assert.equal((await recordsOf(rig, p)).cards.length, 0);
  });

  it('refuses an ID token whose signature was changed', async () => {
    const p = person('signature');
    await rig.register(p);
    proxy.tamper = (body) => {
      const [header, payload, signature] = String(body.id_token).split('.') as [string, string, string];
      return { ...body, id_token: `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}` };
    };
    rig.logs.length = 0;
    const page = await signIn(await rig.linkFor(p, { accountId: '3636363636' }), { email: 'signature@example.com', mcid: '3636363636' });
    assert.equal(page.status, 400);
    assert.match(page.body, /couldn’t be verified/);
    assert.ok(rig.logs.some((line) => line.includes('JWT signature verification failed')), 'refused for its signature');
    assert.equal((await recordsOf(rig, p)).associations.length, 0);
  });

  it('refuses an ID token whose claims were changed (another subject) without re-signing', async () => {
    const p = person('claims');
    await rig.register(p);
    proxy.tamper = (body) => {
      const [header, payload, signature] = String(body.id_token).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      const changed = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
      return { ...body, id_token: `${header}.${changed}.${signature}` };
    };
    rig.logs.length = 0;
    const page = await signIn(await rig.linkFor(p, { accountId: '3737373737' }), { email: 'claims@example.com', mcid: '3737373737' });
    assert.equal(page.status, 400);
    assert.ok(rig.logs.some((line) => line.includes('JWT signature verification failed')), 'refused for its signature');
    assert.equal((await recordsOf(rig, p)).associations.length, 0);
  });
});

describe('linking a Partner University account, end to end', () => {
  let rig: SignInRig;
  before(async () => {
    rig = await startSignInRig({ now: T0 });
  });
  after(async () => rig.close());

  for (const [locale, mismatch] of [
    ['en', /isn’t the address you gave \(pu\.jo-en@contoso\.com\)/],
    ['fr', /n’est pas l’adresse que vous avez indiquée \(pu\.jo-fr@contoso\.com\)/],
    ['zh-CN', /不是你提供的地址（pu\.jo-zh-cn@contoso\.com）/],
  ] as const) {
    it(`asks no MCID, refuses another account than the address given and links the right one (${locale})`, async () => {
      const jo = person(`jo-${locale}`);
      await rig.register(jo);
      const browser = new Browser();
      const address = `pu.jo-${locale.toLowerCase()}@contoso.com`;
      const login = await browser.openSignIn(await rig.linkFor(jo, { kind: 'university', accountId: address, locale }));
      assert.equal(login.status, 200);
      assert.doesNotMatch(login.body, /name="mcid"/, 'a Partner University sign-in has no MCID field');
      const wrong = await browser.submitForm(login, { email: `someone.else-${locale}@contoso.com` });
      assert.equal(wrong.status, 409);
      assert.match(wrong.body, mismatch);
      assert.equal((await recordsOf(rig, jo)).associations.length, 0, 'nothing recorded');

      const right = await signIn(await rig.linkFor(jo, { kind: 'university', accountId: address, locale }), { email: address.toUpperCase(), mcid: '' });
      assert.equal(right.status, 200, right.body);
      assert.deepEqual((await recordsOf(rig, jo)).associations.map((a) => [a.kind, a.accountId]), [['university', address]]);

      // A colleague cannot link the same Partner University account: the refusal names that kind of account.
      const colleague = person(`kim-${locale}`);
      await rig.register(colleague);
      const taken = await signIn(await rig.linkFor(colleague, { kind: 'university', accountId: address, locale }), { email: address, mcid: '' });
      assert.equal(taken.status, 409);
      assert.doesNotMatch(taken.body, /Microsoft Learning/);
      assert.equal((await recordsOf(rig, colleague)).associations.length, 0);
    });
  }
});

describe('sign-in against a provider without an MCID claim', () => {
  let rig: SignInRig;
  before(async () => {
    rig = await startSignInRig({ now: T0, devProvider: { withoutMcidClaim: true } });
  });
  after(async () => rig.close());

  it('binds the MCID the person gave to the learning account on first use, and refuses that account for another MCID', async () => {
    const first = person('gina');
    const second = person('hank');
    await rig.register(first);
    await rig.register(second);
    // The provider says nothing about MCIDs: what is typed on its form is ignored.
    const linked = await signIn(await rig.linkFor(first, { accountId: '4545454545' }), { email: 'gina@example.com', mcid: '0000000000' });
    assert.equal(linked.status, 200, linked.body);
    assert.equal((await recordsOf(rig, first)).associations[0]?.accountId, '4545454545');
    const bound = await rig.stores.ledger.get('accounts', `${first.tenantId}/${first.personId}/learn`);
    assert.equal(bound?.accountId, '4545454545');
    assert.ok(bound?.subject);

    const refused = await signIn(await rig.linkFor(second, { accountId: '4646464646' }), { email: 'gina@example.com', mcid: '4646464646' });
    assert.equal(refused.status, 409);
    assert.match(refused.body, /already belongs to another MCID/);
    assert.equal((await recordsOf(rig, second)).associations.length, 0);
  });
});

describe('sign-in behind an https public address', () => {
  let rig: SignInRig;
  before(async () => {
    rig = await startSignInRig({ now: T0, publicBaseUrl: 'https://bot.contoso.example' });
  });
  after(async () => rig.close());

  it('uses a Secure __Host- flow cookie and builds links and the redirect URI on the public address', async () => {
    const link = new URL(await rig.linkFor(person('secure'), { accountId: '4848484848' }));
    assert.equal(link.origin, 'https://bot.contoso.example');
    // The test reaches the bot over loopback http; the public address is what browsers and the provider see.
    const browser = new Browser();
    const confirmation = await browser.request(`${rig.baseUrl}${link.pathname}${link.search}`);
    assert.equal(confirmation.status, 200);
    // __Host-: Secure, Path=/ and no Domain, so no sibling subdomain can plant a flow cookie that skips the confirmation.
    const flowCookie = confirmation.headers.getSetCookie().find((c) => c.startsWith('__Host-mcid_signin=')) ?? '';
    assert.match(flowCookie, /; Path=\/;/);
    assert.match(flowCookie, /; Secure/);
    assert.doesNotMatch(flowCookie, /Domain=/i);
    assert.match(confirmation.headers.get('content-security-policy') ?? '', /form-action 'self' https:\/\/bot\.contoso\.example /);
    const started = await browser.submitForm(confirmation, {}, { stop: (url) => !url.startsWith(rig.baseUrl) });
    assert.equal(new URL(started.url).searchParams.get('redirect_uri'), 'https://bot.contoso.example/signin/callback');
  });
});
