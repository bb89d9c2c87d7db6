import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { routeText } from '../dialogs/recognizers/intents.js';
import { OUT_OF_SCOPE, type Language, type Recognizer } from '../understanding/index.js';
import { defaultRecognizer } from '../understanding/defaultRecognizer.js';
import { ROOT } from './understandingData.js';

/** A labelled message of an evaluation set. */
export interface Labelled {
  readonly text: string;
  readonly label: string;
}

/**
 * The labelled messages of one language: the held-out set (`understanding`: test/fixtures/understanding/<lng>.jsonl,
 * never trained on, never used to fit thresholds) or the dev set (test/fixtures/understanding/dev/<lng>.jsonl, never
 * trained on; where errors are studied).
 */
export function labelledSet(set: 'understanding' | 'dev', language: Language): Labelled[] {
  const file = join(ROOT, 'test', 'fixtures', 'understanding', ...(set === 'dev' ? ['dev'] : []), `${language}.jsonl`);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Labelled);
}

/**
 * What the bot does with typed text, as a label comparable with the gold labels of the evaluation sets: the flow,
 * `topic:<id>`, small talk, `clarify:a|b`, `admin:<command>` / `alerts:<command>`, or out-of-scope. The routing is
 * the main dialog's own (`routeText`: the exact admin and alert commands first, then the recognizer).
 */
export function routedLabel(text: string, language: Language, recognizer: Recognizer = defaultRecognizer()): string {
  const intent = routeText(text, language, recognizer);
  switch (intent.kind) {
    case 'question':
      return `topic:${intent.topic}`;
    case 'small-talk':
      return intent.talk;
    case 'clarify':
      return `clarify:${intent.choices.map((c) => (c.kind === 'flow' ? c.flow : `topic:${c.topic}`)).join('|')}`;
    case 'choose-language':
      return 'language';
    case 'admin':
    case 'alerts':
      return `${intent.kind}:${intent.command.name}`;
    case 'unknown':
      return OUT_OF_SCOPE;
    default:
      return intent.kind;
  }
}
