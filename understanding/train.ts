/**
 * Training of the recognizer: multinomial logistic regression by stochastic gradient descent over hashed features,
 * deterministic (a seeded shuffle, a fixed order, no parallelism), so the same examples give the same model file.
 */
import { FEATURE_VERSION, featurize } from './features.js';
import type { Language } from './language.js';
import { MODEL_FORMAT, type LoadedModel, type ModelFile } from './model.js';

/** One labelled message. */
export interface Example {
  readonly text: string;
  readonly label: string;
  readonly language: Language;
}

/** The knobs of training; the defaults are what the committed model uses. */
export interface TrainOptions {
  readonly epochs: number;
  readonly learningRate: number;
  readonly l2: number;
  readonly seed: number;
  /** A feature must occur in this many examples to be kept (rarer ones are noise and weigh down the file). */
  readonly minCount: number;
}

/** The options of the committed model. */
const TRAIN_DEFAULTS: TrainOptions = { epochs: 30, learningRate: 1.5, l2: 1e-6, seed: 12, minCount: 3 };

/** Trained weights before quantization. */
export interface Weights {
  readonly labels: readonly string[];
  readonly features: Uint32Array;
  /** Row per feature, `labels.length` columns. */
  readonly w: Float64Array;
  readonly bias: Float64Array;
}

/** A small, seeded pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fits the weights. Labels are sorted, so the order of the examples' labels does not change the file. */
export function fit(examples: readonly Example[], options: TrainOptions = TRAIN_DEFAULTS): Weights {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const featurized = examples.map((e) => featurize(e.text));
  const df = new Map<number, number>();
  for (const f of featurized) for (const id of f.ids) df.set(id, (df.get(id) ?? 0) + 1);
  const features = Uint32Array.from([...df.entries()].filter(([, n]) => n >= options.minCount).map(([id]) => id).sort((a, b) => a - b));
  const row = new Map<number, number>();
  features.forEach((id, i) => row.set(id, i));
  const L = labels.length;
  const data = featurized.map((f, i) => {
    const rows: number[] = [];
    const vals: number[] = [];
    f.ids.forEach((id, k) => {
      const r = row.get(id);
      if (r !== undefined) {
        rows.push(r);
        vals.push(f.values[k]!);
      }
    });
    return { rows, vals, y: labelIndex.get(examples[i]!.label)! };
  });
  const w = new Float64Array(features.length * L);
  const bias = new Float64Array(L);
  const random = rng(options.seed);
  const order = data.map((_, i) => i);
  const z = new Float64Array(L);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const lr = options.learningRate / (1 + 0.25 * epoch);
    for (const index of order) {
      const { rows, vals, y } = data[index]!;
      z.set(bias);
      for (let k = 0; k < rows.length; k++) {
        const base = rows[k]! * L;
        const v = vals[k]!;
        for (let l = 0; l < L; l++) z[l]! += v * w[base + l]!;
      }
      let max = -Infinity;
      for (let l = 0; l < L; l++) if (z[l]! > max) max = z[l]!;
      let sum = 0;
      for (let l = 0; l < L; l++) {
        z[l] = Math.exp(z[l]! - max);
        sum += z[l]!;
      }
      for (let l = 0; l < L; l++) z[l] = z[l]! / sum - (l === y ? 1 : 0); // the gradient of the loss by the logits
      const decay = 1 - lr * options.l2;
      for (let k = 0; k < rows.length; k++) {
        const base = rows[k]! * L;
        const step = lr * vals[k]!;
        for (let l = 0; l < L; l++) w[base + l] = w[base + l]! * decay - step * z[l]!;
      }
      for (let l = 0; l < L; l++) bias[l]! -= lr * 0.1 * z[l]!;
    }
  }
  return { labels, features, w, bias };
}

/** The parts of the model file that calibration decides. */
export interface Calibration {
  readonly thresholds: Readonly<Record<Language, number>>;
  readonly margin: number;
  readonly clarifyBelow: number;
  readonly temperature: number;
}

/** Quantizes the weights (int8 with a scale per feature) into a model file. */
export function toModelFile(weights: Weights, calibration: Calibration, exact: Readonly<Record<string, string>>, dataHash: string): ModelFile {
  const L = weights.labels.length;
  const F = weights.features.length;
  const scales = new Float32Array(F);
  const q = new Int8Array(F * L);
  for (let r = 0; r < F; r++) {
    let max = 0;
    for (let l = 0; l < L; l++) max = Math.max(max, Math.abs(weights.w[r * L + l]!));
    const scale = Math.fround(max / 127) || 1;
    scales[r] = scale;
    for (let l = 0; l < L; l++) q[r * L + l] = Math.max(-127, Math.min(127, Math.round(weights.w[r * L + l]! / scale)));
  }
  return {
    format: MODEL_FORMAT,
    featureVersion: FEATURE_VERSION,
    dataHash,
    labels: weights.labels,
    thresholds: calibration.thresholds,
    margin: calibration.margin,
    clarifyBelow: calibration.clarifyBelow,
    temperature: calibration.temperature,
    exact,
    features: Buffer.from(weights.features.buffer, weights.features.byteOffset, weights.features.byteLength).toString('base64'),
    scales: Buffer.from(scales.buffer).toString('base64'),
    weights: Buffer.from(q.buffer).toString('base64'),
    bias: [...weights.bias].map((b) => Number(b.toFixed(6))),
  };
}

/** Fits the softmax temperature on held-out examples (least negative log-likelihood over a fixed grid). */
export function fitTemperature(model: LoadedModel, dev: readonly Example[]): number {
  const logits = dev.map((e) => ({ z: model.logits(e.text), y: model.labels.indexOf(e.label) })).filter((d) => d.y >= 0);
  let best = 1;
  let bestLoss = Infinity;
  for (let t = 0.2; t <= 3.001; t += 0.05) {
    let loss = 0;
    for (const { z, y } of logits) {
      let max = -Infinity;
      for (const v of z) if (v > max) max = v;
      let sum = 0;
      for (const v of z) sum += Math.exp((v - max) / t);
      loss -= (z[y]! - max) / t - Math.log(sum);
    }
    if (loss < bestLoss - 1e-9) {
      bestLoss = loss;
      best = Number(t.toFixed(2));
    }
  }
  return best;
}
