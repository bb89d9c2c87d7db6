/**
 * Renders Adaptive Cards the way a Teams client does, in a real browser: the official `adaptivecards` renderer
 * with a Teams host config (light or dark), in Debian's headless Chromium driven by playwright-core. Each render
 * returns a PNG of the card and what a reader would see go wrong: an element that overflows the card, a text that
 * is cut, an image that did not load. The page never reaches the network.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); a browser is never downloaded. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags that keep Chromium quiet, offline and usable as root in a container. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The themes of the gallery, each a host config written for the project. */
export const THEMES = ['light', 'dark'] as const;
/** A gallery theme: Teams' light or dark. */
type Theme = (typeof THEMES)[number];

/** Width of the card in pixels: about a card's width in a Teams desktop conversation. */
const CARD_WIDTH = 440;

const here = path.dirname(fileURLToPath(import.meta.url));
const hostConfigs: Record<Theme, unknown> = {
  light: JSON.parse(readFileSync(path.join(here, 'teams-light.hostconfig.json'), 'utf8')),
  dark: JSON.parse(readFileSync(path.join(here, 'teams-dark.hostconfig.json'), 'utf8')),
};
const rendererScript = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.js');

/** Whether Debian's Chromium is installed here. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** One rendered card. */
interface RenderedCard {
  readonly png: Buffer;
  /** Empty when the card reads well: otherwise one line per overflowing element, cut text or missing image. */
  readonly problems: string[];
}

// Buttons as Teams draws them: one line each, wrapping to a new row rather than shrinking, cut with an ellipsis
// when a label is wider than the card (which the checks then report).
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 16px; }
  #card { width: ${CARD_WIDTH}px; border-radius: 6px; overflow: hidden; }
  .ac-actionSet { flex-wrap: wrap !important; row-gap: 8px; }
  .ac-pushButton { min-height: 32px; padding: 4px 12px; border-radius: 4px; border: 1px solid var(--button-border);
    background: var(--button-background); color: var(--button-text); font: 600 14px/20px var(--font);
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; flex: 0 0 auto !important; cursor: pointer; }
</style></head><body><div id="card"></div></body></html>`;

/** A browser page that renders cards; close it when done. */
export interface CardBrowser {
  render(card: object, theme: Theme): Promise<RenderedCard>;
  close(): Promise<void>;
}

/** Starts Chromium with a throw-away profile and a page holding the renderer. */
export async function openCardBrowser(): Promise<CardBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'mcid-cards-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: CARD_WIDTH + 32, height: 600 },
      deviceScaleFactor: 1,
    });
    // Cards must not depend on the network; anything but the page itself is refused (and an image would show as missing).
    await context.route('**/*', (route) => (/^(about|data|blob):/.test(route.request().url()) ? route.continue() : route.abort()));
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent(PAGE);
    await page.addScriptTag({ content: readFileSync(rendererScript, 'utf8') });
    await page.addScriptTag({ content: readFileSync(path.join(here, 'renderInPage.js'), 'utf8') });
    const opened = context;
    return {
      render: (card, theme) => renderOn(page, card, theme),
      close: async () => {
        await opened.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

async function renderOn(page: Page, card: object, theme: Theme): Promise<RenderedCard> {
  const problems = await page.evaluate(
    ({ card, hostConfig }) => (globalThis as unknown as { renderCardForGallery: (c: object, h: unknown) => Promise<string[]> }).renderCardForGallery(card, hostConfig),
    { card, hostConfig: hostConfigs[theme] },
  );
  const png = await page.locator('#card').screenshot({ animations: 'disabled' });
  return { png, problems };
}
