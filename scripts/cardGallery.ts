/**
 * `npm run gallery`: renders every card of the bot (scripts/gallery/cardSamples.ts) in every language and in the
 * Teams light and dark themes, in headless Chromium with the official Adaptive Cards renderer, and writes one PNG
 * per card, language and theme to docs/cards/ (replacing what was there). Exits non-zero when a card overflows,
 * cuts a text or misses an image.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createI18n } from '../locales/i18n.js';
import { LOCALES } from '../locales/locale.js';
import { translatorFor } from '../locales/translate.js';
import { defaultPolicy } from '../rules/index.js';
import { FaqService } from '../services/faq/index.js';
import { createMemoryLedger } from '../storage/index.js';
import { chromiumAvailable, CHROMIUM_PATH, openCardBrowser, THEMES } from './gallery/cardBrowser.js';
import { CARD_SAMPLES, galleryFileName, SAMPLE_NOW } from './gallery/cardSamples.js';

const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'cards');

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH}: apt-get install -y chromium`);
  const i18n = await createI18n();
  const faq = new FaqService({ policy: defaultPolicy, ledger: createMemoryLedger(), clock: () => SAMPLE_NOW });
  mkdirSync(outDir, { recursive: true });
  for (const file of readdirSync(outDir)) if (file.endsWith('.png')) rmSync(path.join(outDir, file));
  const browser = await openCardBrowser();
  const problems: string[] = [];
  let written = 0;
  try {
    for (const sample of CARD_SAMPLES) {
      for (const locale of LOCALES) {
        const card = sample.build({ t: translatorFor(i18n, locale), locale, timeZone: 'Europe/Paris', faq });
        for (const theme of THEMES) {
          const rendered = await browser.render(card.content as object, theme);
          writeFileSync(path.join(outDir, galleryFileName(sample, locale, theme)), rendered.png);
          written++;
          problems.push(...rendered.problems.map((p) => `${galleryFileName(sample, locale, theme)}: ${p}`));
        }
      }
    }
  } finally {
    await browser.close();
  }
  for (const problem of problems) console.error(problem);
  console.log(`${written} pictures (${CARD_SAMPLES.length} cards × ${LOCALES.length} languages × ${THEMES.length} themes)`);
  console.log(outDir);
  if (problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
