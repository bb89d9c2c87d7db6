import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { i18n } from 'i18next';
import { createI18n } from '../../locales/i18n.js';
import { LOCALES } from '../../locales/locale.js';
import { translatorFor } from '../../locales/translate.js';
import { defaultPolicy } from '../../rules/index.js';
import { FaqService } from '../../services/faq/index.js';
import { createMemoryLedger } from '../../storage/index.js';
import { chromiumAvailable, CHROMIUM_PATH, openCardBrowser, THEMES, type CardBrowser } from '../../scripts/gallery/cardBrowser.js';
import { CARD_SAMPLES, SAMPLE_NOW } from '../../scripts/gallery/cardSamples.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('card gallery', () => {
  let instance: i18n;
  const faq = new FaqService({ policy: defaultPolicy, ledger: createMemoryLedger(), clock: () => SAMPLE_NOW });
  before(async () => {
    instance = await createI18n();
  });

  it('has a sample for every card builder in cards/, with unique names', async () => {
    const samples = readFileSync(path.join(root, 'scripts/gallery/cardSamples.ts'), 'utf8');
    const builders: string[] = [];
    for (const file of readdirSync(path.join(root, 'cards')).filter((f) => f.endsWith('.ts') && f !== 'render.ts')) {
      const module = (await import(path.join(root, 'cards', file))) as Record<string, unknown>;
      builders.push(...Object.entries(module).filter(([name, value]) => typeof value === 'function' && /Card$/.test(name)).map(([name]) => name));
    }
    assert.ok(builders.length >= 20, builders.join(', '));
    assert.deepEqual(builders.filter((name) => !samples.includes(`${name}(`)), [], 'card builders without a gallery sample');
    const names = CARD_SAMPLES.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const name of names) assert.match(name, /^[a-z0-9-]+$/);
  });

  it('builds every sample in every language with nothing left untranslated', () => {
    for (const locale of LOCALES) {
      for (const sample of CARD_SAMPLES) {
        const card = JSON.stringify(sample.build({ t: translatorFor(instance, locale), locale, timeZone: 'Europe/Paris', faq }).content);
        assert.doesNotMatch(card, /\$\{|\{\{|"(admin|employee|signin|alerts|faq):/, `${sample.name} in ${locale}`);
      }
    }
  });

  describe('in headless Chromium with the Teams host configs', function () {
    this.timeout(60_000);
    let browser: CardBrowser | undefined;
    before(async function () {
      if (!chromiumAvailable()) {
        console.log(`      (skipped: Chromium is not installed at ${CHROMIUM_PATH}; apt-get install -y chromium, as .ci/run does)`);
        this.skip();
      }
      browser = await openCardBrowser();
    });
    after(() => browser?.close());

    it('reports an overflowing element, a cut text and a missing image', async () => {
      const bad = {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'A sentence far too long to fit on one line of a card that is only as wide as a Teams message', wrap: false },
          { type: 'Image', url: 'https://example.invalid/picture.png', altText: 'picture' },
          { type: 'ColumnSet', columns: [{ type: 'Column', width: '900px', items: [{ type: 'TextBlock', text: 'wide', wrap: true }] }] },
        ],
      };
      const { problems, png } = await browser!.render(bad, 'light');
      assert.ok(png.length > 0);
      assert.ok(problems.some((p) => p.startsWith('text cut') && p.includes('A sentence far too long')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('image missing')), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('overflows the card')), problems.join('\n'));
    });

    for (const sample of CARD_SAMPLES) {
      it(`draws ${sample.name} in ${LOCALES.join(', ')}, ${THEMES.join(' and ')}, with nothing overflowing, cut or missing`, async () => {
        const problems: string[] = [];
        for (const locale of LOCALES) {
          const card = sample.build({ t: translatorFor(instance, locale), locale, timeZone: 'Europe/Paris', faq });
          for (const theme of THEMES) {
            const rendered = await browser!.render(card.content as object, theme);
            problems.push(...rendered.problems.map((p) => `${locale} ${theme}: ${p}`));
          }
        }
        assert.deepEqual(problems, []);
      });
    }
  });
});
