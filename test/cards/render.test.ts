import assert from 'node:assert/strict';
import { MAX_CARD_BYTES, renderCard } from '../../cards/render.js';
import { validateAdaptiveCard } from './validateCard.js';

const template = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: '${title}', wrap: true }],
};

describe('renderCard', () => {
  it('expands the bindings and returns an Adaptive Card attachment', () => {
    const card = renderCard(template, { title: 'Hello' });
    assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.deepEqual(card.content, { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Hello', wrap: true }] });
    assert.deepEqual(validateAdaptiveCard(card), []);
  });

  it('throws when a binding has no data, instead of showing "${title}" to a person', () => {
    assert.throws(() => renderCard(template, {}), /unresolved binding: \$\{title\}/);
  });

  it('shows a ${ that comes from data (a display name, a CSV title) as text instead of failing the card', () => {
    const card = renderCard(template, { title: 'Eve ${hacker}', nested: [{ name: '${x}' }] });
    const text = (card.content as { body: Array<{ text: string }> }).body[0]!.text;
    assert.equal(text.replace('\u200B', ''), 'Eve ${hacker}', 'reads the same to a person');
    assert.ok(!text.includes('${'), 'and can never be taken for a binding');
    assert.deepEqual(validateAdaptiveCard(card), []);
  });

  it('throws on a card version Teams does not render for bots', () => {
    assert.throws(() => renderCard({ ...template, version: '1.6' }, { title: 'x' }), /version/);
    assert.throws(() => renderCard({ type: 'AdaptiveCard', body: [] }, {}), /version/);
  });

  it('throws on something that is not an Adaptive Card', () => {
    assert.throws(() => renderCard({ type: 'HeroCard', version: '1.5' }, {}), /AdaptiveCard/);
  });

  it('throws above the Teams message size budget', () => {
    assert.doesNotThrow(() => renderCard(template, { title: 'x'.repeat(1000) }));
    assert.throws(() => renderCard(template, { title: 'x'.repeat(MAX_CARD_BYTES / 2) }), /limit/);
  });

  it('renders one template, parsed once, with the data of each call (a failed render leaves nothing behind)', () => {
    const repeated = { type: 'AdaptiveCard', version: '1.5', body: [{ $data: '${items}', type: 'TextBlock', text: '${name}', wrap: true }] };
    const texts = (data: object): string[] => (renderCard(repeated, data).content as { body: Array<{ text: string }> }).body.map((b) => b.text);
    assert.deepEqual(texts({ items: [{ name: 'a' }, { name: 'b' }] }), ['a', 'b']);
    assert.throws(() => renderCard(repeated, { items: [{ other: 1 }] }), /unresolved binding/);
    assert.deepEqual(texts({ items: [{ name: 'c' }] }), ['c']);
    assert.throws(() => renderCard(template, {}), /unresolved binding/, 'an unbound ${ still fails after the template was cached');
  });
});

describe('validateAdaptiveCard', () => {
  it('reports what Teams would not render', () => {
    const problems = validateAdaptiveCard({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard',
        version: '1.6',
        body: [{ type: 'Foo' }, { type: 'TextBlock' }, { type: 'Input.Text' }],
        actions: [{ type: 'Action.OpenUrl', title: 'Go' }],
      },
    });
    for (const expected of [/UnknownElementType/, /unique Id/, /"url" must be set/, /version \(1\.6\)/, /version is "1\.6"/, /TextBlock has no text/]) {
      assert.ok(problems.some((p) => expected.test(p)), `${String(expected)} in ${JSON.stringify(problems)}`);
    }
  });
});

describe('prepareCards', () => {
  it('names every template of cards/templates/, so that none is parsed for the first time in a turn', async () => {
    const { readdir, readFile } = await import('node:fs/promises');
    const { CARD_TEMPLATES } = await import('../../cards/index.js');
    const folder = new URL('../../cards/templates/', import.meta.url);
    const files = (await readdir(folder)).filter((name) => name.endsWith('.json'));
    const onDisk = await Promise.all(files.map(async (name) => JSON.stringify(JSON.parse(await readFile(new URL(name, folder), 'utf8')))));
    assert.deepEqual(CARD_TEMPLATES.map((t) => JSON.stringify(t)).sort(), onDisk.sort());
  });
});
