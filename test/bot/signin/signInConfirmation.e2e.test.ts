import assert from 'node:assert/strict';
import { personKey } from '../../../storage/ledger.js';
import { Browser } from '../../support/browser.js';
import { startSignInRig, type RigPerson, type SignInRig } from '../../support/signInRig.js';

const T0 = new Date('2026-03-02T09:00:00Z');

describe('the sign-in confirmation page, before anything goes to the identity provider', () => {
  let rig: SignInRig;
  before(async () => {
    rig = await startSignInRig({ now: T0 });
  });
  after(async () => rig.close());

  async function registerAs(person: RigPerson, displayName: string): Promise<void> {
    await rig.stores.ledger.transact((tx) =>
      tx.put('people', personKey(person.tenantId, person.personId), { id: person.personId, tenantId: person.tenantId, displayName, role: 'member' }),
    );
  }

  const texts: Array<[locale: 'en' | 'fr' | 'zh-CN', expected: RegExp[]]> = [
    ['en', [/This sign-in link was made for Mallory &lt;b&gt;Attacker&lt;\/b&gt;, of your organization\./, /Microsoft Learning account \(MCID 5656565656\)/, /If this is not you, close this page/, />Continue to sign-in</]],
    ['fr', [/Ce lien de connexion a été créé pour Mallory &lt;b&gt;Attacker&lt;\/b&gt;, de votre organisation\./, /MCID 5656565656/, /Si ce n’est pas vous, fermez cette page/, />Continuer vers la connexion</]],
    ['zh-CN', [/此登录链接是为 Mallory &lt;b&gt;Attacker&lt;\/b&gt;（你的组织）创建的。/, /MCID 5656565656/, /如果这不是你，请关闭此页面/, />继续登录</]],
  ];
  for (const [locale, expected] of texts) {
    it(`names the person the link is for, the organization and the account, with a warning, in the ticket’s language (${locale})`, async () => {
      const mallory = { personId: `aad-mallory-${locale}`, tenantId: 'tenant-contoso' };
      await registerAs(mallory, 'Mallory <b>Attacker</b>');
      const browser = new Browser();
      const page = await browser.request(await rig.linkFor(mallory, { accountId: '5656565656', locale }));
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<html lang="${locale}">`));
      for (const pattern of expected) assert.match(page.body, pattern);
      assert.doesNotMatch(page.body, /<b>Attacker/, 'the name is escaped');
      assert.ok(browser.hasCookie('mcid_signin'));
      const csp = page.headers.get('content-security-policy') ?? '';
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, new RegExp(`form-action 'self' ${rig.baseUrl} http://127\\.0\\.0\\.1:\\d+;`));
      assert.equal(browser.visited.length, 1, 'no redirect to the provider yet');
    });
  }

  it('names the organization once a Global admin named it', async () => {
    await rig.stores.ledger.transact((tx) => tx.put('organizations', 'tenant-northwind', { tenantId: 'tenant-northwind', name: 'Northwind Traders' }));
    const page = await new Browser().request(await rig.linkFor({ personId: 'aad-nw', tenantId: 'tenant-northwind' }, { accountId: '5858585858' }));
    assert.match(page.body, /, of Northwind Traders\./);
  });

  it('says so in words, never with ids, when the person has no record and the organization no name', async () => {
    const page = await new Browser().request(await rig.linkFor({ personId: 'aad-unknown', tenantId: 'tenant-fabrikam' }, { accountId: '5757575757' }));
    assert.match(page.body, /made for a person whose name I don’t have, of your organization\./);
    assert.doesNotMatch(page.body, /aad-unknown|tenant-fabrikam/);
  });

  it('goes to the provider only with this browser’s cookie and the page’s token', async () => {
    const p = { personId: 'aad-csrf', tenantId: 'tenant-contoso' };
    await registerAs(p, 'Casey');
    const browser = new Browser();
    const confirmation = await browser.request(await rig.linkFor(p, { accountId: '5858585858' }));
    const token = /name="token" value="([^"]+)"/.exec(confirmation.body)?.[1];
    assert.ok(token);

    // Another browser (no cookie), a wrong token, no token: a page saying so, nothing sent to the provider.
    const continueUrl = `${rig.baseUrl}/signin/continue`;
    for (const [who, form] of [[new Browser(), { token }], [browser, { token: 'x'.repeat(43) }], [browser, { other: '1' }]] as const) {
      const refused = await who.request(continueUrl, { form: form as Record<string, string> });
      assert.equal(refused.status, 400);
      assert.match(refused.body, /browser that started it/);
      assert.equal(refused.headers.get('location'), null);
    }
    assert.equal((await browser.request(`${continueUrl}?token=${token}`)).status >= 400, true, 'a GET does not continue');

    const started = await browser.request(continueUrl, { form: { token } });
    assert.equal(started.status, 303);
    const location = new URL(started.headers.get('location')!);
    assert.ok(location.searchParams.get('state') && location.searchParams.get('nonce') && location.searchParams.get('code_challenge'));
  });

  it('refuses to continue with a ticket that completed meanwhile', async () => {
    const p = { personId: 'aad-late-continue', tenantId: 'tenant-contoso' };
    await registerAs(p, 'Lee');
    const link = await rig.linkFor(p, { accountId: '5959595959' });
    const early = new Browser();
    const confirmation = await early.open(link);
    const other = new Browser();
    const login = await other.openSignIn(link);
    assert.equal((await other.submitForm(login, { email: 'lee@example.com', mcid: '5959595959' })).status, 200);
    const late = await early.submitForm(confirmation, {});
    assert.equal(late.status, 400);
    assert.match(late.body, /already been used/);
  });
});
