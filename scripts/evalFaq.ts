/**
 * Measures the FAQ matcher: per language, top-1 accuracy on in-scope questions and the share of
 * out-of-scope questions it declines, on the shared dev set (when present) and on the project's own set.
 * Run with `npx tsx scripts/evalFaq.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FaqLocale, FaqMatcher, TopicId } from '../services/faq/index.js';
import { createFaqMatcher, loadFaqContent, FAQ_LOCALES, TOPIC_IDS } from '../services/faq/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The numbers of the rules policy; the eval only needs plausible values to load the content. */
export const EVAL_NUMBERS = { daysBetween: 30, startsPerYear: 3, creditDays: 10, universityHours: 72, universityMinDays: 7, universityMaxDays: 10, refreshDay: 10 };

const questionSchema = z.object({
  id: z.string(),
  locale: z.enum(FAQ_LOCALES),
  text: z.string().min(1),
  topic: z.enum(TOPIC_IDS).nullable(),
});

/** One labelled question; `topic` null means the bot should decline it. */
export type LabelledQuestion = z.infer<typeof questionSchema>;

/** Reads a JSON-lines question file and validates every line. */
export function readQuestions(path: string): LabelledQuestion[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l, i) => {
      const parsed = questionSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}

/** Per-language results of one question set. */
export interface EvalResult {
  readonly locale: FaqLocale;
  readonly inScope: number;
  readonly correct: number;
  readonly outOfScope: number;
  readonly rejected: number;
  readonly misses: readonly string[];
}

/** Runs the matcher over labelled questions, asking each in its own locale as the person's locale. */
export function evaluate(matcher: FaqMatcher, questions: readonly LabelledQuestion[]): EvalResult[] {
  return FAQ_LOCALES.map((locale) => {
    let inScope = 0;
    let correct = 0;
    let outOfScope = 0;
    let rejected = 0;
    const misses: string[] = [];
    for (const q of questions.filter((x) => x.locale === locale)) {
      const r = matcher.match(q.text, q.locale);
      const got: TopicId | null = r.kind === 'answer' ? r.topic : null;
      const langOk = r.locale === q.locale;
      if (q.topic === null) {
        outOfScope++;
        if (got === null) rejected++;
        else misses.push(`  [oos→${got} ${r.kind === 'answer' ? r.score : ''}] ${q.text}`);
      } else {
        inScope++;
        if (got === q.topic && langOk) correct++;
        else misses.push(`  [${q.topic}→${got ?? `none (${r.kind === 'out-of-scope' ? r.suggestions.join(',') : ''})`}${langOk ? '' : ` lang ${r.locale}`}] ${q.text}`);
      }
    }
    return { locale, inScope, correct, outOfScope, rejected, misses };
  });
}

function pct(a: number, b: number): string {
  return b === 0 ? '  n/a' : `${((100 * a) / b).toFixed(1)}%`;
}

function main(): void {
  const content = loadFaqContent(EVAL_NUMBERS);
  const matcher = createFaqMatcher(content);
  const sets: [string, string][] = [
    ['shared dev set', join(root, '..', 'shared', 'faq-dev.jsonl')],
    ['project set', join(root, 'test', 'fixtures', 'faq', 'questions.jsonl')],
  ];
  const quiet = process.argv.includes('--quiet');
  for (const [name, path] of sets) {
    if (!existsSync(path)) {
      console.log(`${name}: ${path} not found, skipped`);
      continue;
    }
    console.log(`\n== ${name} (${path})`);
    for (const r of evaluate(matcher, readQuestions(path))) {
      console.log(`${r.locale.padEnd(6)} in scope top-1 ${pct(r.correct, r.inScope)} (${r.correct}/${r.inScope})   out of scope rejected ${pct(r.rejected, r.outOfScope)} (${r.rejected}/${r.outOfScope})`);
      if (!quiet) for (const m of r.misses) console.log(m);
    }
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
