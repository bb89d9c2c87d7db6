import assert from 'node:assert/strict';
import { NAMESPACES, resources } from '../../locales/resources.js';
import { LOCALES } from '../../locales/locale.js';

/** Flattens nested strings to dotted keys, as i18next reads them. */
function flatten(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    for (const [key, child] of Object.entries(node)) {
      for (const [k, v] of flatten(child, `${prefix}${key}.`)) out.set(k, v);
    }
  } else {
    out.set(prefix.slice(0, -1), node);
  }
  return out;
}

/** The interpolations and nestings of a string, whitespace-normalised and sorted, e.g. `{{date,datetime(dateStyle:long)}}`. */
function tokens(text: string): string[] {
  return (text.match(/\{\{[^}]*\}\}|\$t\([^)]*\)/g) ?? []).map((t) => t.replace(/\s+/g, '')).sort();
}

for (const namespace of NAMESPACES) {
  describe(`locales/*/${namespace}.json`, () => {
    const en = flatten(resources.en[namespace]);
    for (const locale of LOCALES) {
      describe(locale, () => {
        const strings = flatten(resources[locale][namespace]);

        it('has exactly the keys of en', () => {
          assert.deepEqual([...strings.keys()].sort(), [...en.keys()].sort());
        });

        it('has the same placeholders and nestings as en in every string', () => {
          for (const [key, value] of strings) {
            assert.deepEqual(tokens(String(value)), tokens(String(en.get(key))), key);
          }
        });

        it('has only non-empty strings', () => {
          for (const [key, value] of strings) {
            assert.equal(typeof value, 'string', key);
            assert.notEqual(String(value).trim(), '', key);
          }
        });

        it('writes no policy numbers and no template bindings into the text', () => {
          for (const [key, value] of strings) {
            const prose = String(value).replace(/\{\{[^}]*\}\}|\$t\([^)]*\)/g, '');
            // 30 days, 3 starts a year, 10 days: they come from rules/policy.ts as placeholders, never as text.
            assert.doesNotMatch(prose, /\d/, key);
            // A `${` would be mistaken for a binding by the card templating and make renderCard throw.
            assert.doesNotMatch(prose, /\$\{/, key);
          }
        });
      });
    }
  });
}
