import i18next from 'i18next';
import { z } from 'zod';
import en from '../../locales/en/faq.json' with { type: 'json' };
import zhCN from '../../locales/zh-CN/faq.json' with { type: 'json' };
import fr from '../../locales/fr/faq.json' with { type: 'json' };
import type { FaqLocale, TopicId } from './topics.js';
import { FAQ_LOCALES, TOPIC_IDS } from './topics.js';

/** The numbers an answer quotes; they come from the rules policy so the text never disagrees with the rules. */
export interface FaqNumbers {
  readonly daysBetween: number;
  readonly startsPerYear: number;
  readonly creditDays: number;
  readonly universityHours: number;
  readonly universityMinDays: number;
  readonly universityMaxDays: number;
  readonly refreshDay: number;
}

const NUMBER_KEYS = ['daysBetween', 'startsPerYear', 'creditDays', 'universityHours', 'universityMinDays', 'universityMaxDays', 'refreshDay'] as const;

/** What a card shows for one topic in one language. */
export interface FaqEntry {
  readonly title: string;
  readonly answer: string;
}

/** The loaded, validated and interpolated FAQ in every language. */
export interface FaqContent {
  /** The title and answer of a topic in a language. */
  entry(topic: TopicId, locale: FaqLocale): FaqEntry;
  /** The phrasings the matcher learns from: the title first, then the alternatives. */
  questions(topic: TopicId, locale: FaqLocale): readonly string[];
}

const entrySchema = z.object({
  title: z.string().trim().min(1),
  answer: z.string().trim().min(1),
  alternatives: z.array(z.string().trim().min(1)).min(5),
});
const fileSchema = z.record(z.string(), entrySchema);
type RawEntry = z.infer<typeof entrySchema>;

/** The raw locale files, keyed by locale; exported for the seam tests. */
export const RAW_FAQ: Readonly<Record<FaqLocale, unknown>> = { en, 'zh-CN': zhCN, fr };

/** The i18next namespace of the FAQ files. */
const FAQ_NS = 'faq';

const PLACEHOLDER = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** The placeholder names a text uses, sorted, for comparing languages. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Parses the three locale files, checks that every topic exists in every language with the same
 * placeholders, and fills the placeholders through i18next (the files are its `faq` namespace, the numbers come from
 * the rules policy, never from a translation); throws one error listing every problem found.
 */
export function loadFaqContent(numbers: FaqNumbers, raw: Readonly<Record<FaqLocale, unknown>> = RAW_FAQ): FaqContent {
  const problems: string[] = [];
  const parsed = new Map<FaqLocale, Record<string, RawEntry>>();
  for (const locale of FAQ_LOCALES) {
    const result = fileSchema.safeParse(raw[locale]);
    if (!result.success) {
      problems.push(`locales/${locale}/faq.json: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      continue;
    }
    parsed.set(locale, result.data);
    for (const topic of TOPIC_IDS) if (!(topic in result.data)) problems.push(`locales/${locale}/faq.json: topic "${topic}" is missing`);
    for (const key of Object.keys(result.data)) {
      if (!(TOPIC_IDS as readonly string[]).includes(key)) problems.push(`locales/${locale}/faq.json: unknown topic "${key}"`);
    }
  }
  for (const key of NUMBER_KEYS) if (!Number.isFinite(numbers[key])) problems.push(`FaqNumbers.${key} is not a number`);
  const en = parsed.get('en');
  for (const [locale, file] of parsed) {
    for (const topic of TOPIC_IDS) {
      const e = file[topic];
      if (e === undefined) continue;
      for (const name of placeholdersOf(`${e.title} ${e.answer}`)) {
        if (!(NUMBER_KEYS as readonly string[]).includes(name)) problems.push(`locales/${locale}/faq.json ${topic}: unknown placeholder {{${name}}}`);
      }
      const ref = en?.[topic];
      if (ref !== undefined && locale !== 'en' && placeholdersOf(ref.answer).join() !== placeholdersOf(e.answer).join()) {
        problems.push(`locales/${locale}/faq.json ${topic}: placeholders ${placeholdersOf(e.answer).join(',')} differ from en ${placeholdersOf(ref.answer).join(',')}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`Invalid FAQ content:\n  ${problems.join('\n  ')}`);

  const faq = i18next.createInstance();
  void faq.init({
    resources: Object.fromEntries([...parsed].map(([locale, file]) => [locale, { [FAQ_NS]: file }])),
    ns: [FAQ_NS],
    defaultNS: FAQ_NS,
    lng: 'en',
    fallbackLng: false,
    // Synchronous: the resources are here already, and the service is built in a constructor.
    initAsync: false,
    // Answers go into Adaptive Cards, not HTML; a placeholder nothing fills is a bug, not a blank.
    interpolation: { escapeValue: false, skipOnVariables: true },
    missingInterpolationHandler: (text) => {
      throw new Error(`FAQ: placeholder with no number in "${text}"`);
    },
  });
  const entries = new Map<string, FaqEntry & { questions: readonly string[] }>();
  for (const [locale, file] of parsed) {
    const fixed = faq.getFixedT(locale, FAQ_NS);
    const t = (key: string): string => {
      const out = fixed(key, { ...numbers });
      if (out.includes('{{') || out.includes('}}')) throw new Error(`FAQ ${locale}/${key}: malformed placeholder in "${out}"`);
      return out;
    };
    for (const topic of TOPIC_IDS) {
      const title = t(`${topic}.title`);
      entries.set(`${locale}|${topic}`, {
        title,
        answer: t(`${topic}.answer`),
        questions: [title, ...file[topic]!.alternatives.map((_, i) => t(`${topic}.alternatives.${i}`))],
      });
    }
  }
  const get = (topic: TopicId, locale: FaqLocale): FaqEntry & { questions: readonly string[] } => {
    const e = entries.get(`${locale}|${topic}`);
    if (e === undefined) throw new Error(`No FAQ entry for ${topic} in ${locale}`);
    return e;
  };
  return {
    entry: (topic, locale) => {
      const { title, answer } = get(topic, locale);
      return { title, answer };
    },
    questions: (topic, locale) => get(topic, locale).questions,
  };
}
