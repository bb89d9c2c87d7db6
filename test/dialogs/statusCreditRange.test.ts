import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import type { Locale } from '../../locales/locale.js';
import { defaultPolicy, type Association, type Credential } from '../../rules/index.js';
import { AssociationService } from '../../services/associations/associations.js';
import { cardTexts } from '../support/cards.js';
import { freshStores, history, ME, NOW, register, startBot, type Reply } from './harness.js';
import { PHRASES } from './phrases.js';

const EMAIL = 'me@example.com';
const texts = (replies: Reply[]) => replies.flatMap((r) => [...(typeof r.text === 'string' ? [r.text] : []), ...cardTexts(r)]);

const linked: Association = { id: 'u1', ...ME, kind: 'university', accountId: EMAIL, start: new Date('2026-02-01T09:00:00Z') };
/** Passed after linking, on February 27: it counts 7 to 10 days later, March 6 to March 9. */
const assessment = (fields: Partial<Credential> = {}) =>
  ({
    id: 'pu1', tenantId: ME.tenantId, kind: 'university', accountId: EMAIL, type: 'assessment', code: 'PU-1', title: 'Azure assessment',
    passed: new Date('2026-02-27T09:00:00Z'), competencies: ['azure'], ...fields,
  }) as Credential;

const RANGE: Record<Locale, string> = {
  en: 'Between March 6, 2026 and March 9, 2026',
  fr: 'Entre le 6 mars 2026 et le 9 mars 2026',
  'zh-CN': '将在2026年3月6日至2026年3月9日之间开始计入',
};

describe('the status card shows rule 7’s range for a Partner University assessment passed after linking', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  async function storesWith(credential: Credential) {
    const stores = freshStores();
    await register(stores.ledger);
    await history(stores.ledger, [linked]);
    await stores.ledger.transact((tx) => tx.put('credentials', `${ME.tenantId}/${credential.id}`, credential));
    return stores;
  }

  for (const locale of Object.keys(RANGE) as Locale[]) {
    it(`says “${RANGE[locale]}” in ${locale}`, async () => {
      const stores = await storesWith(assessment());
      const shown = texts(await startBot(instance, stores).say(PHRASES[locale].status, { locale }));
      const at = shown.indexOf('PU-1 Azure assessment');
      assert.ok(at >= 0, JSON.stringify(shown));
      assert.equal(shown[at + 1], RANGE[locale]);
    });
  }

  it('names the end too when the assessment expires', async () => {
    const stores = await storesWith(assessment({ expires: new Date('2026-12-31T00:00:00Z') }));
    const shown = texts(await startBot(instance, stores).say('status'));
    assert.ok(shown.includes('Between March 6, 2026 and March 9, 2026, until December 31, 2026'), JSON.stringify(shown));
  });

  it('says since when once the range is over', async () => {
    const stores = await storesWith(assessment());
    const later = new Date('2026-03-10T09:00:00Z');
    const shown = texts(await startBot(instance, stores, later).say('status'));
    assert.ok(shown.includes('Since March 9, 2026'), JSON.stringify(shown));
  });

  it('carries earliest and latest through the service, with the upper bound as “counts by”', async () => {
    const stores = await storesWith(assessment());
    const status = await new AssociationService({ ledger: stores.ledger, policy: defaultPolicy, clock: () => NOW }).status(ME);
    const [credit] = status.credentials;
    assert.deepEqual(credit?.range, { earliest: new Date('2026-03-06T09:00:00Z'), latest: new Date('2026-03-09T09:00:00Z') });
    assert.deepEqual(credit?.counts?.from, new Date('2026-03-09T09:00:00Z'));
  });
});
