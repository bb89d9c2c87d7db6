import { FEATURE_VERSION, featurize } from './features.js';
import type { Language } from './language.js';

/** The model file's format name; another format is refused. */
export const MODEL_FORMAT = 'mcid-understanding/1';

/** The committed model file, as `npm run train` writes it. */
export interface ModelFile {
  readonly format: string;
  readonly featureVersion: number;
  /** SHA-256 of the training examples and of the training code: a test compares it to detect a stale model. */
  readonly dataHash: string;
  readonly labels: readonly string[];
  /** Per language: the least calibrated score a label needs to be acted upon (below: out of scope). */
  readonly thresholds: Readonly<Record<Language, number>>;
  /** When the two best labels are closer than this (and the best below `clarifyBelow`), the bot asks which one. */
  readonly margin: number;
  readonly clarifyBelow: number;
  /** Softmax temperature fitted on the dev split, so that scores read as probabilities. */
  readonly temperature: number;
  /** Short training phrases, normalized, with their label: a typed command the data names exactly. */
  readonly exact: Readonly<Record<string, string>>;
  /** Base64: the hashed feature ids the model knows (ascending uint32, little endian). */
  readonly features: string;
  /** Base64: one float32 scale per feature; a weight is its int8 value times its feature's scale. */
  readonly scales: string;
  /** Base64: int8 weights, one row of `labels.length` per feature. */
  readonly weights: string;
  readonly bias: readonly number[];
}

/** A model ready to score: decoded once when loaded, so a match reads no file and decodes nothing. */
export interface LoadedModel {
  readonly file: ModelFile;
  readonly labels: readonly string[];
  /** Raw (uncalibrated) label scores of a text. */
  logits(text: string): Float64Array;
}

/** Decodes a model file; refuses one written for another format or feature version. */
export function loadModel(file: ModelFile): LoadedModel {
  if (file.format !== MODEL_FORMAT) throw new Error(`understanding model: format ${file.format}, expected ${MODEL_FORMAT}`);
  if (file.featureVersion !== FEATURE_VERSION) throw new Error(`understanding model: feature version ${file.featureVersion}, expected ${FEATURE_VERSION}; run npm run train`);
  const ids = new Uint32Array(bytes(file.features).buffer);
  const scales = new Float32Array(bytes(file.scales).buffer);
  const weights = new Int8Array(bytes(file.weights).buffer);
  const L = file.labels.length;
  if (scales.length !== ids.length || weights.length !== ids.length * L || file.bias.length !== L) throw new Error('understanding model: sizes disagree');
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) throw new Error('understanding model: feature ids not ascending');
  return {
    file,
    labels: file.labels,
    logits(text: string): Float64Array {
      const f = featurize(text);
      const z = Float64Array.from(file.bias);
      for (let k = 0; k < f.ids.length; k++) {
        const r = rowOf(ids, f.ids[k]!);
        if (r < 0) continue;
        const v = f.values[k]! * scales[r]!;
        const base = r * L;
        for (let l = 0; l < L; l++) z[l]! += v * weights[base + l]!;
      }
      return z;
    },
  };
}

/**
 * The row of a feature id in the ascending ids, or -1: a binary search, where a Map over these 32-bit keys (heap
 * numbers to V8, not small integers) cost a third of the scoring.
 */
function rowOf(ids: Uint32Array, id: number): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = ids[mid]!;
    if (at === id) return mid;
    if (at < id) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

function bytes(base64: string): Uint8Array {
  const buf = Buffer.from(base64, 'base64');
  // A copy, so that the typed arrays over it start at offset 0 (aligned).
  return new Uint8Array(buf);
}

/** Softmax of logits divided by a temperature. */
export function softmax(z: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  const p = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    p[i] = Math.exp((z[i]! - max) / temperature);
    sum += p[i]!;
  }
  for (let i = 0; i < p.length; i++) p[i]! /= sum;
  return p;
}
