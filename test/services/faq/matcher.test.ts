import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FaqLocale, FaqMatch, FaqMatcher, TopicId } from '../../../services/faq/index.js';
import { detectLanguage } from '../../../understanding/index.js';
import { createFaqMatcher, loadFaqContent, topicInfo, FAQ_LOCALES, TOPIC_IDS } from '../../../services/faq/index.js';

const NUMBERS = { daysBetween: 30, startsPerYear: 3, creditDays: 10, universityHours: 72, universityMinDays: 7, universityMaxDays: 10, refreshDay: 10 };

interface Labelled {
  id: string;
  locale: FaqLocale;
  text: string;
  topic: TopicId | null;
}
const QUESTIONS: Labelled[] = readFileSync(fileURLToPath(new URL('../../fixtures/faq/questions.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Labelled);

function topicOf(r: FaqMatch): TopicId | null {
  return r.kind === 'answer' ? r.topic : null;
}

describe('FAQ matcher', () => {
  let matcher: FaqMatcher;
  before(() => {
    matcher = createFaqMatcher(loadFaqContent(NUMBERS));
  });

  describe('on the project question set (written apart from the alternatives)', () => {
    it('has at least 10 questions per topic and 30 out-of-scope questions per language', () => {
      for (const locale of FAQ_LOCALES) {
        const mine = QUESTIONS.filter((q) => q.locale === locale);
        for (const topic of TOPIC_IDS) assert.ok(mine.filter((q) => q.topic === topic).length >= 10, `${locale}/${topic}`);
        assert.ok(mine.filter((q) => q.topic === null).length >= 30, locale);
      }
    });

    // Measured when this was written: top-1 in scope en 97.4%, zh-CN 95.8%, fr 96.3%; out of scope
    // rejected 100% in each language (see `npx tsx scripts/evalFaq.ts`). These questions were written
    // after the alternatives but by the same author, so expect less on truly unseen phrasings. The floors leave room
    // for content edits without letting a real regression through.
    for (const locale of FAQ_LOCALES) {
      it(`answers at least 92% of in-scope questions with the right topic and rejects at least 88% of the rest in ${locale}`, () => {
        const mine = QUESTIONS.filter((q) => q.locale === locale);
        const inScope = mine.filter((q) => q.topic !== null);
        const outOfScope = mine.filter((q) => q.topic === null);
        const correct = inScope.filter((q) => {
          const r = matcher.match(q.text, locale);
          return topicOf(r) === q.topic && r.locale === locale;
        }).length;
        const rejected = outOfScope.filter((q) => matcher.match(q.text, locale).kind === 'out-of-scope').length;
        assert.ok(correct / inScope.length >= 0.92, `${locale}: ${correct}/${inScope.length} in scope`);
        assert.ok(rejected / outOfScope.length >= 0.88, `${locale}: ${rejected}/${outOfScope.length} rejected`);
      });
    }
  });

  describe('language', () => {
    it('answers a French question in French for an English speaker', () => {
      const r = matcher.match('Comment dissocier mon MCID de mon entreprise ?', 'en');
      assert.deepEqual([r.kind, topicOf(r), r.locale], ['answer', 'unlink', 'fr']);
    });

    it('answers a Chinese question in Chinese for a French speaker', () => {
      const r = matcher.match('我的 MCID 在哪里找？', 'fr');
      assert.deepEqual([topicOf(r), r.locale], ['find-mcid', 'zh-CN']);
    });

    it('answers an English question in English for a Chinese speaker', () => {
      const r = matcher.match('How long until my certification counts for the company?', 'zh-CN');
      assert.deepEqual([topicOf(r), r.locale], ['credit-time', 'en']);
    });

    it("keeps the person's language when the question is too short to tell", () => {
      assert.equal(detectLanguage('MCID', 'fr'), 'fr');
      assert.equal(matcher.match('MCID ?', 'zh-CN').locale, 'zh-CN');
    });

    it('reads a Chinese question that names English products as Chinese', () => {
      assert.equal(detectLanguage('Partner University 怎么关联？', 'en'), 'zh-CN');
    });
  });

  describe('robustness', () => {
    it('matches French questions typed without accents', () => {
      assert.equal(topicOf(matcher.match('ou trouver mon identifiant de certification', 'fr')), 'find-mcid');
      assert.equal(topicOf(matcher.match('competence a risque, que faire', 'fr')), 'competency-at-risk');
      assert.equal(topicOf(matcher.match('pourquoi mon examen napparait pas dans le rapport des qualifications', 'fr')), 'not-in-report');
    });

    it('matches questions with typos', () => {
      assert.equal(topicOf(matcher.match('how do I unlnik my MCID from my compnay', 'en')), 'unlink');
      assert.equal(topicOf(matcher.match('whre can I fnd my certificaton id', 'en')), 'find-mcid');
      assert.equal(topicOf(matcher.match('comment disocier mon mcid', 'fr')), 'unlink');
    });

    it('matches through synonyms', () => {
      assert.equal(topicOf(matcher.match('how do I tie my cert profile to partner center', 'en')), 'link-learn');
      assert.equal(topicOf(matcher.match('怎么解绑 MCID', 'zh-CN')), 'unlink');
      assert.equal(topicOf(matcher.match('comment délier mon profil de certification', 'fr')), 'unlink');
    });

    it('ignores case and full-width characters', () => {
      assert.equal(topicOf(matcher.match('ＷＨＥＲＥ IS MY ＭＣＩＤ', 'en')), 'find-mcid');
    });
  });

  describe('out of scope', () => {
    const cases: [string, FaqLocale][] = [
      ['How do I reset my password?', 'en'],
      ['How much does the AZ-104 exam cost?', 'en'],
      ['link my LinkedIn to Teams', 'en'],
      ['what will the weather be tomorrow', 'en'],
      ['你好', 'zh-CN'],
      ['考试报名费多少钱', 'zh-CN'],
      ['Bonjour, ça va ?', 'fr'],
      ['Comment connecter Outlook à mon téléphone ?', 'fr'],
    ];
    for (const [text, locale] of cases) {
      it(`declines "${text}"`, () => {
        assert.equal(matcher.match(text, locale).kind, 'out-of-scope');
      });
    }

    it('offers the closest topics as suggestions when it declines', () => {
      const r = matcher.match('I have a question about the price of my certification', 'en');
      assert.equal(r.kind, 'out-of-scope');
      if (r.kind === 'out-of-scope') {
        assert.ok(r.suggestions.length > 0 && r.suggestions.length <= 3);
        for (const s of r.suggestions) assert.ok((TOPIC_IDS as readonly string[]).includes(s));
      }
    });
  });

  it('returns a score for an answer', () => {
    const r = matcher.match('How do I link my Partner University account?', 'en');
    assert.equal(r.kind, 'answer');
    if (r.kind === 'answer') assert.ok(r.score > 0);
  });
});

describe('topicInfo', () => {
  it('offers the bot flows on the topics that start them', () => {
    assert.equal(topicInfo('link-learn').action, 'link.start');
    assert.equal(topicInfo('link-university').action, 'link.start');
    assert.equal(topicInfo('association-limited').action, 'status.show');
    assert.equal(topicInfo('unlink').action, 'unlink.start');
    assert.equal(topicInfo('why-link').action, undefined);
  });

  it('links support to both the partner support page and Certification Support', () => {
    assert.deepEqual(topicInfo('support').links.map((l) => l.url), ['https://partner.microsoft.com/support', 'https://aka.ms/mcpforum']);
  });
});
