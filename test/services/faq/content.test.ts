import { strict as assert } from 'node:assert';
import type { FaqNumbers } from '../../../services/faq/index.js';
import { loadFaqContent, FAQ_LOCALES, TOPIC_IDS } from '../../../services/faq/index.js';
import { RAW_FAQ, placeholdersOf } from '../../../services/faq/content.js';

const NUMBERS: FaqNumbers = { daysBetween: 30, startsPerYear: 3, creditDays: 10, universityHours: 72, universityMinDays: 7, universityMaxDays: 10, refreshDay: 10 };

type RawFile = Record<string, { title: string; answer: string; alternatives: string[] }>;
const raw = (locale: (typeof FAQ_LOCALES)[number]): RawFile => RAW_FAQ[locale] as RawFile;
const clone = (): Record<(typeof FAQ_LOCALES)[number], RawFile> => structuredClone({ en: raw('en'), 'zh-CN': raw('zh-CN'), fr: raw('fr') });

describe('FAQ content', () => {
  for (const locale of FAQ_LOCALES) {
    it(`has every topic in ${locale} with a title, an answer and at least 10 alternatives`, () => {
      const file = raw(locale);
      assert.deepEqual(Object.keys(file).sort(), [...TOPIC_IDS].sort());
      for (const topic of TOPIC_IDS) {
        const e = file[topic]!;
        assert.ok(e.title.trim().length > 0, `${locale}/${topic} title`);
        assert.ok(e.answer.trim().length > 20, `${locale}/${topic} answer`);
        assert.ok(e.alternatives.length >= 10, `${locale}/${topic} has ${e.alternatives.length} alternatives`);
        assert.equal(new Set(e.alternatives).size, e.alternatives.length, `${locale}/${topic} repeats an alternative`);
      }
    });
  }

  it('uses the same placeholders in every language for each answer', () => {
    for (const topic of TOPIC_IDS) {
      const expected = placeholdersOf(raw('en')[topic]!.answer);
      for (const locale of FAQ_LOCALES) assert.deepEqual(placeholdersOf(raw(locale)[topic]!.answer), expected, `${locale}/${topic}`);
    }
  });

  it('writes no rule number as a literal in an answer: numbers come from the policy', () => {
    for (const locale of FAQ_LOCALES) {
      for (const topic of TOPIC_IDS) assert.doesNotMatch(raw(locale)[topic]!.answer.replace(/\{\{\w+\}\}/g, '').replace(/^\d+\.\s/gm, ''), /\b(?:3|7|10|30|72)\b/, `${locale}/${topic}`);
    }
  });

  it('fills every placeholder with the numbers it is given', () => {
    const content = loadFaqContent({ ...NUMBERS, daysBetween: 45, universityHours: 48 });
    for (const locale of FAQ_LOCALES) {
      for (const topic of TOPIC_IDS) {
        const { title, answer } = content.entry(topic, locale);
        assert.ok(!`${title}${answer}`.includes('{{'), `${locale}/${topic} keeps a placeholder`);
        for (const q of content.questions(topic, locale)) assert.ok(!q.includes('{{'), `${locale}/${topic}: ${q}`);
      }
    }
    assert.match(content.entry('association-limited', 'fr').answer, /45 jours/);
    assert.match(content.entry('link-university', 'en').answer, /48 hours/);
    assert.match(content.entry('credit-time', 'zh-CN').answer, /10 天/);
  });

  it('throws, naming the file and topic, when a topic is missing in a language', () => {
    const files = clone();
    delete files.fr['unlink'];
    assert.throws(() => loadFaqContent(NUMBERS, files), /locales\/fr\/faq\.json: topic "unlink" is missing/);
  });

  it('throws on an unknown placeholder', () => {
    const files = clone();
    files['zh-CN']['credit-time']!.answer += ' {{waitWeeks}}';
    assert.throws(() => loadFaqContent(NUMBERS, files), /unknown placeholder \{\{waitWeeks\}\}/);
  });

  it('throws when a language drops a placeholder the English answer has', () => {
    const files = clone();
    files.fr['credit-time']!.answer = 'Environ dix jours.';
    assert.throws(() => loadFaqContent(NUMBERS, files), /fr\/faq\.json credit-time: placeholders/);
  });

  it('throws on a malformed entry', () => {
    const files = clone();
    (files.en as Record<string, unknown>)['why-link'] = { title: 'x' };
    assert.throws(() => loadFaqContent(NUMBERS, files), /locales\/en\/faq\.json: why-link\.answer/);
  });
});
