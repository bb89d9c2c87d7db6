import { concepts } from './concepts.js';
import { normalize, words } from './normalize.js';

/**
 * The version of the feature extraction. The model file records it, and a model trained with another version is
 * refused when it is loaded, because its weights would be read against the wrong features.
 */
export const FEATURE_VERSION = 2;

/** A sparse feature vector: hashed feature ids (ascending, unique) and their values (unit length). */
export interface Features {
  readonly ids: Uint32Array;
  readonly values: Float64Array;
}

/** FNV-1a over UTF-16 code units: a stable 32-bit hash, the same on every machine. */
function hash32(text: string): number {
  return feed(OFFSET, text);
}

/** Longest text looked at: a long story carries its question in its first sentences, and the cost stays bounded. */
const MAX_CHARS = 600;

/**
 * Character 2–4-grams (which read Chinese without segmentation and survive typos), word unigrams and bigrams, and
 * the concepts of understanding/concepts.ts, each counted, damped (log) and scaled to unit length so that a long message weighs as much as a short one.
 */
export function featurize(text: string): Features {
  const n = normalize(text.length > MAX_CHARS * 2 ? text.slice(0, MAX_CHARS * 2) : text).slice(0, MAX_CHARS);
  // Every id as it comes, then sorted and counted in runs: a Map over these 32-bit keys (not small integers to V8)
  // took two thirds of the time. Room for 3 n-grams, a word and a bigram per character, the length and the concepts.
  const chars = Array.from(` ${n} `);
  const seen = new Uint32Array(chars.length * 5 + 16);
  let taken = 0;
  const add = (id: number): void => {
    seen[taken++] = id;
  };
  const start = feed(OFFSET, 'c');
  for (let i = 0; i < chars.length; i++) {
    let h = feed(start, chars[i]!);
    for (let size = 2; size <= 4 && i + size <= chars.length; size++) {
      h = feed(h, chars[i + size - 1]!);
      add(h);
    }
  }
  const ws = words(n);
  for (let i = 0; i < ws.length; i++) {
    add(hash32(`w${ws[i]}`));
    if (i + 1 < ws.length) add(hash32(`b${ws[i]} ${ws[i + 1]}`));
  }
  add(hash32(ws.length <= 3 ? 'lshort' : ws.length <= 8 ? 'lmid' : 'llong'));
  for (const key of concepts(n, text)) add(hash32(key));
  const sorted = seen.subarray(0, taken).sort();
  let unique = 0;
  for (let i = 0; i < taken; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) unique++;
  const ids = new Uint32Array(unique);
  const values = new Float64Array(unique);
  let norm = 0;
  for (let i = 0, k = 0; i < taken; k++) {
    let j = i + 1;
    while (j < taken && sorted[j] === sorted[i]) j++;
    const v = Math.log1p(j - i);
    ids[k] = sorted[i]!;
    values[k] = v;
    norm += v * v;
    i = j;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < values.length; i++) values[i]! /= norm;
  return { ids, values };
}

const OFFSET = 0x811c9dc5;

/** Continues an FNV-1a hash with the UTF-16 code units of a string. */
function feed(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
