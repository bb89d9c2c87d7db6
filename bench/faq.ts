import { performance } from 'node:perf_hooks';
import { createFaqMatcher, loadFaqContent, FAQ_LOCALES } from '../services/faq/index.js';
import type { FaqLocale } from '../services/faq/index.js';
import type { IndexedQuestion } from '../services/faq/matcher.js';
import { TopicMatcher } from '../services/faq/matcher.js';

const NUMBERS = { daysBetween: 30, startsPerYear: 3, creditDays: 10, universityHours: 72, universityMinDays: 7, universityMaxDays: 10, refreshDay: 10 };

const QUESTIONS: [string, FaqLocale][] = [
  ['How do I link my MCID to Partner Center?', 'en'],
  ['why is my exam missing from the skills report', 'en'],
  ['I left my company, how do I get unlinked?', 'en'],
  ['How much does an exam cost?', 'en'],
  ['怎么取消 MCID 与公司的关联？', 'zh-CN'],
  ['谁可以下载技能报告？', 'zh-CN'],
  ['Combien de temps avant que ma certification compte ?', 'fr'],
  ['Pourquoi mon association est limitée ?', 'fr'],
];

// A deterministic generator, so two runs time the same synthetic corpus.
function rng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

function syntheticTopics(count: number): IndexedQuestion<string>[] {
  const random = rng(42);
  const words = ['link', 'mcid', 'report', 'partner', 'center', 'exam', 'account', 'remove', 'company', 'admin', 'days', 'competency', 'profile', 'access', 'support', 'alpha', 'beta', 'gamma', 'delta', 'omega'];
  const pick = (): string => words[Math.floor(random() * words.length)]!;
  const out: IndexedQuestion<string>[] = [];
  for (let t = 0; t < count; t++) {
    const own = `topic${t}word`;
    for (let a = 0; a < 15; a++) {
      const text = ['how', pick(), pick(), own, pick(), pick(), `${own}x${a % 3}`].join(' ');
      out.push({ topic: `t${t}`, locale: FAQ_LOCALES[a % 3]!, text, isTitle: a === 0 });
    }
  }
  return out;
}

function time(label: string, run: (text: string, locale: FaqLocale) => unknown, rounds: number): void {
  for (let i = 0; i < 50; i++) for (const [q, l] of QUESTIONS) run(q, l); // warm the JIT
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const [q, l] of QUESTIONS) {
      const start = performance.now();
      run(q, l);
      samples.push(performance.now() - start);
    }
  }
  samples.sort((a, b) => a - b);
  const at = (p: number): string => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!.toFixed(3);
  console.log(`${label}: median ${at(0.5)} ms, p99 ${at(0.99)} ms over ${samples.length} matches`);
}

/** Prints the median and p99 time to match one question against the real FAQ and against 1,000 synthetic topics. */
export async function benchFaq(): Promise<void> {
  let start = performance.now();
  const real = createFaqMatcher(loadFaqContent(NUMBERS));
  console.log(`faq: 19 topics indexed in ${(performance.now() - start).toFixed(1)} ms`);
  time('faq match, 19 topics', (q, l) => real.match(q, l), 250);

  start = performance.now();
  const synthetic = new TopicMatcher(syntheticTopics(1000));
  console.log(`faq: 1,000 synthetic topics (15,000 phrasings) indexed in ${(performance.now() - start).toFixed(1)} ms`);
  time('faq match, 1,000 topics', (q, l) => synthetic.match(q, l), 50);
}
