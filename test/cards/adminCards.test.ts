import assert from 'node:assert/strict';
import { parseCardAction } from '../../cards/actions.js';
import { adminCard } from '../../cards/admin.js';
import { submitPayloads, validateAdaptiveCard } from './validateCard.js';

describe('admin cards', () => {
  it('render sections with facts, lines, buttons and links as a valid Adaptive Card 1.5', () => {
    const card = adminCard({
      title: 'Competency status',
      intro: 'Met: 1',
      sections: [
        { heading: '⚠️ Azure', tone: 'warning', facts: [{ title: 'Required', value: '2' }], lines: ['Dan: AZ-104 stops counting'], buttons: [{ label: 'Remind', payload: { action: 'admin.remind', personId: 'aad-dan' } }] },
        { heading: 'Empty section' },
      ],
      buttons: [{ label: 'Skills report', payload: { action: 'admin.open', view: 'report' } }],
      links: [{ label: 'Download', url: 'https://bot.example/api/reports/t/skills.csv?token=x' }],
    });
    assert.deepEqual(validateAdaptiveCard(card), []);
    for (const payload of submitPayloads(card)) {
      const parsed = parseCardAction(payload);
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.action, payload);
    }
  });

  it('render a card with nothing but a title', () => {
    assert.deepEqual(validateAdaptiveCard(adminCard({ title: 'Audit log' })), []);
  });

  it('refuse admin payloads with a malformed person id', () => {
    assert.equal(parseCardAction({ action: 'admin.remind', personId: 'a b<script>' }).ok, false);
    assert.equal(parseCardAction({ action: 'admin.deleteAccount.confirm' }).ok, false);
    assert.equal(parseCardAction({ action: 'admin.open', view: 'everything' }).ok, false);
  });
});
