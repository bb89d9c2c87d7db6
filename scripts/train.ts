/**
 * Trains the recognizer from the data into understanding/model.json (`npm run train`). The same data gives the same
 * file, byte for byte. Thresholds and temperature are fitted on a dev split (every fifth hand-written example and
 * its augmented copies) with a model trained without it; the committed model is then trained on everything.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT_OF_SCOPE, loadModel, recognizerOver, type Language, type LoadedModel } from '../understanding/index.js';
import { fit, fitTemperature, toModelFile, type Calibration } from '../understanding/train.js';
import { LANGUAGES, ROOT, augment, baseExamples, corpusHash, exactPhrases, type BaseExample } from './understandingData.js';

const MARGIN = 0.06;
const CLARIFY_BELOW = 0.5;
/**
 * The range the per-language threshold is searched in. The dev split comes from the same hands as the training data
 * and is easier than what people type, so an unbounded search overfits it (it climbs to 0.8 and then declines real
 * questions); out of scope is a class of its own, so the threshold only has to catch what the model barely knows.
 */
const THRESHOLD_MIN = 0.3;
const THRESHOLD_MAX = 0.4;

/** The threshold per language that best balances answering in-scope messages right and declining the rest. */
function fitThresholds(devModel: LoadedModel, dev: readonly BaseExample[], temperature: number): Calibration['thresholds'] {
  const probe = { ...devModel, file: { ...devModel.file, temperature } };
  const thresholds = {} as Record<Language, number>;
  for (const language of LANGUAGES) {
    const items = dev.filter((e) => e.language === language);
    let best = THRESHOLD_MIN;
    let bestScore = -1;
    for (let theta = THRESHOLD_MIN; theta <= THRESHOLD_MAX + 1e-9; theta += 0.025) {
      const file = { ...probe.file, thresholds: { en: theta, 'zh-CN': theta, fr: theta } };
      const recognizer = recognizerOver({ ...probe, file });
      let inScope = 0;
      let right = 0;
      let oos = 0;
      let declined = 0;
      for (const e of items) {
        const d = recognizer.recognize(e.text, language).decision;
        if (e.label === OUT_OF_SCOPE) {
          oos++;
          if (d.kind === 'out-of-scope') declined++;
        } else {
          inScope++;
          if (d.kind === 'label' && d.label === e.label) right++;
        }
      }
      const score = right / Math.max(1, inScope) + declined / Math.max(1, oos);
      if (score > bestScore + 1e-9) {
        bestScore = score;
        best = Number(theta.toFixed(3));
      }
    }
    thresholds[language] = best;
  }
  return thresholds;
}

function main(): void {
  const base = baseExamples();
  const isDev = (e: BaseExample) => e.base % 5 === 4;
  const all = augment(base);
  const train = all.filter((e) => !isDev(e));
  const dev = base.filter(isDev);
  const devModel = loadModel(toModelFile(fit(train), { thresholds: { en: 0, 'zh-CN': 0, fr: 0 }, margin: MARGIN, clarifyBelow: CLARIFY_BELOW, temperature: 1 }, {}, ''));
  const temperature = fitTemperature(devModel, dev);
  const thresholds = fitThresholds(devModel, dev, temperature);
  const model = toModelFile(fit(all), { thresholds, margin: MARGIN, clarifyBelow: CLARIFY_BELOW, temperature }, exactPhrases(base), corpusHash(base));
  const path = join(ROOT, 'understanding', 'model.json');
  writeFileSync(path, `${JSON.stringify(model)}\n`);
  console.log(`${base.length} examples (${all.length} with augmentation), ${model.labels.length} labels; temperature ${temperature}; thresholds ${JSON.stringify(thresholds)}`);
  console.log(`wrote ${path}`);
}

main();
