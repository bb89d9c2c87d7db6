import assert from 'node:assert/strict';
import type { Attachment } from 'botbuilder';
import type { i18n } from 'i18next';
import { parseCardAction } from '../../cards/actions.js';
import { alertCard, competencyStatusCard, type AlertCardData } from '../../cards/alert.js';
import { PARTNER_LINKS } from '../../rules/index.js';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor, type Translate } from '../../locales/translate.js';
import { cardTexts } from '../support/cards.js';
import { submitPayloads, validateAdaptiveCard } from './validateCard.js';

const alertId = '0123456789abcdef0123456789abcdef';
const atRisk: AlertCardData = {
  requirementId: 'req-azure',
  kind: 'at-risk',
  cause: 'unlink',
  competency: 'Azure',
  required: 3,
  current: 3,
  lowest: 2,
  effectiveAt: new Date('2026-04-10T00:00:00Z'),
  involved: [
    { name: 'Alice Martin', credentials: [{ code: 'AZ-104', title: 'Azure Administrator Associate' }], change: 'stops', at: new Date('2026-04-10T00:00:00Z'), reason: 'association-ended', endReason: 'unlinked' },
    { name: 'Bo Chen', credentials: [{ code: 'AZ-305', title: 'Azure Solutions Architect Expert' }], change: 'stops', at: new Date('2026-04-30T00:00:00Z'), reason: 'credential-expires' },
    { name: 'Chloé Durand', credentials: [{ code: 'AZ-900', title: 'Azure Fundamentals' }], change: 'stopped' },
  ],
  moreInvolved: 4,
};
const notMet: AlertCardData = { ...atRisk, kind: 'not-met', current: 2, effectiveAt: new Date('2026-03-02T09:00:00Z') };
const allClear: AlertCardData = { ...atRisk, kind: 'all-clear', current: 3, involved: [], moreInvolved: 0 };

function allCards(t: Translate, locale: (typeof LOCALES)[number]): [string, Attachment][] {
  return [
    ['at-risk', alertCard(t, locale, alertId, atRisk)],
    ['at-risk acknowledged', alertCard(t, locale, alertId, atRisk, { name: 'Ada Admin', at: new Date('2026-03-03T08:30:00Z') })],
    ['not-met', alertCard(t, locale, alertId, notMet)],
    ['all-clear', alertCard(t, locale, alertId, allClear)],
    ...(['met', 'at-risk', 'not-met'] as const).map((status): [string, Attachment] => [
      `status ${status}`,
      competencyStatusCard(t, locale, {
        requirementId: 'req-azure', status, competency: 'Azure', required: 3, current: 3, lowest: 2,
        changesAt: status === 'met' ? null : new Date('2026-04-10T00:00:00Z'), evaluatedAt: new Date('2026-03-02T09:00:00Z'),
      }),
    ]),
  ];
}

describe('alert cards', () => {
  let instance: i18n;
  before(async () => {
    instance = await createI18n();
  });

  for (const locale of LOCALES) {
    it(`render as valid Adaptive Cards 1.5 in ${locale}, with only payloads cards/actions.ts accepts`, () => {
      for (const [name, card] of allCards(translatorFor(instance, locale), locale)) {
        assert.deepEqual(validateAdaptiveCard(card), [], `${locale} ${name}`);
        for (const payload of submitPayloads(card)) {
          const parsed = parseCardAction(payload);
          assert.ok(parsed.ok, `${name}: ${JSON.stringify(payload)}`);
          assert.deepEqual(parsed.action, payload);
        }
        assert.ok(JSON.stringify(card.content).length * 2 < 80 * 1024);
      }
    });
  }

  it('shows required, current and after pending changes, the people, the effective date and the three actions', () => {
    const t = translatorFor(instance, 'en');
    const card = alertCard(t, 'en', alertId, atRisk);
    const texts = cardTexts({ attachments: [card] });
    assert.ok(texts.includes('Competency at risk: Azure'));
    assert.ok(texts.includes('Required') && texts.includes('Counting now') && texts.includes('After pending changes'));
    assert.ok(texts.includes('April 10, 2026'));
    assert.ok(texts.includes('Alice Martin (AZ-104 Azure Administrator Associate) stops counting on April 10, 2026: the account was unlinked'));
    assert.ok(texts.includes('Others affected: 4'));
    assert.deepEqual(submitPayloads(card), [{ action: 'alert.ack', alert: alertId }, { action: 'alert.status', requirement: 'req-azure' }]);
    const openUrl = (card.content as { actions: { type: string; url?: string }[] }).actions.find((a) => a.type === 'Action.OpenUrl');
    assert.equal(openUrl?.url, PARTNER_LINKS.competencies);
  });

  it('replaces the Acknowledge button with who acknowledged and when', () => {
    const t = translatorFor(instance, 'fr');
    const card = alertCard(t, 'fr', alertId, atRisk, { name: 'Ada Admin', at: new Date('2026-03-03T08:30:00Z') });
    assert.ok(cardTexts({ attachments: [card] }).includes('Prise en charge par Ada Admin le 3 mars 2026'));
    assert.ok(submitPayloads(card).every((p) => (p as { action: string }).action !== 'alert.ack'));
  });

  it('writes the requirement in the admin’s language', () => {
    const zh = translatorFor(instance, 'zh-CN');
    const texts = cardTexts({ attachments: [alertCard(zh, 'zh-CN', alertId, atRisk)] });
    assert.ok(texts.includes('能力面临风险：Azure'));
    assert.ok(texts.includes('要求：Azure，需要 3 人持有符合条件的认证'));
  });
});
