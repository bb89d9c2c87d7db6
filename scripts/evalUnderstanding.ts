/**
 * Measures the recognizer on the held-out set (test/fixtures/understanding/<lng>.jsonl, never used for training or
 * for fitting thresholds), on the larger dev set (test/fixtures/understanding/dev/<lng>.jsonl, never trained on; it is
 * where errors are studied) and on the FAQ question set (test/fixtures/faq/questions.jsonl). Prints per language:
 * intent accuracy, FAQ top-1 in scope, out-of-scope declined, and the confusions.
 *
 *   npm run eval:understanding                      the committed model
 *   npm run eval:understanding -- --baseline=DIR    today's behaviour of another checkout (phrase lists + FAQ matcher)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as FaqModule from '../services/faq/index.js';
import { OUT_OF_SCOPE, type Language } from '../understanding/index.js';
import { labelledSet, routedLabel } from './evalSets.js';
import { LANGUAGES, ROOT } from './understandingData.js';

interface Item {
  readonly text: string;
  readonly label: string;
  readonly language: Language;
  readonly set: 'understanding' | 'dev' | 'faq';
}

function items(): Item[] {
  const out: Item[] = [];
  for (const language of LANGUAGES) {
    for (const set of ['understanding', 'dev'] as const) {
      for (const { text, label } of labelledSet(set, language)) out.push({ text, label, language, set });
    }
  }
  const faq = readFileSync(join(ROOT, 'test', 'fixtures', 'faq', 'questions.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
  for (const line of faq) {
    const q = JSON.parse(line) as { text: string; locale: Language; topic: string | null };
    out.push({ text: q.text, label: q.topic ? `topic:${q.topic}` : OUT_OF_SCOPE, language: q.locale, set: 'faq' });
  }
  return out;
}

/** A routing decision as a label: the flow, topic or command acted upon, `clarify:a|b`, or out-of-scope. */
type Route = (text: string, language: Language) => string;

/** What the bot does with the text, through the committed model. */
const current: Route = (text, language) => routedLabel(text, language);

async function baseline(dir: string): Promise<Route> {
  // The intents module moved to dialogs/recognizers/; an older checkout has it in dialogs/.
  const intentsFile = [join(dir, 'dialogs', 'recognizers', 'intents.ts'), join(dir, 'dialogs', 'intents.ts')].find((f) => existsSync(f))!;
  const intents = (await import(pathToFileURL(intentsFile).href)) as { recognizeText(text: string): unknown };
  const faq = (await import(pathToFileURL(join(dir, 'services', 'faq', 'index.ts')).href)) as typeof FaqModule;
  const numbers = { daysBetween: 30, startsPerYear: 3, creditDays: 10, universityHours: 72, universityMinDays: 7, universityMaxDays: 10, refreshDay: 10 };
  const matcher = faq.createFaqMatcher(faq.loadFaqContent(numbers));
  return (text, language) => {
    const intent = intents.recognizeText(text) as { kind: string; command?: { name: string } };
    switch (intent.kind) {
      case 'unknown': {
        const m = matcher.match(text, language);
        return m.kind === 'answer' ? `topic:${m.topic}` : OUT_OF_SCOPE;
      }
      case 'choose-language':
        return 'language';
      case 'admin':
      case 'alerts':
        return `${intent.kind}:${intent.command!.name}`;
      default:
        return intent.kind;
    }
  };
}

/** Intent accuracy, FAQ top-1 in scope and out-of-scope declined, counted over one set. */
interface Tally {
  intents: number;
  intentsRight: number;
  inScope: number;
  inScopeRight: number;
  oos: number;
  declined: number;
}

/** Counts one item of an intent set into `into`. */
function tally(into: Tally, gold: string, got: string, ok: boolean): void {
  into.intents++;
  if (ok) into.intentsRight++;
  if (gold.startsWith('topic:')) {
    into.inScope++;
    if (ok) into.inScopeRight++;
  }
  if (gold === OUT_OF_SCOPE) {
    into.oos++;
    if (got === OUT_OF_SCOPE) into.declined++;
  }
}

/** A greeting answered with the menu is answered right (today's bot shows the menu for "hi"). */
function right(gold: string, got: string): boolean {
  return got === gold || (gold === 'greeting' && got === 'help');
}

async function main(): Promise<void> {
  const arg = process.argv.find((a) => a.startsWith('--baseline='));
  const route = arg ? await baseline(arg.slice('--baseline='.length)) : current;
  console.log(arg ? `today's behaviour of ${arg.slice('--baseline='.length)}` : 'the recognizer (understanding/model.json)');
  const all = items();
  for (const language of LANGUAGES) {
    const mine = all.filter((i) => i.language === language);
    const confusions = new Map<string, number>();
    const devConfusions = new Map<string, number>();
    const count = { intents: 0, intentsRight: 0, inScope: 0, inScopeRight: 0, oos: 0, declined: 0, faqIn: 0, faqInRight: 0, faqOos: 0, faqDeclined: 0 };
    const dev = { intents: 0, intentsRight: 0, inScope: 0, inScopeRight: 0, oos: 0, declined: 0 };
    for (const item of mine) {
      const got = route(item.text, language);
      const ok = right(item.label, got) || (item.set === 'faq' && item.label === OUT_OF_SCOPE && !got.startsWith('topic:'));
      const topic = item.label.startsWith('topic:');
      if (item.set === 'dev') {
        // Kept apart: the dev set is for studying errors, so its confusions must not hide the held-out ones.
        if (!ok) devConfusions.set(`${item.label} → ${got}`, (devConfusions.get(`${item.label} → ${got}`) ?? 0) + 1);
        tally(dev, item.label, got, ok);
        continue;
      }
      if (!ok) confusions.set(`${item.label} → ${got}`, (confusions.get(`${item.label} → ${got}`) ?? 0) + 1);
      if (item.set === 'understanding') {
        tally(count, item.label, got, ok);
      } else if (topic) {
        count.faqIn++;
        if (ok) count.faqInRight++;
      } else {
        count.faqOos++;
        // The FAQ set marks small talk as out of scope too: anything but an FAQ answer declines it.
        if (!got.startsWith('topic:')) count.faqDeclined++;
      }
    }
    const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}% (${a}/${b})`;
    console.log(`\n${language}`);
    console.log(`  held-out set   intent accuracy ${pct(count.intentsRight, count.intents)}   FAQ top-1 in scope ${pct(count.inScopeRight, count.inScope)}   out-of-scope declined ${pct(count.declined, count.oos)}`);
    console.log(`  FAQ question set   top-1 in scope ${pct(count.faqInRight, count.faqIn)}   out-of-scope declined ${pct(count.faqDeclined, count.faqOos)}`);
    const worst = [...confusions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (worst.length) console.log(`  confusions: ${worst.map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join('; ')}`);
    console.log(`  dev set   intent accuracy ${pct(dev.intentsRight, dev.intents)}   FAQ top-1 in scope ${pct(dev.inScopeRight, dev.inScope)}   out-of-scope declined ${pct(dev.declined, dev.oos)}`);
    const devWorst = [...devConfusions.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (devWorst.length) console.log(`  dev confusions: ${devWorst.map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join('; ')}`);
  }
}

await main();
