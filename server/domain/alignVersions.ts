import { newId, type KnownSegment } from './assignIds';
import { anyMinorEdit, normaliseMinor, type MinorEditOptions } from './normaliseMinor';
import type { Block } from './segmentMarkdown';
import { Remainder, dice, sharedWords, toBag, wordCodes } from './textSimilarity';
import type { Segment } from './types';

/*
 * Aligning a new version of a source document with the previous one, in near-linear time:
 *
 * 1. Same text (hash map; texts found once on each side first, then repeated texts in document order): unchanged.
 * 2. Same text after the enabled minor normalisations (hash map): minor.
 * 3. A longest increasing chain of the old positions of those matches (patience sorting, O(n log n)) is
 *    kept as anchors; an exact match outside the chain has moved.
 * 4. Between two consecutive anchors the unmatched old and new segments of that gap are aligned in order
 *    by word similarity: 1:1 (edited), 1:k (split) or k:1 (merged), as the heaviest non-crossing set of
 *    such pairings. Each new segment is compared only with the old ones of its gap within ±window
 *    positions of the gap's two diagonals (one from its start, one from its end; in a gap wider than the
 *    window, scanned outwards and stopped at the first near copy). So a gap of p old and q new segments
 *    costs O(p + q · (4·window + 2) · MAX_PARTS) comparisons of word bags, never p · q.
 * 5. Each new segment still unmatched is compared with at most CANDIDATES old ones still unmatched,
 *    anywhere in the document, that share most of its rarest word pairs (an inverted index): moved and
 *    edited, or edited beyond the window of a wide gap. Labelled edited.
 * What is left is new (a fresh id) or deleted.
 */

/** How a segment of the new version relates to the previous version. */
export type AlignmentLabel = 'unchanged' | 'moved' | 'minor' | 'edited' | 'split' | 'merged' | 'new';

/** A segment of the new version: its id (kept from the old segment it comes from, or fresh), how it came about, and from what. */
export interface AlignedSegment extends Segment {
  label: AlignmentLabel;
  /** old ids this segment comes from (1 for unchanged/moved/minor/edited/split, n for merged, 0 for new) */
  from: string[];
}

/** The new version's segments in document order, the old segments that have no counterpart, and how many of each. */
export interface Alignment {
  segments: AlignedSegment[];
  /** Old segments with no counterpart, in old document order. */
  deleted: KnownSegment[];
  /**
   * Segments of the new version per label, so that the labels add up to `segments.length`: `split` counts
   * the new parts (an old segment split in 3 counts 3), `merged` the new merged segments (3 old ones merged
   * into 1 count 1). `deleted` counts old segments.
   */
  counts: Record<AlignmentLabel | 'deleted', number>;
}

/** Tuning of alignVersions; the defaults suit prose. */
export interface AlignOptions {
  /** Which trivial edits make a segment "minor" (same id, translation still valid) rather than "edited"; all on by default. */
  minorEdits?: MinorEditOptions;
  /**
   * Least word-level Dice coefficient (2·shared words / total words, repeats counted) for two segments to be
   * "the same paragraph, edited"; also the least share of a split or merge part's words that must come from
   * the other side. Default 0.5: one sentence of two rewritten, or a paragraph doubled in length, still counts.
   */
  similarity?: number;
  /** How many positions either side of a gap's diagonals a new segment is compared with old ones. Default 20. */
  window?: number;
}

const DEFAULT_SIMILARITY = 0.5;
const DEFAULT_WINDOW = 20;
/** Most parts a split or merge is looked for with: beyond that an editor rewrote, not cut. */
const MAX_PARTS = 6;
/**
 * Words a split or merge must gain per extra part over a plain 1:1 edit: without it, a short new heading
 * made of words of the edited paragraph next to it would pass for a piece of that paragraph.
 */
const PART_PENALTY = 2;
/** Rarest word pairs of a segment looked up in the index; lists longer than MAX_POSTINGS are too common to tell anything. */
const SHINGLES_PER_QUERY = 16;
const MAX_POSTINGS = 64;
/** Old segments (those sharing most rare word pairs) a new segment is compared with through the index. */
const CANDIDATES = 8;
/** Dice similarity from which a pair found in a wide gap is taken as the counterpart, and the scan stops. */
const NEAR_COPY = 0.8;

/** Aligns the blocks of a new version with the previous version's segments (in document order), giving each block an id, a label and its origin. */
export function alignVersions(blocks: Block[], previous: KnownSegment[], options: AlignOptions = {}): Alignment {
  const similarity = options.similarity ?? DEFAULT_SIMILARITY;
  const window = Math.max(0, Math.floor(options.window ?? DEFAULT_WINDOW));
  const matching = new Matching(blocks.length, previous.length);
  const newTexts = blocks.map((block) => block.text);
  const oldTexts = previous.map((segment) => segment.text);

  pairEqualKeys(newTexts, oldTexts, (n, o) => matching.link(n, 'unchanged', o));
  if (anyMinorEdit(options.minorEdits)) {
    const key = (text: string): string => normaliseMinor(text, options.minorEdits);
    pairEqualKeys(
      newTexts.map((text, n) => (matching.source[n] >= 0 ? undefined : key(text))),
      oldTexts.map((text, o) => (matching.used[o] ? undefined : key(text))),
      (n, o) => matching.link(n, 'minor', o),
    );
  }
  const anchors = chainAnchors(matching);

  const context: Context = {
    matching,
    similarity,
    window,
    oldWords: new WordCache(oldTexts),
    newWords: new WordCache(newTexts),
  };
  for (const gap of gapsBetween(anchors, matching)) alignGap(gap, context);
  matchMovedAndEdited(context);
  return describe(blocks, previous, matching);
}

/**
 * Where each new segment comes from, and which old segments are taken (each by one new segment at most,
 * but by every part of a split). Typed arrays rather than an object per segment: most of a long document
 * is matched by text, and allocating for each paragraph would cost more than the matching itself.
 */
class Matching {
  /** Per new segment: the (first) old segment it comes from, or -1. */
  readonly source: Int32Array;
  /** Per new segment: its label once linked. */
  readonly labels: (AlignmentLabel | undefined)[];
  /** Per merged new segment: all the old segments it comes from. */
  readonly merged = new Map<number, number[]>();
  /** New segments that are a later part of a split: they get a fresh id. */
  readonly laterParts = new Set<number>();
  /** Per old segment: 1 once a new segment comes from it. */
  readonly used: Uint8Array;

  constructor(newCount: number, oldCount: number) {
    this.source = new Int32Array(newCount).fill(-1);
    this.labels = new Array<AlignmentLabel | undefined>(newCount).fill(undefined);
    this.used = new Uint8Array(oldCount);
  }

  /** Records that new segment n comes from old segment o (the later parts of a split do not keep its id). */
  link(n: number, label: AlignmentLabel, o: number, keepsId = true): void {
    this.source[n] = o;
    this.labels[n] = label;
    this.used[o] = 1;
    if (!keepsId) this.laterParts.add(n);
  }

  /** Records that new segment n is old segments olds merged. */
  linkMerged(n: number, olds: number[]): void {
    this.link(n, 'merged', olds[0]);
    this.merged.set(n, olds);
    for (const o of olds) this.used[o] = 1;
  }
}

/**
 * Keeps a longest order-preserving chain of the text matches as anchors (returned as new indices, in
 * order); an exact match outside the chain has moved. Minor matches outside it stay minor.
 */
function chainAnchors(matching: Matching): number[] {
  const matched: number[] = [];
  matching.source.forEach((o, n) => o >= 0 && matched.push(n));
  const inChain = longestIncreasingChain(matched.map((n) => matching.source[n]));
  const anchors: number[] = [];
  matched.forEach((n, k) => {
    if (inChain[k]) anchors.push(n);
    else if (matching.labels[n] === 'unchanged') matching.labels[n] = 'moved';
  });
  return anchors;
}

/** The words of each segment of one version, computed only for segments that reach the similarity stages. */
class WordCache {
  private readonly sequences: (Int32Array | undefined)[] = [];
  private readonly bags: (Int32Array | undefined)[] = [];

  constructor(private readonly texts: string[]) {}

  /** Words in text order (for word-pair shingles). */
  sequence(index: number): Int32Array {
    return (this.sequences[index] ??= wordCodes(this.texts[index]));
  }

  /** Words sorted (for counting shared words). */
  bag(index: number): Int32Array {
    return (this.bags[index] ??= toBag(this.sequence(index)));
  }
}

/** What the similarity stages share. */
interface Context {
  matching: Matching;
  similarity: number;
  window: number;
  oldWords: WordCache;
  newWords: WordCache;
}

/**
 * Pairs segments with equal keys (texts, or normalised texts); undefined keys take no part. Keys found once
 * in each version pair up unambiguously, and a longest order-preserving chain of those cuts both versions
 * into stretches. A repeated key is then paired in document order (the k-th new occurrence takes the k-th
 * old one) within each stretch first, and only then across the whole document, so that a copy of a repeated
 * paragraph deleted or added in one place does not shift the pairing of every later copy (and make
 * unrelated paragraphs look moved).
 */
function pairEqualKeys(newKeys: (string | undefined)[], oldKeys: (string | undefined)[], link: (n: number, o: number) => void): void {
  // One map operation or two per segment: these keys are whole paragraphs, hashing them is most of the cost.
  const firstOld = new Map<string, number>();
  const repeated = new Uint8Array(oldKeys.length);
  oldKeys.forEach((key, o) => {
    if (key === undefined) return;
    const first = firstOld.get(key);
    if (first === undefined) firstOld.set(key, o);
    else repeated[first] = 1;
  });
  const oldOf = new Int32Array(newKeys.length).fill(-1);
  const newHits = new Uint32Array(oldKeys.length);
  newKeys.forEach((key, n) => {
    const o = key === undefined ? undefined : firstOld.get(key);
    if (o === undefined) return;
    oldOf[n] = o;
    newHits[o]++;
  });

  const newPaired = new Uint8Array(newKeys.length);
  const oldPaired = new Uint8Array(oldKeys.length);
  const pair = (n: number, o: number): void => {
    newPaired[n] = 1;
    oldPaired[o] = 1;
    link(n, o);
  };
  const unique: number[] = [];
  oldOf.forEach((o, n) => {
    if (o >= 0 && !repeated[o] && newHits[o] === 1) {
      unique.push(n);
      pair(n, o);
    }
  });
  if (unique.length === newKeys.length || unique.length === oldKeys.length) return;

  const inChain = longestIncreasingChain(unique.map((n) => oldOf[n]));
  const cuts = unique.filter((_, k) => inChain[k]);
  let newStart = 0;
  let oldStart = 0;
  for (let k = 0; k <= cuts.length; k++) {
    const newEnd = k < cuts.length ? cuts[k] : newKeys.length;
    const oldEnd = k < cuts.length ? oldOf[cuts[k]] : oldKeys.length;
    pairInOrder(newKeys, oldKeys, newPaired, oldPaired, newStart, newEnd, oldStart, oldEnd, pair);
    newStart = newEnd + 1;
    oldStart = oldEnd + 1;
  }
  pairInOrder(newKeys, oldKeys, newPaired, oldPaired, 0, newKeys.length, 0, oldKeys.length, pair);
}

/** Pairs equal keys of not yet paired segments within index ranges, in document order. */
function pairInOrder(
  newKeys: (string | undefined)[],
  oldKeys: (string | undefined)[],
  newPaired: Uint8Array,
  oldPaired: Uint8Array,
  newStart: number,
  newEnd: number,
  oldStart: number,
  oldEnd: number,
  pair: (n: number, o: number) => void,
): void {
  const queues = new Map<string, { olds: number[]; next: number }>();
  for (let o = oldStart; o < oldEnd; o++) {
    const key = oldKeys[o];
    if (key === undefined || oldPaired[o]) continue;
    const queue = queues.get(key);
    if (queue) queue.olds.push(o);
    else queues.set(key, { olds: [o], next: 0 });
  }
  if (queues.size === 0) return;
  for (let n = newStart; n < newEnd; n++) {
    const key = newKeys[n];
    const queue = key === undefined || newPaired[n] ? undefined : queues.get(key);
    if (queue && queue.next < queue.olds.length) pair(n, queue.olds[queue.next++]);
  }
}

/** Marks a longest strictly increasing subsequence of distinct values (patience sorting, O(n log n)). */
function longestIncreasingChain(values: number[]): boolean[] {
  // tails[k]: index of the smallest value ending an increasing run of length k + 1 seen so far.
  const tails: number[] = [];
  const before = new Int32Array(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let low = 0;
    let high = tails.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (values[tails[middle]] < values[i]) low = middle + 1;
      else high = middle;
    }
    if (low > 0) before[i] = tails[low - 1];
    tails[low] = i;
  }
  const inChain = new Array<boolean>(values.length).fill(false);
  for (let i = tails.length > 0 ? tails[tails.length - 1] : -1; i >= 0; i = before[i]) inChain[i] = true;
  return inChain;
}

/** The unmatched old and new segments between two consecutive anchors (or a document end), by index, in order. */
interface Gap {
  olds: number[];
  news: number[];
}

/** Cuts both versions at the anchors; only gaps with segments on both sides need aligning. */
function gapsBetween(anchors: number[], matching: Matching): Gap[] {
  const gaps: Gap[] = [];
  let newStart = 0;
  let oldStart = 0;
  for (let k = 0; k <= anchors.length; k++) {
    const newEnd = k < anchors.length ? anchors[k] : matching.source.length;
    const oldEnd = k < anchors.length ? matching.source[anchors[k]] : matching.used.length;
    const news: number[] = [];
    const olds: number[] = [];
    for (let n = newStart; n < newEnd; n++) if (matching.source[n] < 0) news.push(n);
    for (let o = oldStart; o < oldEnd; o++) if (!matching.used[o]) olds.push(o);
    if (news.length > 0 && olds.length > 0) gaps.push({ olds, news });
    newStart = newEnd + 1;
    oldStart = oldEnd + 1;
  }
  return gaps;
}

/** A candidate correspondence inside a gap: old positions [oldStart, oldEnd) with new positions [newStart, newEnd), one side a single segment. */
interface Pairing {
  oldStart: number;
  oldEnd: number;
  newStart: number;
  newEnd: number;
  /** Shared words, less PART_PENALTY per extra part: what the chain maximises. */
  weight: number;
}

/** Aligns one gap: the heaviest non-crossing set of edited, split and merged pairings among the bounded candidates. */
function alignGap(gap: Gap, context: Context): void {
  const { olds, news } = gap;
  for (const pairing of heaviestChain(pairingsInGap(gap, context), news.length)) {
    if (pairing.oldEnd - pairing.oldStart > 1) {
      context.matching.linkMerged(news[pairing.newStart], olds.slice(pairing.oldStart, pairing.oldEnd));
    } else if (pairing.newEnd - pairing.newStart > 1) {
      for (let j = pairing.newStart; j < pairing.newEnd; j++) {
        context.matching.link(news[j], 'split', olds[pairing.oldStart], j === pairing.newStart);
      }
    } else {
      context.matching.link(news[pairing.newStart], 'edited', olds[pairing.oldStart]);
    }
  }
}

/** The pairings worth considering in a gap: each new segment against the old ones near the gap's diagonals. */
function pairingsInGap(gap: Gap, context: Context): Pairing[] {
  const { olds, news } = gap;
  const { window } = context;
  const p = olds.length;
  const q = news.length;
  const pairings: Pairing[] = [];
  const seenFor = new Int32Array(p).fill(-1);
  // In a gap no wider than the window every pair is compared. In a wider one (a rewritten chapter, say),
  // each diagonal is scanned outwards and the scan for a new segment stops at the first near copy: the
  // window is there to find a counterpart, and comparing every new segment of a long rewritten stretch
  // with 41 or 82 old ones would cost seconds on a book. Counterparts beyond the window are left to the
  // last stage (matchMovedAndEdited), which looks them up by rare word pairs.
  const wide = p > window + 1 || q > window + 1;
  for (let j = 0; j < q; j++) {
    let closest = 0;
    const consider = (i: number): void => {
      if (i < 0 || i >= p || seenFor[i] === j) return;
      seenFor[i] = j;
      closest = Math.max(closest, comparePair(i, j, gap, context, pairings));
    };
    // Two diagonals: from the gap's start (edits just after an anchor) and from its end (edits just before
    // the next), so that many segments inserted or deleted at one end do not push the others out of reach.
    for (const diagonal of p === q ? [j] : [j, j + p - q]) {
      consider(diagonal);
      for (let distance = 1; distance <= window && !(wide && closest >= NEAR_COPY); distance++) {
        consider(diagonal - distance);
        consider(diagonal + distance);
      }
    }
  }
  return pairings;
}

/** Compares old position i with new position j of a gap: a 1:1 pairing if similar, and splits or merges grown from there. Returns their Dice similarity. */
function comparePair(i: number, j: number, gap: Gap, context: Context, pairings: Pairing[]): number {
  const { olds, news } = gap;
  const { similarity, oldWords, newWords } = context;
  const old = oldWords.bag(olds[i]);
  const fresh = newWords.bag(news[j]);
  if (old.length === 0 || fresh.length === 0) return 0;
  const shared = sharedWords(old, fresh);
  if (shared > 0 && 2 * shared >= similarity * (old.length + fresh.length)) {
    pairings.push({ oldStart: i, oldEnd: i + 1, newStart: j, newEnd: j + 1, weight: shared });
  }
  // The new segment is mostly made of the old one's words: it may be the first part of a split.
  if (shared >= similarity * fresh.length) {
    const partAt = (k: number): Int32Array | undefined =>
      j + k < news.length && news[j + k] === news[j] + k ? newWords.bag(news[j + k]) : undefined;
    growGroup(old, partAt, similarity, (parts, weight) =>
      pairings.push({ oldStart: i, oldEnd: i + 1, newStart: j, newEnd: j + parts, weight }),
    );
  }
  // The old segment is mostly within the new one: it may be the first of several merged into it.
  if (shared >= similarity * old.length) {
    const partAt = (k: number): Int32Array | undefined =>
      i + k < olds.length && olds[i + k] === olds[i] + k ? oldWords.bag(olds[i + k]) : undefined;
    growGroup(fresh, partAt, similarity, (parts, weight) =>
      pairings.push({ oldStart: i, oldEnd: i + parts, newStart: j, newEnd: j + 1, weight }),
    );
  }
  return (2 * shared) / (old.length + fresh.length);
}

/**
 * Grows a split (one whole, consecutive new parts) or a merge (consecutive old parts, one whole) from its
 * first part, part by part while each part mostly comes from the whole, and offers every size at which
 * the group as a whole is still similar to the whole.
 */
function growGroup(whole: Int32Array, partAt: (k: number) => Int32Array | undefined, similarity: number, offer: (parts: number, weight: number) => void): void {
  let rest: Remainder | undefined;
  let shared = 0;
  let length = 0;
  for (let k = 1; k < MAX_PARTS; k++) {
    const part = partAt(k);
    if (!part || part.length === 0) return;
    // Cheap bound before any bookkeeping: what the part shares with the whole, ignoring earlier parts.
    if (sharedWords(whole, part) < similarity * part.length) return;
    if (!rest) {
      const first = partAt(0) as Int32Array;
      rest = new Remainder(whole);
      shared = rest.take(first);
      length = first.length;
    }
    // Words already claimed by earlier parts do not count twice.
    const gained = rest.take(part);
    if (gained === 0 || gained < similarity * part.length) return;
    shared += gained;
    length += part.length;
    const weight = shared - PART_PENALTY * k;
    if (weight > 0 && 2 * shared >= similarity * (whole.length + length)) offer(k + 1, weight);
  }
}

/** The heaviest set of pairings that neither overlap nor cross: a maximum-weight chain of rectangles, O(k log k) with a Fenwick tree of prefix maxima. */
function heaviestChain(pairings: Pairing[], newCount: number): Pairing[] {
  if (pairings.length === 0) return [];
  const byStart = pairings.map((_, k) => k).sort((a, b) => pairings[a].oldStart - pairings[b].oldStart);
  const byEnd = pairings.map((_, k) => k).sort((a, b) => pairings[a].oldEnd - pairings[b].oldEnd);
  const best = new Float64Array(pairings.length);
  const before = new Int32Array(pairings.length).fill(-1);
  // Keyed by newEnd: the best chain ending at or before a new position.
  const tree = new PrefixMax(newCount + 1);
  let ready = 0;
  for (const k of byStart) {
    const pairing = pairings[k];
    // Only chains ending at or before this pairing's old start may precede it.
    while (ready < byEnd.length && pairings[byEnd[ready]].oldEnd <= pairing.oldStart) {
      const done = byEnd[ready++];
      tree.raise(pairings[done].newEnd, best[done], done);
    }
    const [value, from] = tree.upTo(pairing.newStart);
    best[k] = value + pairing.weight;
    before[k] = from;
  }
  let last = 0;
  for (let k = 1; k < pairings.length; k++) if (best[k] > best[last]) last = k;
  const chain: Pairing[] = [];
  for (let k = last; k >= 0; k = before[k]) chain.push(pairings[k]);
  return chain.reverse();
}

/** A Fenwick tree of maxima over keys 0..size-1, remembering which item gave each maximum. */
class PrefixMax {
  private readonly values: Float64Array;
  private readonly items: Int32Array;

  constructor(size: number) {
    this.values = new Float64Array(size + 1);
    this.items = new Int32Array(size + 1).fill(-1);
  }

  /** Offers value (of item) at key. */
  raise(key: number, value: number, item: number): void {
    for (let i = key + 1; i < this.values.length; i += i & -i) {
      if (value > this.values[i]) {
        this.values[i] = value;
        this.items[i] = item;
      }
    }
  }

  /** The greatest value offered at a key ≤ key (0 and no item if none). */
  upTo(key: number): [number, number] {
    let value = 0;
    let item = -1;
    for (let i = Math.min(key + 1, this.values.length - 1); i > 0; i -= i & -i) {
      if (this.values[i] > value) {
        value = this.values[i];
        item = this.items[i];
      }
    }
    return [value, item];
  }
}

/**
 * An inverted index from word pairs to the old segments still unmatched after the gaps, to find, for a new
 * segment, the few old ones sharing most of its rarest word pairs without comparing all pairs. Bounded work
 * per lookup: SHINGLES_PER_QUERY lists of at most MAX_POSTINGS entries, CANDIDATES results.
 */
class RareShingleIndex {
  private readonly postings: Map<number, number[]>;

  constructor(matching: Matching, oldWords: WordCache) {
    this.postings = indexUnmatched(matching, oldWords);
  }

  /** Old segments sharing most of these words' rarest pairs, best first (nearest to position n on ties). */
  candidates(sequence: Int32Array, n: number): number[] {
    const lists: number[][] = [];
    for (const shingle of shingles(sequence)) {
      const list = this.postings.get(shingle);
      // A pair found in many old segments tells nothing about which one this is.
      if (list && list.length <= MAX_POSTINGS) lists.push(list);
    }
    lists.sort((a, b) => a.length - b.length);
    const hits = new Map<number, number>();
    for (const list of lists.slice(0, SHINGLES_PER_QUERY)) for (const o of list) hits.set(o, (hits.get(o) ?? 0) + 1);
    return [...hits]
      .sort((a, b) => b[1] - a[1] || Math.abs(a[0] - n) - Math.abs(b[0] - n))
      .slice(0, CANDIDATES)
      .map(([o]) => o);
  }
}

/** Word pair → old segments still unmatched that contain it. */
function indexUnmatched(matching: Matching, oldWords: WordCache): Map<number, number[]> {
  const postings = new Map<number, number[]>();
  for (let o = 0; o < matching.used.length; o++) {
    if (matching.used[o]) continue;
    for (const shingle of shingles(oldWords.sequence(o))) {
      const list = postings.get(shingle);
      if (list) list.push(o);
      else postings.set(shingle, [o]);
    }
  }
  return postings;
}

/**
 * Distinct word pairs of a sequence (the word itself for a one-word text), hashed to 30 bits so that they
 * stay small integers, the fastest map keys; a collision only adds a candidate that the similarity check rejects.
 */
function shingles(sequence: Int32Array): Set<number> {
  const result = new Set<number>();
  if (sequence.length === 1) result.add(sequence[0] & 0x3fffffff);
  for (let k = 0; k + 1 < sequence.length; k++) result.add((Math.imul(sequence[k] + 1, 0x9e3779b1) ^ sequence[k + 1]) & 0x3fffffff);
  return result;
}

/** Last stage: a new segment still unmatched takes the most similar still-unmatched old segment among its index candidates (moved and edited). */
function matchMovedAndEdited(context: Context): void {
  const { matching, similarity, oldWords, newWords } = context;
  if (matching.used.every((used) => used) || matching.source.every((source) => source >= 0)) return;
  const index = new RareShingleIndex(matching, oldWords);
  const pairs: { n: number; o: number; score: number }[] = [];
  matching.source.forEach((source, n) => {
    if (source >= 0) return;
    for (const o of index.candidates(newWords.sequence(n), n)) {
      if (matching.used[o]) continue;
      const score = dice(oldWords.bag(o), newWords.bag(n));
      if (score > 0 && score >= similarity) pairs.push({ n, o, score });
    }
  });
  // Best pairs first, so that a segment is not taken by a worse partner that happened to come earlier.
  pairs.sort((a, b) => b.score - a.score || Math.abs(a.n - a.o) - Math.abs(b.n - b.o) || a.n - b.n);
  for (const { n, o } of pairs) if (matching.source[n] < 0 && !matching.used[o]) matching.link(n, 'edited', o);
}

/** Turns the links into the result: ids (kept or fresh, never one a known segment had), origins, deletions and counts. */
function describe(blocks: Block[], previous: KnownSegment[], matching: Matching): Alignment {
  const taken = new Set(previous.map((segment) => segment.id));
  const counts: Record<AlignmentLabel | 'deleted', number> = { unchanged: 0, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: 0, deleted: 0 };
  const segments = blocks.map((block, n): AlignedSegment => {
    const o = matching.source[n];
    const label = matching.labels[n] ?? 'new';
    counts[label]++;
    if (o < 0) return aligned(block, newId(block.text, taken), label, []);
    const from = label === 'merged' ? (matching.merged.get(n) as number[]).map((m) => previous[m].id) : [previous[o].id];
    const segment = aligned(block, matching.laterParts.has(n) ? newId(block.text, taken) : from[0], label, from);
    // A paragraph whose text did not change keeps the previous version's string, not an equal
    // new one: the translations, the locales' units and every comparison with them share it (a
    // book's every unit was compared character by character with its paragraph in each locale).
    if ((label === 'unchanged' || label === 'moved') && segment.text === previous[o].text) segment.text = previous[o].text;
    return segment;
  });
  const deleted = previous.filter((_, o) => !matching.used[o]);
  counts.deleted = deleted.length;
  return { segments, deleted, counts };
}

/** A block with its id, label and origin. Fields copied one by one: an object spread is several times slower, which shows on 20,000 segments. */
function aligned(block: Block, id: string, label: AlignmentLabel, from: string[]): AlignedSegment {
  const segment: AlignedSegment = { id, kind: block.kind, text: block.text, translatable: block.translatable, label, from };
  if (block.level !== undefined) segment.level = block.level;
  if (block.ordered !== undefined) segment.ordered = block.ordered;
  if (block.continued !== undefined) segment.continued = block.continued;
  return segment;
}
