import assert from 'node:assert/strict';
import type { i18n } from 'i18next';
import { describeOutcome, formatInstant } from '../../../bot/signin/outcomeView.js';
import { signInOutcomeCard } from '../../../cards/signIn.js';
import { createI18n } from '../../../locales/i18n.js';
import { LOCALES } from '../../../locales/locale.js';
import { translatorFor } from '../../../locales/translate.js';
import { defaultPolicy, type Association } from '../../../rules/index.js';
import type { SignInOutcome } from '../../../services/signin/completion.js';
import type { TicketPayload } from '../../../services/signin/tickets.js';
import { validateAdaptiveCard } from '../../cards/validateCard.js';

const start = new Date('2026-03-02T09:00:00Z');
const association: Association = { id: 'a1', personId: 'p', tenantId: 't', kind: 'learn', accountId: '4242424242', start };
const ticket: TicketPayload = {
  v: 1,
  jti: 'j'.repeat(24),
  personId: 'p',
  tenantId: 't',
  kind: 'learn',
  accountId: '4242424242',
  conversation: {},
  locale: 'en',
  iat: 0,
  exp: 1,
};

const outcomes: Array<[string, SignInOutcome, TicketPayload]> = [
  ['linked', { kind: 'linked', association, ended: null, creditFrom: new Date('2026-03-12T09:00:00Z') }, ticket],
  [
    'linked after a move',
    { kind: 'linked', association, ended: { ...association, id: 'a0', tenantId: 'old', end: start, endReason: 'moved' }, creditFrom: start },
    ticket,
  ],
  [
    'linked (Partner University)',
    { kind: 'linked', association: { ...association, kind: 'university', accountId: 'me@contoso.com' }, ended: null, creditFrom: start },
    { ...ticket, kind: 'university', accountId: 'me@contoso.com' },
  ],
  ['already linked', { kind: 'already-linked', association }, ticket],
  ['cool-off', { kind: 'wait', until: new Date('2026-04-01T09:00:00Z'), constraint: 'cool-off', startsUsed: 1, startsLeft: 2 }, ticket],
  ['yearly limit', { kind: 'wait', until: new Date('2026-09-01T09:00:00Z'), constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 }, ticket],
  ...(
    [
      'not-self-service',
      'not-registered',
      'account-bound-to-another-person',
      'person-has-another-account',
      'account-mismatch',
      'subject-mismatch',
      'login-bound-to-another-account',
      'login-bound-to-another-person',
    ] as const
  ).map((reason): [string, SignInOutcome, TicketPayload] => [`refused: ${reason}`, { kind: 'refused', reason }, ticket]),
];

describe('sign-in outcomes, as pages and cards', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of LOCALES) {
    it(`says every outcome in ${locale} with real sentences, and renders each as a valid card`, () => {
      const t = translatorFor(instance, locale);
      for (const [name, outcome, tk] of outcomes) {
        const view = describeOutcome(t, locale, outcome, tk, defaultPolicy);
        for (const text of [view.title, ...view.lines]) {
          assert.doesNotMatch(text, /signin:|outcome\.|\{\{/, `${name}: ${text}`);
        }
        assert.deepEqual(validateAdaptiveCard(signInOutcomeCard(view)), [], name);
      }
    });
  }

  it('puts the policy’s numbers and the dates into the sentences', () => {
    const t = translatorFor(instance, 'en');
    const wait = describeOutcome(t, 'en', outcomes[4]![1], ticket, defaultPolicy);
    assert.ok(wait.lines[0]!.includes(String(defaultPolicy.daysBetweenAssociationStarts)));
    assert.ok(wait.lines[1]!.includes('April 1, 2026'));
    assert.equal(wait.status, 409);
    const linked = describeOutcome(t, 'en', outcomes[0]![1], ticket, defaultPolicy);
    assert.equal(linked.status, 200);
    assert.ok(linked.lines[1]!.includes('March 12, 2026'));
  });

  it('writes instants in the person’s language, in UTC', () => {
    const instant = new Date('2026-04-01T09:00:00Z');
    assert.match(formatInstant('en', instant), /April 1, 2026.*09:00.*UTC/);
    assert.match(formatInstant('fr', instant), /1er avril 2026.*09:00.*UTC/);
    assert.match(formatInstant('zh-CN', instant), /2026年4月1日/);
    assert.match(formatInstant('fr', instant, 'Europe/Paris'), /1er avril 2026.*11:00/);
  });
});
