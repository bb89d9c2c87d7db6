import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const rulesDir = fileURLToPath(new URL('../../rules/', import.meta.url));
const sources = readdirSync(rulesDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));

/** Every module specifier in a source: static imports and re-exports, side-effect imports, dynamic imports, require. */
function specifiers(source: string): string[] {
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  return patterns.flatMap((p) => [...source.matchAll(p)].map((m) => m[1] ?? ''));
}

describe('rules/ purity', () => {
  it('has source files to check', () => {
    assert.ok(sources.includes('index.ts') && sources.includes('policy.ts'));
  });

  for (const file of sources) {
    it(`${file} imports only files of rules/ (as ./x.js) and zod`, () => {
      const source = readFileSync(join(rulesDir, file), 'utf8');
      const found = specifiers(source);
      const bad = found.filter((s) => s !== 'zod' && !/^\.\/[\w.-]+\.js$/.test(s));
      assert.deepEqual(bad, [], `${file} imports ${bad.join(', ')}`);
      for (const s of found.filter((x) => x.startsWith('./'))) {
        assert.ok(existsSync(join(rulesDir, s.replace(/\.js$/, '.ts'))), `${file} imports missing ${s}`);
      }
    });

    it(`${file} reads neither the environment nor the clock`, () => {
      const code = readFileSync(join(rulesDir, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\bprocess\b|\bDate\.now\b|new Date\(\s*\)|\bMath\.random\b/);
    });
  }

  it('recognises the import forms it must reject', () => {
    const sample = "import { a } from 'botbuilder';\nimport type { B } from '../services/x.js';\nexport * from 'node:fs';\nimport 'i18next';\nconst c = await import('lowdb');";
    assert.deepEqual(specifiers(sample).sort(), ['../services/x.js', 'botbuilder', 'i18next', 'lowdb', 'node:fs']);
  });
});
