import type { ConceptEntry } from './lexicon.js';
import { CONCEPTS, TOPIC_CUES } from './lexicon.js';
import type { FaqLocale } from './topics.js';
import { boundedEditDistance, deletions, fold, hanGrams, segment, stem } from './normalize.js';
import { detectLanguage } from '../../understanding/index.js';

/** One phrasing of a topic in one language, as given to the index. */
export interface IndexedQuestion<T extends string> {
  readonly topic: T;
  readonly locale: FaqLocale;
  readonly text: string;
  /** Titles count a little more than alternatives: they are the canonical question. */
  readonly isTitle: boolean;
}

/** What the matcher decided for one question. */
export type MatchResult<T extends string> =
  | { readonly kind: 'answer'; readonly topic: T; readonly locale: FaqLocale; readonly score: number }
  | { readonly kind: 'out-of-scope'; readonly locale: FaqLocale; readonly suggestions: readonly T[] };

/** The knobs of the decision; the defaults were tuned on the project question set. */
export interface MatcherOptions {
  /** Below this score the best topic is not trusted, however clearly on-domain the question is. */
  readonly threshold: number;
  /** A question whose concepts weigh at least this much on the domain (see lexicon.ts) is on-domain. */
  readonly minDomain: number;
  /** A question with some but less domain weight must score this much to be answered. */
  readonly weakDomainThreshold: number;
  /** How many topics a "did you mean" list offers. */
  readonly suggestions: number;
}

const DEFAULT_OPTIONS: MatcherOptions = { threshold: 0.2, minDomain: 1, weakDomainThreshold: 0.45, suggestions: 3 };

// Words that carry no topic signal once concepts have been extracted.
const STOPWORDS = new Set(
  ('a an the is are was were be been being am do does did i me my mine to of for in on at it its this that these those with and or ' +
    'can could would should will shall may might must from by as so if have has had get got gets our we us you your they their them ' +
    'there here just about any some also please what which how when there s t d ll ve re m im it s i m into onto then than ' +
    'le la les de des du un une est et en au aux a je j mon ma mes me m ce c cette ces pour par sur dans que qu il elle on nous vous ' +
    'ils elles se s l d n y ne ai as avons avez ont suis es sommes etes sont mais donc or ni car ton ta tes son sa ses notre nos votre vos ' +
    'leur leurs quoi dont lui eux faire fait est ce que puis peux peut pouvez dois doit faut il y a t').split(/\s+/),
);
const HAN_STOP = new Set([...'的了吗呢吧啊呀嘛我你他她它们是在把被要能会可以就都也还和与及或这那个么该请将对从到给让得着过很']);

// Weights per kind of feature: concepts are the most reliable signal, single Han characters the least.
const W_CONCEPT = 1.2;
const W_WORD = 1;
const W_BIGRAM = 0.8;
const W_UNIGRAM = 0.3;

interface PatternToken {
  readonly text: string;
  readonly prefix: boolean;
}
interface LatinPattern {
  readonly concept: string;
  readonly tokens: readonly PatternToken[];
}
interface CompiledLexicon {
  readonly exact: Map<string, LatinPattern[]>;
  readonly byPrefix: Map<string, LatinPattern[]>;
}

type Lang = 'en' | 'fr' | 'zh';

function compileLatin(entries: readonly ConceptEntry[], lang: 'en' | 'fr'): CompiledLexicon {
  const exact = new Map<string, LatinPattern[]>();
  const byPrefix = new Map<string, LatinPattern[]>();
  for (const e of entries) {
    for (const raw of e[lang] ?? []) {
      const words = fold(raw).split(/[^a-z0-9*]+/).filter((w) => w.length > 0);
      if (words.length === 0) continue;
      const tokens = words.map((w) => ({ text: w.replace(/\*$/, ''), prefix: w.endsWith('*') }));
      const first = tokens[0]!;
      const pattern = { concept: e.concept, tokens };
      const map = first.prefix ? byPrefix : exact;
      const key = first.prefix ? first.text.slice(0, 2) : first.text;
      map.set(key, [...(map.get(key) ?? []), pattern]);
    }
  }
  return { exact, byPrefix };
}

function tokenMatches(word: string, p: PatternToken): boolean {
  return p.prefix ? word.startsWith(p.text) : word === p.text || stem(word) === p.text;
}

/** Turns text into weighted features: concept tokens, word stems and Han n-grams. */
class Analyzer {
  private readonly latin: Record<'en' | 'fr', CompiledLexicon>;
  private readonly han: Map<string, string>;
  private readonly maxHanLen: number;
  readonly conceptDomain = new Map<string, number>();
  readonly outOfScopeConcepts = new Set<string>();
  private vocabulary = new Map<string, number>();
  private deletionIndex = new Map<string, string[]>();

  constructor(entries: readonly ConceptEntry[]) {
    this.latin = { en: compileLatin(entries, 'en'), fr: compileLatin(entries, 'fr') };
    this.han = new Map();
    for (const e of entries) {
      if (e.domain !== undefined) this.conceptDomain.set(e.concept, e.domain);
      if (e.outOfScope === true) this.outOfScopeConcepts.add(e.concept);
      for (const raw of e.zh ?? []) {
        const p = fold(raw);
        if (/^\p{Script=Han}+$/u.test(p) && !this.han.has(p)) this.han.set(p, e.concept);
      }
    }
    this.maxHanLen = Math.max(...[...this.han.keys()].map((k) => k.length));
    for (const lex of Object.values(this.latin)) {
      for (const list of [...lex.exact.values(), ...lex.byPrefix.values()]) {
        for (const p of list) for (const t of p.tokens) if (!t.prefix) this.addWord(t.text, 1);
      }
    }
    for (const w of STOPWORDS) this.addWord(w, 1);
  }

  /** Registers a word the speller may correct towards; frequent words win ties. */
  addWord(word: string, count: number): void {
    if (!/^[a-z]+$/.test(word)) return;
    const known = this.vocabulary.get(word);
    this.vocabulary.set(word, (known ?? 0) + count);
    if (known !== undefined || word.length < 4) return;
    for (const del of deletions(word, word.length >= 8 ? 2 : 1)) {
      const list = this.deletionIndex.get(del);
      if (list) list.push(word);
      else this.deletionIndex.set(del, [word]);
    }
  }

  // A word covered by a prefix pattern ("vacation" by "vacation*") is known to the lexicon: never "correct" it.
  private startsLexiconPrefix(word: string): boolean {
    return (['en', 'fr'] as const).some((lang) =>
      (this.latin[lang].byPrefix.get(word.slice(0, 2)) ?? []).some((p) => p.tokens.length === 1 && word.startsWith(p.tokens[0]!.text)),
    );
  }

  /** Learns the corpus words so the speller can correct user typos towards them. */
  learn(text: string): void {
    for (const seg of segment(fold(text))) if (seg.kind === 'latin') for (const w of seg.words) this.addWord(w, 1);
  }

  private correct(word: string): string {
    if (word.length < 4 || /\d/.test(word) || this.startsLexiconPrefix(word)) return word;
    const freq = this.vocabulary.get(word);
    // A word seen once or twice may itself be a typo from an alternative ("conect"); it yields to a much
    // more frequent neighbour one edit away, so the typo and its correction meet on the same feature.
    if (freq !== undefined && (freq > 2 || word.length < 5)) return word;
    const max = freq !== undefined ? 1 : word.length >= 8 ? 2 : 1;
    let best = word;
    let bestDist = max + 1;
    let bestFreq = 0;
    for (const del of deletions(word, max)) {
      for (const cand of this.deletionIndex.get(del) ?? []) {
        const allowed = cand.length >= 8 ? 2 : 1;
        const d = boundedEditDistance(word, cand, Math.min(max, allowed));
        const candFreq = this.vocabulary.get(cand) ?? 0;
        if (cand === word || (freq !== undefined && candFreq < 5 * freq)) continue;
        if (d <= Math.min(max, allowed) && (d < bestDist || (d === bestDist && candFreq > bestFreq))) {
          best = cand;
          bestDist = d;
          bestFreq = candFreq;
        }
      }
    }
    return best;
  }

  /** Features of a text read as language `lang`, with their kind weight (before IDF). */
  analyze(text: string, locale: FaqLocale): Map<string, number> {
    const lang: Lang = locale === 'zh-CN' ? 'zh' : locale;
    const features = new Map<string, number>();
    const add = (f: string, w: number): void => {
      features.set(f, Math.max(features.get(f) ?? 0, w));
    };
    for (const seg of segment(fold(text))) {
      // Latin words inside a Chinese question are English product words; French questions often borrow
      // English terms too ("competency at risk"), so English is the fallback lexicon everywhere.
      if (seg.kind === 'latin') this.analyzeLatin(seg.words.map((w) => this.correct(w)), lang === 'zh' ? ['en'] : lang === 'fr' ? ['fr', 'en'] : ['en'], add);
      else this.analyzeHan(seg.text, add);
    }
    return features;
  }

  private analyzeLatin(words: readonly string[], langs: readonly ('en' | 'fr')[], add: (f: string, w: number) => void): void {
    let i = 0;
    while (i < words.length) {
      const word = words[i]!;
      let bestLen = 0;
      let bestConcept = '';
      for (const lang of langs) {
        if (bestLen > 0) break; // the question's own language wins over the fallback
        const lex = this.latin[lang];
        const candidates = [...(lex.exact.get(word) ?? []), ...(lex.exact.get(stem(word)) ?? []), ...(lex.byPrefix.get(word.slice(0, 2)) ?? [])];
        for (const p of candidates) {
          // The fallback lexicon brings product words, not its out-of-scope markers ("salaries" is French for employees).
          if (lang !== langs[0] && this.outOfScopeConcepts.has(p.concept)) continue;
          if (p.tokens.length <= bestLen || i + p.tokens.length > words.length) continue;
          if (p.tokens.every((t, k) => tokenMatches(words[i + k]!, t))) {
            bestLen = p.tokens.length;
            bestConcept = p.concept;
          }
        }
      }
      if (bestLen > 0) {
        add(`#${bestConcept}`, W_CONCEPT);
        i += bestLen;
        continue;
      }
      if (!STOPWORDS.has(word) && word.length > 1) add(`w:${stem(word)}`, W_WORD);
      i++;
    }
  }

  private analyzeHan(run: string, add: (f: string, w: number) => void): void {
    let rest = '';
    const flush = (): void => {
      if (rest.length === 0) return;
      const { unigrams, bigrams } = hanGrams(rest);
      for (const u of unigrams) if (!HAN_STOP.has(u)) add(`u:${u}`, W_UNIGRAM);
      for (const b of bigrams) if (!(HAN_STOP.has(b[0]!) && HAN_STOP.has(b[1]!))) add(`b:${b}`, W_BIGRAM);
      rest = '';
    };
    let i = 0;
    while (i < run.length) {
      let matched = 0;
      for (let len = Math.min(this.maxHanLen, run.length - i); len >= 1; len--) {
        const concept = this.han.get(run.slice(i, i + len));
        if (concept !== undefined) {
          flush();
          add(`#${concept}`, W_CONCEPT);
          matched = len;
          break;
        }
      }
      if (matched > 0) i += matched;
      else rest += run[i++];
    }
    flush();
  }
}

type Vector = Map<string, number>;

function norm(v: Vector): number {
  let s = 0;
  for (const x of v.values()) s += x * x;
  return Math.sqrt(s);
}

/** A topic matcher over any set of topic ids, so the bench can feed it synthetic topics. */
export class TopicMatcher<T extends string> {
  private readonly analyzer = new Analyzer(CONCEPTS);
  private readonly topics: readonly T[];
  private readonly idf = new Map<string, number>();
  private readonly maxIdf: number;
  private readonly postings = new Map<string, { doc: number; weight: number }[]>();
  private readonly centroidPostings = new Map<string, { topic: number; weight: number }[]>();
  private readonly docTopic: number[] = [];
  private readonly cues: { topic: number; all: readonly string[]; bonus: number }[];
  private readonly options: MatcherOptions;

  constructor(questions: readonly IndexedQuestion<T>[], options: Partial<MatcherOptions> = {}) {
    this.options = { ...DEFAULT_OPTIONS, ...options };
    this.topics = [...new Set(questions.map((q) => q.topic))];
    const topicIndex = new Map(this.topics.map((t, i) => [t, i]));
    this.cues = TOPIC_CUES.flatMap((c) => {
      const topic = topicIndex.get(c.topic as T);
      return topic === undefined ? [] : [{ topic, all: c.all.map((x) => `#${x}`), bonus: c.bonus }];
    });
    for (const q of questions) this.analyzer.learn(q.text);
    const raw = questions.map((q) => ({ q, features: this.analyzer.analyze(q.text, q.locale) }));

    // IDF over topics, not documents: a word every alternative of one topic uses is a good signal.
    const topicsOf = new Map<string, Set<number>>();
    for (const { q, features } of raw) {
      for (const f of features.keys()) {
        const set = topicsOf.get(f) ?? new Set<number>();
        set.add(topicIndex.get(q.topic)!);
        topicsOf.set(f, set);
      }
    }
    const n = this.topics.length;
    for (const [f, set] of topicsOf) this.idf.set(f, Math.log(1 + n / set.size));
    this.maxIdf = Math.log(1 + n);

    const centroids = this.topics.map(() => new Map<string, number>());
    const counts = this.topics.map(() => 0);
    raw.forEach(({ q, features }, doc) => {
      const v: Vector = new Map();
      for (const [f, w] of features) v.set(f, w * this.idf.get(f)! * (q.isTitle ? 1.1 : 1));
      const len = norm(v) || 1;
      const t = topicIndex.get(q.topic)!;
      this.docTopic.push(t);
      counts[t]!++;
      for (const [f, x] of v) {
        const list = this.postings.get(f) ?? [];
        list.push({ doc, weight: x / len });
        this.postings.set(f, list);
        centroids[t]!.set(f, (centroids[t]!.get(f) ?? 0) + x / len);
      }
    });
    centroids.forEach((c, t) => {
      const len = norm(c) || 1;
      for (const [f, x] of c) {
        const list = this.centroidPostings.get(f) ?? [];
        list.push({ topic: t, weight: x / len });
        this.centroidPostings.set(f, list);
      }
    });
  }

  /** Scores every topic for a question already known to be in `locale`; exposed for the evaluation script. */
  scores(text: string, locale: FaqLocale): { topic: T; score: number }[] & { domain?: number; outOfScope?: boolean } {
    const features = this.analyzer.analyze(text, locale);
    const q: Vector = new Map();
    let domain = 0;
    let outOfScope = false;
    for (const [f, w] of features) {
      // A word the FAQ never uses still counts in the norm: a question mostly about something else scores low.
      q.set(f, w * (this.idf.get(f) ?? this.maxIdf * 0.6));
      if (f.startsWith('#')) {
        const c = f.slice(1);
        domain += this.analyzer.conceptDomain.get(c) ?? 0;
        if (this.analyzer.outOfScopeConcepts.has(c)) outOfScope = true;
      }
    }
    const qLen = norm(q) || 1;
    const best = new Float64Array(this.topics.length);
    const docScores = new Map<number, number>();
    const centroid = new Float64Array(this.topics.length);
    for (const [f, x] of q) {
      for (const p of this.postings.get(f) ?? []) docScores.set(p.doc, (docScores.get(p.doc) ?? 0) + (x / qLen) * p.weight);
      for (const p of this.centroidPostings.get(f) ?? []) centroid[p.topic] = centroid[p.topic]! + (x / qLen) * p.weight;
    }
    for (const [doc, s] of docScores) {
      const t = this.docTopic[doc]!;
      if (s > best[t]!) best[t] = s;
    }
    const out: { topic: T; score: number }[] & { domain?: number; outOfScope?: boolean } = this.topics.map((topic, i) => ({
      topic,
      score: 0.6 * best[i]! + 0.4 * centroid[i]!,
    }));
    for (const cue of this.cues) if (cue.all.every((c) => features.has(c))) out[cue.topic]!.score += cue.bonus;
    out.sort((a, b) => b.score - a.score);
    out.domain = domain;
    out.outOfScope = outOfScope;
    return out;
  }

  /** Answers with the best topic in the question's own language, or declines with suggestions. */
  match(text: string, personLocale: FaqLocale): MatchResult<T> {
    const locale = detectLanguage(text, personLocale);
    const ranked = this.scores(text, locale);
    const top = ranked[0];
    const suggestions = ranked.filter((r) => r.score > 0).slice(0, this.options.suggestions).map((r) => r.topic);
    const domain = ranked.domain ?? 0;
    const needed = domain >= this.options.minDomain ? this.options.threshold : domain > 0 ? this.options.weakDomainThreshold : Infinity;
    if (top === undefined || ranked.outOfScope === true || top.score < needed) {
      return { kind: 'out-of-scope', locale, suggestions };
    }
    return { kind: 'answer', topic: top.topic, locale, score: Math.round(top.score * 1000) / 1000 };
  }
}
