import assert from 'node:assert/strict';
import { Template } from 'adaptivecards-templating';
import { compileTemplate } from '../../cards/compileTemplate.js';
import { CARD_TEMPLATES } from '../../cards/index.js';

/** What adaptivecards-templating makes of a template and its data: the behaviour the compiled templates keep. */
const engine = (template: unknown, data: unknown): unknown => new Template(template).expand({ $root: data });

/** Expands with both and holds them equal, JSON included (an `undefined` left in an array is written as null by both). */
function same(template: unknown, data: unknown): unknown {
  const compiled = compileTemplate(template)(data);
  assert.deepEqual(compiled, engine(template, data));
  assert.equal(JSON.stringify(compiled), JSON.stringify(engine(template, data)));
  return compiled;
}

describe('compileTemplate', () => {
  it('expands like adaptivecards-templating: bindings of any type, missing values left as written, null kept', () => {
    const template = { type: 'X', a: '${text}', b: '${count}', c: '${flag}', d: '${payload}', e: '${missing}', f: '${nothing}', g: 'plain', h: 3, i: null, j: true };
    const card = same(template, { text: 'hi', count: 2, flag: false, payload: { action: 'menu.link', list: [1, 2] }, nothing: null });
    assert.deepEqual(card, { type: 'X', a: 'hi', b: 2, c: false, d: { action: 'menu.link', list: [1, 2] }, e: '${missing}', f: null, g: 'plain', h: 3, i: null, j: true });
  });

  it('repeats an object over its $data: spread in arrays, one item as itself, none as null, a missing array left as written', () => {
    const item = { $data: '${items}', type: 'Item', title: '${label}', at: '${$index}', all: '${$root.name}' };
    const template = { list: [{ type: 'First' }, item, { type: 'Last' }], alone: item, none: { $data: '${empty}', type: 'None' } };
    same(template, { name: 'n', items: [{ label: 'a' }, { label: 'b' }], empty: [] });
    same(template, { name: 'n', items: [{ label: 'only' }], empty: [] });
    same(template, { name: 'n', items: { label: 'an object' }, empty: [] });
    same(template, { name: 'n', empty: [] });
    same(template, { name: 'n', items: ['x', null, undefined, 'y'], empty: [] });
  });

  it('reads ${$data}, nested $data and dotted paths in the current item, names without regard to case', () => {
    const template = {
      sections: [{ $data: '${sections}', heading: '${title.text}', lines: [{ $data: '${lines}', type: 'Line', text: '${$data}', of: '${$root.owner.name}' }] }],
    };
    same(template, { owner: { name: 'o' }, sections: [{ title: { text: 'A' }, lines: ['1', '2'] }, { title: { text: 'B' }, lines: [] }] });
    same({ a: '${Title}', b: '${title}' }, { title: 't', TITLE: 'T' });
    same({ a: '${title}' }, { TITLE: 'T', title: 't' });
    same({ a: '${length}', b: '${items.length}', c: '${text.length}' }, { items: [1], text: 'abc' });
  });

  it('keeps an object only when its $when is true, and evaluates expressions that are not paths', () => {
    const template = {
      body: [
        { $when: '${count(items) > 0}', type: 'Shown' },
        { $when: '${count(none) > 0}', type: 'Hidden' },
        { $when: '${missing}', type: 'Undecided' },
        { $when: 'not an expression', type: 'Dropped' },
        { $data: '${items}', $when: '${ok}', type: 'Some', v: '${v}' },
      ],
      sum: '${count(items) + 1}',
      text: 'Hello ${name}, ${missing} and ${items[0].v}',
      literal: '${true}',
    };
    same(template, { name: 'Eve', items: [{ ok: true, v: 1 }, { ok: false, v: 2 }, { ok: 'yes', v: 3 }], none: [] });
  });

  it('expands every card template as the engine does, for data that names every binding once or not at all', () => {
    for (const template of CARD_TEMPLATES) {
      same(template, {});
      const names = new Set([...JSON.stringify(template).matchAll(/\$\{([A-Za-z_]\w*)\}/g)].map((m) => m[1]!));
      const data = Object.fromEntries([...names].map((name) => [name, [{ label: 'l', payload: { action: 'menu.link' }, url: 'https://x.test', title: 't', value: 'v' }]]));
      same(template, data);
    }
  });
});
