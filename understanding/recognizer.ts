import { findEntities, type Entities } from './entities.js';
import { detectLanguage, type Language } from './language.js';
import { OUT_OF_SCOPE, TOPIC_PREFIX, labelFamily } from './labels.js';
import { loadModel, softmax, type LoadedModel, type ModelFile } from './model.js';
import { normalize } from './normalize.js';

/** One label and its calibrated score (0–1; the scores of all labels add up to 1). */
interface ScoredLabel {
  readonly label: string;
  readonly score: number;
}

/** What the recognizer decided a message is. */
type Decision =
  /** One label, confident enough to act upon. */
  | { readonly kind: 'label'; readonly label: string; readonly score: number }
  /** Two labels too close to choose: ask the person. */
  | { readonly kind: 'clarify'; readonly choices: readonly [ScoredLabel, ScoredLabel] }
  /** Nothing the bot covers; `nearest` are the closest FAQ topics (ids without the prefix), best first. */
  | { readonly kind: 'out-of-scope'; readonly nearest: readonly string[] };

/** The understanding of one message. */
export interface Understanding {
  readonly language: Language;
  /** The best labels, best first, with calibrated scores. */
  readonly top: readonly ScoredLabel[];
  readonly decision: Decision;
  readonly entities: Entities;
}

/** Turns any text into a scored label, the language it is written in and the entities it names. */
export interface Recognizer {
  recognize(text: string, personLanguage: Language, options?: { readonly botName?: string }): Understanding;
  /** Every label the model knows. */
  readonly labels: readonly string[];
}

const TOP = 5;

/** A recognizer over a trained model file (decoded once, here). */
export function createRecognizer(file: ModelFile): Recognizer {
  return recognizerOver(loadModel(file));
}

/** A recognizer over a decoded model (the trainer uses it on a model it has not written yet). */
export function recognizerOver(model: LoadedModel): Recognizer {
  const { file, labels } = model;
  const isTopic = labels.map((l) => l.startsWith(TOPIC_PREFIX));
  return {
    labels,
    recognize(text, personLanguage, options = {}) {
      const language = detectLanguage(text, personLanguage);
      const entities = findEntities(text, options.botName);
      const exact = file.exact[normalize(text.slice(0, 200))];
      const p = softmax(model.logits(text), file.temperature);
      const top = best(p, TOP, () => true).map((i) => ({ label: labels[i]!, score: p[i]! }));
      const nearest = best(p, 3, (i) => isTopic[i]!).map((i) => labels[i]!.slice(TOPIC_PREFIX.length));
      if (exact !== undefined) return { language, top, entities, decision: { kind: 'label', label: exact, score: 1 } };
      return { language, top, entities, decision: decide(top, file, language, nearest) };
    },
  };
}

/** The indexes of the `k` highest scores among those `keep` accepts, best first (ties: the lower index); one pass, no sort. */
function best(p: Float64Array, k: number, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (!keep(i)) continue;
    let at = out.length;
    while (at > 0 && p[out[at - 1]!]! < p[i]!) at--;
    if (at < k) {
      out.splice(at, 0, i);
      if (out.length > k) out.pop();
    }
  }
  return out;
}

/** Acts on the best label when it is confident, asks between the two best when they are close, else declines. */
function decide(
  top: readonly ScoredLabel[],
  file: Pick<ModelFile, 'thresholds' | 'margin' | 'clarifyBelow'>,
  language: Language,
  nearest: readonly string[],
): Decision {
  const [first, second] = top;
  if (!first || first.label === OUT_OF_SCOPE) return { kind: 'out-of-scope', nearest };
  if (
    second &&
    second.label !== OUT_OF_SCOPE &&
    first.score < file.clarifyBelow &&
    first.score - second.score < file.margin &&
    clarifiable(first.label) &&
    clarifiable(second.label)
  ) {
    return { kind: 'clarify', choices: [first, second] };
  }
  if (first.score < file.thresholds[language]) return { kind: 'out-of-scope', nearest };
  return { kind: 'label', label: first.label, score: first.score };
}

/** Flows and topics can be offered as a choice; small talk and commands like "cancel" are not worth a question. */
function clarifiable(label: string): boolean {
  const family = labelFamily(label);
  return family === 'topic' || label === 'link' || label === 'unlink' || label === 'status';
}
