import model from './model.json' with { type: 'json' };
import type { ModelFile } from './model.js';
import { createRecognizer, type Recognizer } from './recognizer.js';

let instance: Recognizer | undefined;

/** The recognizer over the committed model (understanding/model.json), decoded on first use and then shared. */
export function defaultRecognizer(): Recognizer {
  instance ??= createRecognizer(model as ModelFile);
  return instance;
}
