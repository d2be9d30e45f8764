/**
 * Aligning an existing translation with its source, block by block: a length-based dynamic
 * program after Gale and Church (1993, "A Program for Aligning Sentences in Bilingual Corpora"),
 * over characters, with what is the same in both languages as anchors. Used to bring a published
 * translation into a language (see Alignments).
 *
 * The cost of a link (lower is better, in nats) is the sum of:
 * - its prior, −log P(kind): 1–1 0.89, 1–0 and 0–1 0.0099 together, 2–1 and 1–2 0.089 together,
 *   2–2 0.011 (Gale and Church's estimates from the Canadian Hansard);
 * - its length cost, −log 2(1 − Φ(|δ|)) with δ = (l₂ − c·l₁) / √(l₁·s²): how unlikely the target's
 *   length l₂ is for a source of length l₁, where c is the ratio of the two texts' lengths
 *   (measured on the pair, not assumed) and s² = 6.8 (Gale and Church's variance per character);
 * - its anchors, what a translation keeps of its source:
 *   structure (a heading with a heading of the same level −2, with anything else +6; a list item
 *   with a list item −0.5, with a paragraph +1.5; a heading never merged into a 2–1 link, +6),
 *   numbers (the same numbers −3, different ones +3, numbers on one side only +1),
 *   URLs and names (each URL or capitalised word found in both, −1, at most −3), cognates (between
 *   languages that share them: −2 × the share of the shorter side's word stems found in the other,
 *   +1 when none is though both have two or more),
 *   and the project's glossary and memories (each of their terms found in the source whose
 *   translation is in the target, −1.5, at most −3; found word for word, case aside).
 *
 * The program runs in a band around the diagonal (the expected place of target block j for source
 * block i is i·m/n), W = 30 blocks each way, doubled while the best path comes near the band's
 * edge, so it is linear in practice: a book of 16,000 blocks is about 16,000 × 61 cells.
 *
 * Each link gets a confidence in (0, 1]: exp(−(cost − cost of a perfect 1–1 link) / 2), capped at 1;
 * a 1–1 link of typical length and no anchors is about 0.6, with a heading or numbers in common 1,
 * a 2–1 link about 0.2 at best, a block left alone (1–0, 0–1) below 0.1.
 */
import { sharedWords } from './textSimilarity';
import type { SegmentKind } from './types';

/** A block of either text, as the aligner reads it. */
export interface AlignBlock {
  kind: SegmentKind;
  level?: number;
  ordered?: boolean;
  text: string;
}

export type LinkKind = '1-1' | '1-0' | '0-1' | '2-1' | '1-2' | '2-2';

/** A link: source blocks (indices) with target blocks (indices), its kind and confidence. */
export interface AlignLink {
  source: number[];
  target: number[];
  kind: LinkKind;
  confidence: number;
}

/** Pairs of terms (source, translation) the project's glossary or memory vouch for. */
export interface AlignOptions {
  terms?: readonly { source: string; targets: readonly string[] }[];
}

const PRIORS: Record<LinkKind, number> = { '1-1': 0.89, '1-0': 0.0099 / 2, '0-1': 0.0099 / 2, '2-1': 0.089 / 2, '1-2': 0.089 / 2, '2-2': 0.011 };
const STEPS: [number, number, LinkKind][] = [
  [1, 1, '1-1'],
  [1, 0, '1-0'],
  [0, 1, '0-1'],
  [2, 1, '2-1'],
  [1, 2, '1-2'],
  [2, 2, '2-2'],
];
const VARIANCE = 6.8;
/** The cost of a perfect 1–1 link: what a confidence is measured from. */
const BEST = -Math.log(PRIORS['1-1']);

/** The standard normal distribution's upper tail, 1 − Φ(x), for x ≥ 0 (Abramowitz and Stegun 26.2.17). */
function upperTail(x: number): number {
  const t = 1 / (1 + 0.2316419 * x);
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  return d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
}

/** What a block shares with a translation of it, worked out once per block. */
interface Features {
  length: number;
  /** Its numbers, sorted, as one key ('' without any). */
  numbers: string;
  /** Its URLs and names (capitalised words after the first of a sentence). */
  marks: string[];
  /**
   * The first four letters of its words of four letters or more, without accents (cognates share
   * them: assembl-, proclam-), as a set of 256 bits (a stem's hash picks its bit): compared with
   * another block's in a few operations, at the price of a rare collision.
   */
  stems: Int32Array;
  /** How many bits `stems` has set. */
  stemCount: number;
  /** The anchor terms found in it (sorted indices into AlignOptions.terms): by their source in a source block, by a translation in a target block. */
  terms: Int32Array;
}

const NUMBER = /\d+(?:[.,]\d+)*/g;
const URL = /\bhttps?:\/\/[^\s)>\]]+/g;
const NAME = /(?<=[^.!?:;¿¡«"“]\s+)\p{Lu}[\p{L}\p{M}'’-]{2,}/gu;

const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/** How many code points a text has ([...text].length, without making the array: a book's worth is tenths of a second). */
function codePointsOf(text: string): number {
  return text.length - (text.match(SURROGATE_PAIR)?.length ?? 0);
}

function stemHash(stem: string): number {
  let h = 0;
  for (let k = 0; k < stem.length; k++) h = (Math.imul(h, 31) + stem.charCodeAt(k)) | 0;
  return h;
}

function featuresOf(text: string, terms: Int32Array = EMPTY): Features {
  const plain = text.replace(/[*_`#>[\]]/g, '');
  const stems = new Int32Array(STEM_WORDS);
  for (const word of plain.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().match(/\p{L}{4,}/gu) ?? []) {
    const bit = stemHash(word.slice(0, 4)) & (STEM_WORDS * 32 - 1);
    stems[bit >>> 5] |= 1 << (bit & 31);
  }
  return {
    length: codePointsOf(plain),
    stemCount: bitCount(stems),
    numbers: (plain.match(NUMBER) ?? []).map((n) => n.replace(/[.,]/g, '')).sort().join(' '),
    marks: [...new Set([...(text.match(URL) ?? []), ...(plain.match(NAME) ?? [])])],
    stems,
    terms,
  };
}

/** 32-bit words of a block's stem set. */
const STEM_WORDS = 8;

function popCount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function bitCount(a: Int32Array): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) n += popCount(a[k]);
  return n;
}

const EMPTY = new Int32Array(0);


const wordsOf = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Which of `phrases` (each with the index of its term) each text holds, word for word: phrases
 * are looked up by their first word, so the work grows with the texts' words, not with the
 * number of terms times the number of blocks.
 */
function phraseHits(texts: readonly string[], phrases: readonly { words: string[]; term: number }[]): Int32Array[] {
  if (phrases.length === 0) return texts.map(() => EMPTY);
  const byFirst = new Map<string, { words: string[]; term: number }[]>();
  for (const phrase of phrases) {
    if (phrase.words.length === 0) continue;
    const list = byFirst.get(phrase.words[0]) ?? [];
    list.push(phrase);
    byFirst.set(phrase.words[0], list);
  }
  return texts.map((text) => {
    const words = wordsOf(text);
    const found = new Set<number>();
    for (let k = 0; k < words.length; k++) {
      for (const phrase of byFirst.get(words[k]) ?? []) {
        if (phrase.words.every((w, d) => words[k + d] === w)) found.add(phrase.term);
      }
    }
    return found.size ? Int32Array.from([...found].sort((a, b) => a - b)) : EMPTY;
  });
}

/** How many stems two blocks' sets have in common. */
function commonCount(a: Int32Array, b: Int32Array): number {
  let n = 0;
  for (let k = 0; k < STEM_WORDS; k++) n += popCount(a[k] & b[k]);
  return n;
}

/** The features of two blocks read as one (a side of a 2–1 or 2–2 link). */
function joined(a: Features, b: Features): Features {
  const stems = new Int32Array(STEM_WORDS);
  for (let k = 0; k < STEM_WORDS; k++) stems[k] = a.stems[k] | b.stems[k];
  return { length: a.length + b.length, stemCount: bitCount(stems), terms: Int32Array.from(new Set([...a.terms, ...b.terms])).sort(), numbers: [a.numbers, b.numbers].filter(Boolean).join(' ').split(' ').sort().join(' ').trim(), marks: [...a.marks, ...b.marks], stems };
}

/** The structure anchor of a link's blocks (see above): source blocks i−di…i−1 with target blocks j−dj…j−1. */
function structureCost(source: readonly AlignBlock[], target: readonly AlignBlock[], i: number, j: number, di: number, dj: number): number {
  if (di === 1 && dj === 1) {
    const s = source[i - 1];
    const t = target[j - 1];
    if (s.kind === 'heading' || t.kind === 'heading') return s.kind === t.kind ? (s.level === t.level ? -2 : 0) : 6;
    if (s.kind === 'list-item' || t.kind === 'list-item') return s.kind === t.kind ? -0.5 : 1.5;
    return 0;
  }
  for (let k = 1; k <= di; k++) if (source[i - k].kind === 'heading') return 6;
  for (let k = 1; k <= dj; k++) if (target[j - k].kind === 'heading') return 6;
  return 0;
}

/** The anchors of what the link's two sides say (numbers, URLs, names, cognates, terms). */
function contentCost(s: Features, t: Features, cognates: boolean): number {
  let cost = 0;
  if (cognates && s.stemCount > 0 && t.stemCount > 0) {
    const share = commonCount(s.stems, t.stems) / Math.min(s.stemCount, t.stemCount);
    cost += share > 0 ? -2 * share : Math.min(s.stemCount, t.stemCount) >= 2 ? 1 : 0;
  }
  if (s.numbers && t.numbers) cost += s.numbers === t.numbers ? -3 : 3;
  else if (s.numbers || t.numbers) cost += 1;
  if (s.marks.length && t.marks.length) {
    let shared = 0;
    for (const mark of s.marks) if (t.marks.includes(mark) && ++shared >= 3) break;
    cost -= shared;
  }
  if (s.terms.length && t.terms.length) cost -= 1.5 * Math.min(2, sharedWords(s.terms, t.terms));
  return cost;
}

/**
 * Aligns `source` with `target` (see above): the links in order, covering every block of both
 * once. The band is widened (and the program run again) when the best path comes near its edge.
 */
export function alignBlocks(source: readonly AlignBlock[], target: readonly AlignBlock[], options: AlignOptions = {}): AlignLink[] {
  const n = source.length;
  const m = target.length;
  if (n === 0 || m === 0) return [...source.map((_, i) => link([i], [], '1-0', BEST)), ...target.map((_, j) => link([], [j], '0-1', BEST))];
  const terms = options.terms ?? [];
  const sourceHits = phraseHits(source.map((b) => b.text), terms.map((term, k) => ({ words: wordsOf(term.source), term: k })));
  const targetHits = phraseHits(target.map((b) => b.text), terms.flatMap((term, k) => term.targets.map((x) => ({ words: wordsOf(x), term: k }))));
  const sf = source.map((b, i) => featuresOf(b.text, sourceHits[i]));
  const tf = target.map((b, j) => featuresOf(b.text, targetHits[j]));
  const sumS = sf.reduce((a, f) => a + f.length, 0) || 1;
  const sumT = tf.reduce((a, f) => a + f.length, 0) || 1;
  const ratio = sumT / sumS;
  // Cognates count only between languages that have them: when a fair share of the target's
  // stems are found in the source at all (not between English and Arabic).
  const sourceStems = new Int32Array(STEM_WORDS);
  for (const f of sf) for (let k = 0; k < STEM_WORDS; k++) sourceStems[k] |= f.stems[k];
  let found = 0;
  let stemsInTarget = 0;
  for (const f of tf) {
    found += commonCount(f.stems, sourceStems);
    stemsInTarget += f.stemCount;
  }
  const cognates = stemsInTarget > 0 && found / stemsInTarget > 0.15;

  const lengthCost = (l1: number, l2: number): number => {
    if (l1 === 0 && l2 === 0) return 0;
    const mean = (l1 + l2 / ratio) / 2;
    const delta = (l2 - l1 * ratio) / Math.sqrt(Math.max(1, mean) * VARIANCE);
    return -Math.log(Math.max(1e-12, 2 * upperTail(Math.abs(delta))));
  };
  // Each two blocks in a row read as one, made once (the sides of 2–1, 1–2 and 2–2 links).
  const sourcePairs = sf.map((f, k) => (k === 0 ? f : joined(sf[k - 1], f)));
  const targetPairs = tf.map((f, k) => (k === 0 ? f : joined(tf[k - 1], f)));
  const side = (features: Features[], pairs: Features[], end: number, count: number): Features => (count === 1 ? features[end - 1] : pairs[end - 1]);
  const cost = (i: number, j: number, di: number, dj: number, kind: LinkKind): number => {
    const l1 = di === 0 ? 0 : di === 1 ? sf[i - 1].length : sf[i - 1].length + sf[i - 2].length;
    const l2 = dj === 0 ? 0 : dj === 1 ? tf[j - 1].length : tf[j - 1].length + tf[j - 2].length;
    let c = -Math.log(PRIORS[kind]) + lengthCost(l1, l2);
    if (di > 0 && dj > 0) c += structureCost(source, target, i, j, di, dj) + contentCost(side(sf, sourcePairs, i, di), side(tf, targetPairs, j, dj), cognates);
    return c;
  };

  // Around the proportional diagonal, blocks left out along the way move the path only as far as
  // they are unevenly spread: a narrow band, widened when the path comes near its edge.
  let W = 30;
  for (;;) {
    const path = bandedPath(n, m, W, cost);
    if (path.nearEdge && W < Math.max(n, m)) {
      W *= 2;
      continue;
    }
    return path.steps.map(([i, j, di, dj, kind]) => link(range(i - di, i), range(j - dj, j), kind, cost(i, j, di, dj, kind)));
  }
}

/**
 * The cheapest path of links from (0, 0) to (n, m) within W of the diagonal, as steps (the end of
 * each link and its size), and whether it comes within a few blocks of the band's edge (where a
 * wider band might find a cheaper one).
 */
function bandedPath(n: number, m: number, W: number, cost: (i: number, j: number, di: number, dj: number, kind: LinkKind) => number): { steps: [number, number, number, number, LinkKind][]; nearEdge: boolean } {
  const width = 2 * W + 1;
  const centre = (i: number): number => Math.round((i * m) / n);
  const lo = (i: number): number => Math.max(0, centre(i) - W);
  const hi = (i: number): number => Math.min(m, centre(i) + W);
  const at = (i: number, j: number): number => (j < lo(i) || j > hi(i) ? -1 : i * width + (j - lo(i)));
  const total = new Float64Array((n + 1) * width).fill(Infinity);
  const back = new Int8Array((n + 1) * width).fill(-1);
  total[at(0, 0)] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = lo(i); j <= hi(i); j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      let step = -1;
      for (let k = 0; k < STEPS.length; k++) {
        const [di, dj, kind] = STEPS[k];
        if (i < di || j < dj) continue;
        const from = at(i - di, j - dj);
        if (from < 0 || total[from] === Infinity) continue;
        const c = total[from] + cost(i, j, di, dj, kind);
        if (c < best) {
          best = c;
          step = k;
        }
      }
      const here = at(i, j);
      total[here] = best;
      back[here] = step;
    }
  }
  const steps: [number, number, number, number, LinkKind][] = [];
  let nearEdge = false;
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const step = back[at(i, j)];
    if (step < 0) return { steps: [], nearEdge: true };
    if ((j - lo(i) < 3 && lo(i) > 0) || (hi(i) - j < 3 && hi(i) < m)) nearEdge = true;
    const [di, dj, kind] = STEPS[step];
    steps.push([i, j, di, dj, kind]);
    i -= di;
    j -= dj;
  }
  return { steps: steps.reverse(), nearEdge };
}

function link(source: number[], target: number[], kind: LinkKind, cost: number): AlignLink {
  return { source, target, kind, confidence: Math.min(1, Math.exp(-(cost - BEST) / 2)) };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);
