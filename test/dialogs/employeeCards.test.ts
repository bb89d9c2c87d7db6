import assert from 'node:assert/strict';
import type { Attachment } from 'botbuilder';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import {
  accountKindCard,
  alreadyLinkedCard,
  boundElsewhereCard,
  moveCard,
  notRegisteredCard,
  nothingToUnlinkCard,
  otherAccountCard,
  signInCard,
  statusCard,
  unlinkConfirmCard,
  unlinkedCard,
  waitCard,
} from '../../cards/employee.js';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { defaultPolicy, type Association } from '../../rules/index.js';
import { submitPayloads, validateAdaptiveCard } from '../cards/validateCard.js';

const now = new Date('2026-03-02T09:00:00Z');
const learn: Association = { id: 'a1', personId: 'p', tenantId: 't', kind: 'learn', accountId: '12345678', start: new Date('2026-01-15T09:00:00Z') };
const university: Association = { ...learn, id: 'u1', kind: 'university', accountId: 'me@example.com' };

describe('employee cards', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of LOCALES) {
    it(`renders every employee card in ${locale} as a valid Adaptive Card 1.5 whose buttons parse unchanged`, () => {
      const t = translatorFor(instance, locale);
      const where = { t, timeZone: 'Europe/Paris' };
      const cards: Array<[string, Attachment]> = [
        ['kind', accountKindCard(t)],
        ['not registered', notRegisteredCard(t)],
        ['bound elsewhere', boundElsewhereCard(t, { kind: 'learn', accountId: '12345678' })],
        ['wait (cool-off)', waitCard(where, { until: now, constraint: 'cool-off', startsUsed: 1, startsLeft: 2 }, defaultPolicy)],
        ['wait (yearly)', waitCard(where, { until: now, constraint: 'yearly-limit', startsUsed: 3, startsLeft: 0 }, defaultPolicy)],
        ['already linked', alreadyLinkedCard(where, learn)],
        ['other account', otherAccountCard(t, 'university')],
        ['move', moveCard(t, { kind: 'learn', accountId: '12345678', quota: { startsUsed: 2, startsLeft: 1 }, nonce: 'nonce-0001' }, defaultPolicy)],
        ['sign-in (learn, move)', signInCard(t, { kind: 'learn', accountId: '12345678', url: 'https://bot.example/signin/start?ticket=x', move: true }, defaultPolicy)],
        ['sign-in (university)', signInCard(t, { kind: 'university', accountId: 'me@example.com', url: 'https://bot.example/s', move: false }, defaultPolicy)],
        ['unlink confirm', unlinkConfirmCard(where, [learn, university], 'nonce-0001')],
        ['nothing to unlink', nothingToUnlinkCard(t)],
        ['unlinked (learn)', unlinkedCard(where, { ended: learn, creditUntil: now }, defaultPolicy)],
        ['unlinked (university)', unlinkedCard(where, { ended: university, creditUntil: now }, defaultPolicy)],
        ['status (not registered)', statusCard(where, { tenantId: 't', registered: false, linked: [], learn: null, credentials: [] }, defaultPolicy, now)],
        ['status (nothing)', statusCard(where, { tenantId: 't', registered: true, linked: [], learn: null, credentials: [] }, defaultPolicy, now)],
        [
          'status (full)',
          statusCard(
            where,
            {
              tenantId: 't',
              registered: true,
              linked: [learn, university],
              learn: { startsUsed: 2, nextAllowed: now, linkedElsewhere: false },
              credentials: [
                { credential: { id: 'c', tenantId: 't', kind: 'learn', accountId: '12345678', type: 'exam', code: 'AZ-104', title: 'Azure', passed: now, competencies: [] }, counts: null },
                {
                  credential: { id: 'd', tenantId: 't', kind: 'learn', accountId: '12345678', type: 'exam', code: 'AZ-305', title: 'Azure', passed: now, competencies: [] },
                  counts: { from: now, until: new Date('2026-06-10T00:00:00Z'), stopReason: 'credential-expires' },
                },
              ],
            },
            defaultPolicy,
            now,
          ),
        ],
      ];
      for (const [name, card] of cards) {
        assert.deepEqual(validateAdaptiveCard(card), [], name);
        for (const payload of submitPayloads(card)) {
          const parsed = parseCardAction(payload);
          assert.ok(parsed.ok, `${name}: ${JSON.stringify(payload)}`);
          assert.deepEqual(parsed.action, payload, name);
        }
      }
    });
  }
});
