/**
 * The recognizer's training data, read from locales/<lng>/understanding.train.json and the FAQ's own titles and
 * alternative phrasings (locales/<lng>/faq.json), augmented the way people write in Teams: a greeting in front, a
 * sentence of context around a question, a typo. Shared by `npm run train` and the test that finds a stale model.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { labelFamily, normalize, type Language } from '../understanding/index.js';
import { rng, type Example } from '../understanding/train.js';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The languages with training data. */
export const LANGUAGES: readonly Language[] = ['en', 'zh-CN', 'fr'];

const trainFileSchema = z.object({
  /** Openers people put in front of a request or question ("hi", "bonjour,", "您好，"). */
  greetings: z.array(z.string().min(1)).min(1),
  /** Sentences of a long message around the question itself. */
  context: z.array(z.string().min(1)).min(1),
  /** FAQ alternatives that are requests to the bot, not questions (they train the action instead). */
  faqAlternativesSkipped: z.array(z.string()).default([]),
  examples: z.record(z.string().regex(/^[a-z:-]+$/), z.array(z.string().min(1)).min(1)),
});

const faqSchema = z.record(z.string(), z.object({ title: z.string(), alternatives: z.array(z.string()).default([]) }));

/** One hand-written example before augmentation; `base` groups it with its augmented copies. */
export interface BaseExample extends Example {
  readonly base: number;
}

/** The source files the model depends on, besides the data: a change to any of them makes the model stale. */
export const CODE_FILES = ['understanding/features.ts', 'understanding/concepts.ts', 'understanding/normalize.ts', 'understanding/train.ts', 'scripts/understandingData.ts', 'scripts/train.ts'];

/** Reads every language's examples (hand-written and FAQ phrasings), in a fixed order. */
export function baseExamples(): BaseExample[] {
  const out: BaseExample[] = [];
  let base = 0;
  for (const language of LANGUAGES) {
    const file = trainFileSchema.parse(JSON.parse(readFileSync(join(ROOT, 'locales', language, 'understanding.train.json'), 'utf8')));
    for (const [label, texts] of Object.entries(file.examples)) for (const text of texts) out.push({ text, label, language, base: base++ });
    const skipped = new Set(file.faqAlternativesSkipped.map(normalize));
    const faq = faqSchema.parse(JSON.parse(readFileSync(join(ROOT, 'locales', language, 'faq.json'), 'utf8')));
    for (const [topic, entry] of Object.entries(faq)) {
      for (const text of [entry.title, ...entry.alternatives]) {
        if (!skipped.has(normalize(text))) out.push({ text, label: `topic:${topic}`, language, base: base++ });
      }
    }
  }
  return out;
}

function trainFile(language: Language) {
  return trainFileSchema.parse(JSON.parse(readFileSync(join(ROOT, 'locales', language, 'understanding.train.json'), 'utf8')));
}

/** A typo: two neighbouring letters swapped, or one dropped (Latin words only; Chinese typos are other characters). */
function typo(text: string, random: () => number): string | undefined {
  const positions = [...text.matchAll(/[a-z]{4,}/gi)].map((m) => m.index! + 1 + Math.floor(random() * (m[0].length - 2)));
  if (positions.length === 0) return undefined;
  const at = positions[Math.floor(random() * positions.length)]!;
  return random() < 0.5 ? text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2) : text.slice(0, at) + text.slice(at + 1);
}

/** Adds, per example and deterministically, a greeting in front, a context sentence around it, or a typo. */
export function augment(examples: readonly BaseExample[], seed = 7): BaseExample[] {
  const random = rng(seed);
  const files = new Map(LANGUAGES.map((l) => [l, trainFile(l)]));
  const out: BaseExample[] = [];
  for (const e of examples) {
    out.push(e);
    const { greetings, context } = files.get(e.language)!;
    const family = labelFamily(e.label);
    if (family === 'small-talk' && e.label === 'greeting') continue;
    const pick = (list: readonly string[]) => list[Math.floor(random() * list.length)]!;
    const sep = e.language === 'zh-CN' ? '' : ' ';
    if (random() < 0.45) out.push({ ...e, text: `${pick(greetings)}${sep}${e.text}` });
    if ((family === 'topic' || family === 'out-of-scope') && random() < 0.6) {
      out.push({ ...e, text: random() < 0.5 ? `${pick(context)}${sep}${e.text}` : `${e.text}${sep}${pick(context)}` });
    }
    if (random() < 0.35) {
      const t = typo(e.text, random);
      if (t) out.push({ ...e, text: t });
    }
  }
  return out;
}

/**
 * Short phrases that name one label only (commands, small talk, admin and alert commands): the recognizer answers
 * them exactly, as typed buttons must be.
 */
export function exactPhrases(examples: readonly BaseExample[]): Record<string, string> {
  const seen = new Map<string, Set<string>>();
  for (const e of examples) {
    const n = normalize(e.text);
    const set = seen.get(n) ?? new Set<string>();
    set.add(e.label);
    seen.set(n, set);
  }
  const exact: Record<string, string> = {};
  for (const e of examples) {
    const family = labelFamily(e.label);
    if (family === 'topic' || family === 'out-of-scope') continue;
    const n = normalize(e.text);
    const short = n.split(' ').length <= 5 && n.length <= 30;
    if (short && seen.get(n)!.size === 1) exact[n] = e.label;
  }
  return Object.fromEntries(Object.entries(exact).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** SHA-256 of the examples and of the code that turns them into a model. */
export function corpusHash(examples: readonly BaseExample[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(examples.map((e) => [e.language, e.label, e.text])));
  for (const file of CODE_FILES) h.update(readFileSync(join(ROOT, file)));
  return h.digest('hex');
}
