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

  it('throws when a data value itself carries a ${', () => {
    assert.throws(() => renderCard(template, { title: 'costs ${price}' }), /unresolved binding/);
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
