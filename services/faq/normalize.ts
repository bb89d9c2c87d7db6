/** A piece of a question: a run of Latin letters/digits (accent-folded) or a run of Han characters. */
export type Segment = { readonly kind: 'latin'; readonly words: readonly string[] } | { readonly kind: 'han'; readonly text: string };

/** Folds width, case and accents so that "Élément", "element" and "ＥＬＥＭＥＮＴ" compare equal. */
export function fold(text: string): string {
  return text
    .normalize('NFKC') // full-width Latin and digits typed with a Chinese IME become ASCII
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’‘`´]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae');
}

/**
 * Splits folded text into alternating Latin word runs and Han runs; punctuation and spaces end a Latin
 * word, while a Han run breaks a Latin run so phrases never match across the two scripts.
 */
export function segment(folded: string): Segment[] {
  const out: Segment[] = [];
  let words: string[] = [];
  const flush = (): void => {
    if (words.length > 0) out.push({ kind: 'latin', words });
    words = [];
  };
  for (const m of folded.matchAll(/(\p{Script=Han}+)|([a-z0-9]+)/gu)) {
    if (m[1] !== undefined) {
      flush();
      out.push({ kind: 'han', text: m[1] });
    } else if (m[2] !== undefined) {
      words.push(m[2]);
    }
  }
  flush();
  return out;
}

/** Light suffix stripping (plurals, -ing/-ed) so "reports"/"report" and "rapports"/"rapport" meet. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ied')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ss')) return word;
  if (word.endsWith('s') || word.endsWith('x')) return word.slice(0, -1);
  return word;
}

/** Character unigrams and bigrams of a Han run: a dictionary-free segmentation that tolerates unseen words. */
export function hanGrams(run: string): { unigrams: string[]; bigrams: string[] } {
  const chars = [...run];
  const bigrams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i]! + chars[i + 1]!);
  return { unigrams: chars, bigrams };
}

/**
 * Optimal-string-alignment edit distance, giving up (returning max + 1) once the distance exceeds max,
 * because the speller only cares about one or two typos.
 */
export function boundedEditDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = a.length;
  const m = b.length;
  let prev2: number[] = new Array<number>(m + 1).fill(0);
  let prev: number[] = Array.from({ length: m + 1 }, (_, j) => j);
  for (let i = 1; i <= n; i++) {
    const cur: number[] = new Array<number>(m + 1).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[m]!;
}

/** All strings obtained by deleting up to `depth` characters: the key space of a SymSpell-style speller. */
export function deletions(word: string, depth: number): Set<string> {
  const out = new Set<string>([word]);
  let frontier = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of frontier) {
      for (let i = 0; i < w.length; i++) {
        const del = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(del)) {
          out.add(del);
          next.push(del);
        }
      }
    }
    frontier = next;
  }
  return out;
}
