/**
 * Draws the Teams app icons into appPackage/: color.png (192×192, the glyph in white on the accent colour, full
 * bleed as Teams crops it to a rounded square) and outline.png (32×32, the same glyph in white on transparency).
 * The glyph is two interlocking chain links, drawn from distance functions so the edges are anti-aliased without
 * any font or image library. Run with `npx tsx scripts/makeIcons.ts`; the output is deterministic.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

/** The accent colour of the app (also `accentColor` in the manifest). */
export const ACCENT_COLOR = '#0F6CBD';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Distance from (x, y) to the segment from (ax, ay) to (bx, by). */
function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/**
 * Coverage (0..1) of the glyph at a point in unit coordinates (-1..1): two stadium-shaped rings along the
 * diagonal, overlapping in the middle like the links of a chain.
 */
function glyphCoverage(x: number, y: number, stroke: number, pixel: number): number {
  const ring = (cx: number, cy: number): number => {
    // A stadium along the 45° diagonal, centred on (cx, cy).
    const half = 0.15;
    const radius = 0.22;
    const d = segmentDistance(x, y, cx - half, cy + half, cx + half, cy - half) - radius;
    return Math.abs(d) - stroke / 2;
  };
  const d = Math.min(ring(-0.25, 0.25), ring(0.25, -0.25));
  // One pixel of anti-aliasing around the edge.
  return Math.max(0, Math.min(1, 0.5 - d / pixel));
}

/** Renders the glyph into a square PNG; `background` undefined leaves it transparent. */
function drawIcon(size: number, options: { scale: number; stroke: number; background?: string }): Buffer {
  const png = new PNG({ width: size, height: size });
  const bg = options.background ? [1, 3, 5].map((i) => parseInt(options.background!.slice(i, i + 2), 16)) : undefined;
  const samples = 4; // 4×4 supersampling on top of the distance-based edge
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const ux = (((px + (sx + 0.5) / samples) / size) * 2 - 1) / options.scale;
          const uy = (((py + (sy + 0.5) / samples) / size) * 2 - 1) / options.scale;
          cover += glyphCoverage(ux, uy, options.stroke, 2 / size / options.scale / samples);
        }
      }
      cover /= samples * samples;
      const at = (py * size + px) * 4;
      if (bg) {
        for (let c = 0; c < 3; c++) png.data[at + c] = Math.round(bg[c]! * (1 - cover) + 255 * cover);
        png.data[at + 3] = 255;
      } else {
        png.data[at] = png.data[at + 1] = png.data[at + 2] = 255;
        png.data[at + 3] = Math.round(255 * cover);
      }
    }
  }
  return PNG.sync.write(png);
}

/** The two icons as PNG bytes. */
export function makeIcons(): { color: Buffer; outline: Buffer } {
  return {
    // The glyph stays inside the central area Teams recommends for full-bleed colour icons.
    color: drawIcon(192, { scale: 0.6, stroke: 0.15, background: ACCENT_COLOR }),
    // The outline icon has no padding and a heavier stroke so it stays legible at 32 pixels.
    outline: drawIcon(32, { scale: 1.1, stroke: 0.17 }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const icons = makeIcons();
  writeFileSync(path.join(root, 'appPackage', 'color.png'), icons.color);
  writeFileSync(path.join(root, 'appPackage', 'outline.png'), icons.outline);
  console.log(path.join(root, 'appPackage'));
}
