import assert from 'node:assert/strict';
import { parseCardAction, type CardAction } from '../../cards/actions.js';

describe('parseCardAction', () => {
  const valid: CardAction[] = [
    { action: 'menu.link' },
    { action: 'menu.unlink' },
    { action: 'menu.status' },
    { action: 'menu.faq' },
    { action: 'menu.help' },
    { action: 'language.choose' },
    { action: 'language.set', locale: 'zh-CN' },
    { action: 'faq.feedback', topic: 'how-often-can-i-link', helpful: true, locale: 'fr', card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
    { action: 'faq.feedback', topic: 'mcid', helpful: false, locale: 'zh-CN', card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' },
  ];
  for (const payload of valid) {
    it(`accepts ${JSON.stringify(payload)}`, () => {
      assert.deepEqual(parseCardAction(payload), { ok: true, action: payload });
    });
  }

  it('strips the keys Teams adds (msteams) and returns a parsed copy, not the input', () => {
    const value = { action: 'faq.feedback', topic: 'unlink', helpful: true, locale: 'en', card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB', msteams: { type: 'messageBack' }, extra: 1 };
    const result = parseCardAction(value);
    assert.deepEqual(result, { ok: true, action: { action: 'faq.feedback', topic: 'unlink', helpful: true, locale: 'en', card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' } });
    assert.ok(result.ok);
    assert.notEqual(result.action, value);
  });

  const malformed: [string, unknown][] = [
    ['an unknown action', { action: 'menu.delete' }],
    ['a missing action', { locale: 'fr' }],
    ['a locale we do not speak', { action: 'language.set', locale: 'de' }],
    ['a locale in the wrong case', { action: 'language.set', locale: 'zh-cn' }],
    ['a missing locale', { action: 'language.set' }],
    ['helpful as a string', { action: 'faq.feedback', topic: 'unlink', helpful: 'true' }],
    ['a missing helpful', { action: 'faq.feedback', topic: 'unlink' }],
    ['a topic that is not kebab-case', { action: 'faq.feedback', topic: 'How_To Link', helpful: true }],
    ['an empty topic', { action: 'faq.feedback', topic: '', helpful: true }],
    ['a vote without its proof', { action: 'faq.feedback', topic: 'unlink', helpful: true, locale: 'en', card: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['a vote with a 200 KB card id', { action: 'faq.feedback', topic: 'unlink', helpful: true, locale: 'en', card: 'A'.repeat(200_000), proof: 'B'.repeat(43) }],
    ['a vote in a language we do not speak', { action: 'faq.feedback', topic: 'unlink', helpful: true, locale: 'de', card: 'AAAAAAAAAAAAAAAAAAAAAA', proof: 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' }],
    ['a numeric topic', { action: 'faq.feedback', topic: 42, helpful: true }],
    ['a string', 'menu.link'],
    ['null', null],
    ['undefined', undefined],
    ['an array', [{ action: 'menu.link' }]],
  ];
  for (const [what, value] of malformed) {
    it(`refuses ${what} with a readable reason`, () => {
      const result = parseCardAction(value);
      assert.equal(result.ok, false);
      assert.ok(!result.ok && result.error.length > 0);
    });
  }
});
