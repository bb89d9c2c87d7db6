/* global document, getComputedStyle */
// Runs inside the gallery's Chromium page, after the adaptivecards bundle (which defines the AdaptiveCards global):
// renders one card with a host config into #card and returns what a reader would see go wrong. Plain JavaScript
// because it never runs in Node.

/** Renders `card` with `hostConfig` and lists overflowing elements, cut texts and missing images. */
globalThis.renderCardForGallery = async (card, hostConfig) => {
  const AC = globalThis.AdaptiveCards;
  const config = hostConfig;
  const root = document.getElementById('card');
  const style = document.body.style;
  const dark = config.containerStyles.default.backgroundColor !== '#FFFFFF';
  style.background = dark ? '#141414' : '#F5F5F5';
  style.setProperty('--font', config.fontFamily);
  style.setProperty('--button-background', config.containerStyles.default.backgroundColor);
  style.setProperty('--button-text', config.containerStyles.default.foregroundColors.default.default);
  style.setProperty('--button-border', dark ? '#666666' : '#D1D1D1');

  const adaptiveCard = new AC.AdaptiveCard();
  adaptiveCard.hostConfig = new AC.HostConfig(hostConfig);
  adaptiveCard.parse(card);
  const element = adaptiveCard.render();
  if (!element) return ['the renderer produced nothing'];
  // The renderer hides an image that fails to load, so listen before it can: each image either loads or is missing.
  const images = [...element.querySelectorAll('img')].map(
    (img) =>
      new Promise((done) => {
        if (img.complete) return done(img.naturalWidth > 0 ? undefined : img.src);
        img.addEventListener('load', () => done(img.naturalWidth > 0 ? undefined : img.src), { once: true });
        img.addEventListener('error', () => done(img.src), { once: true });
      }),
  );
  root.replaceChildren(element);
  await document.fonts.ready;
  const missingImages = (await Promise.all(images)).filter((src) => src !== undefined);

  const describe = (el) => {
    const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ');
    return `<${el.tagName.toLowerCase()}${el.className ? ` class="${String(el.className)}"` : ''}> "${text.slice(0, 60)}"`;
  };
  const found = [];
  const box = root.getBoundingClientRect();
  for (const el of root.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > box.right + 0.5 || r.left < box.left - 0.5) found.push(`overflows the card by ${Math.round(Math.max(r.right - box.right, box.left - r.left))}px: ${describe(el)}`);
    if (!el.innerText?.trim()) continue;
    // A text is cut only where its box clips: overflow other than visible, with more content than room.
    const css = getComputedStyle(el);
    if (css.overflowX !== 'visible' && el.scrollWidth > el.clientWidth) found.push(`text cut (${el.scrollWidth - el.clientWidth}px too wide): ${describe(el)}`);
    if (css.overflowY !== 'visible' && el.scrollHeight > el.clientHeight) found.push(`text cut (${el.scrollHeight - el.clientHeight}px too tall): ${describe(el)}`);
  }
  for (const src of missingImages) found.push(`image missing: ${src.slice(0, 100)}`);
  return found;
};
