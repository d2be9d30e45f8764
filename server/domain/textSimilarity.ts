// Words are compared as 30-bit hashes (FNV-1a of the lower-cased word), computed in one pass over the
// text: no substring, no map of words, no regular expression. This runs on every paragraph not matched by
// its text, and a /[\p{L}\p{M}\p{N}]+/gu match with a word map was several times slower. Two different words
// of the paragraphs being compared share a hash with odds of about 1 in 50,000: a negligible error in a
// similarity score. 30 bits keep the hashes small integers, the fastest map keys.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const HASH_BITS = 0x3fffffff;

/** How a character takes part in words. */
const enum Role {
  /** Separates words. */
  None,
  /** Letter, mark or digit: part of a word. */
  Word,
  /** Han, Hiragana or Katakana: a word of its own, since those scripts do not space words. */
  Alone,
  /** Soft hyphen, zero-width (non-)joiner: invisible, part of no word and ending none. */
  Ignored,
  /** Hyphen other than "-": may join a word broken at a line end. */
  Hyphen,
}

interface Character {
  role: Role;
  /** Lower-case form (for hashing). */
  lower: string;
  /** Whether a lower-case letter (a broken word resumes only with one). */
  small: boolean;
}

const WORD_CHARACTER = /^[\p{L}\p{M}\p{N}]$/u;
const UNSPACED = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const SMALL_LETTER = /^\p{Ll}$/u;
const characters = new Map<number, Character>();

/** What a non-ASCII character is, by code point: tested once with Unicode property patterns, then cached. */
function character(code: number): Character {
  let found = characters.get(code);
  if (!found) {
    const text = String.fromCodePoint(code);
    const role =
      code === 0xad || code === 0x200c || code === 0x200d
        ? Role.Ignored
        : code === 0x2010 || code === 0x2011
          ? Role.Hyphen
          : UNSPACED.test(text)
            ? Role.Alone
            : WORD_CHARACTER.test(text)
              ? Role.Word
              : Role.None;
    found = { role, lower: text.toLowerCase(), small: SMALL_LETTER.test(text) };
    characters.set(code, found);
  }
  return found;
}

function isSpace(code: number): boolean {
  return code <= 0x20 || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x3000;
}

/**
 * After a hyphen ending a word at index i: where the word resumes if the hyphen, then white space (a line
 * break or spaces), then a lower-case letter follow ("essen- tial", "essen-\ntial"), or -1. As normaliseMinor's
 * hyphenation, so that similarity never depends on where a line was broken.
 */
function resumeAfterBreak(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && isSpace(text.charCodeAt(j))) j++;
  if (j === i + 1 || j >= text.length) return -1;
  const code = text.codePointAt(j) as number;
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x80 && character(code).small) ? j : -1;
}

let scratch = new Int32Array(1024);

/**
 * The words of a text in order, as hashes: runs of letters, marks and digits, lower-cased, with words broken
 * by a hyphen at a line end joined, and each Han or kana character a word. Punctuation, quotes and dashes
 * separate words, so typographic changes never affect similarity.
 */
export function wordCodes(text: string): Int32Array {
  // A text has at most as many words as characters; one buffer serves all calls (copied out at the end).
  if (scratch.length < text.length) scratch = new Int32Array(Math.max(text.length, 2 * scratch.length));
  const codes = scratch;
  let count = 0;
  let hash = FNV_OFFSET;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      if (code >= 0x41 && code <= 0x5a) code += 0x20;
      if ((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39)) {
        hash = Math.imul((inWord ? hash : FNV_OFFSET) ^ code, FNV_PRIME);
        inWord = true;
        continue;
      }
      if (code === 0x2d && inWord) {
        const resume = resumeAfterBreak(text, i);
        if (resume > 0) {
          i = resume - 1;
          continue;
        }
      }
      if (inWord) codes[count++] = hash & HASH_BITS;
      inWord = false;
      continue;
    }
    const point = text.codePointAt(i) as number;
    if (point > 0xffff) i++;
    const { role, lower } = character(point);
    if (role === Role.Ignored) continue;
    if (role === Role.Hyphen && inWord) {
      const resume = resumeAfterBreak(text, i);
      if (resume > 0) {
        i = resume - 1;
        continue;
      }
    }
    if (role !== Role.Word && inWord) {
      codes[count++] = hash & HASH_BITS;
      inWord = false;
    }
    if (role === Role.Word || role === Role.Alone) {
      if (!inWord) hash = FNV_OFFSET;
      for (let k = 0; k < lower.length; k++) hash = Math.imul(hash ^ lower.charCodeAt(k), FNV_PRIME);
      if (role === Role.Alone) codes[count++] = hash & HASH_BITS;
      else inWord = true;
    }
  }
  if (inWord) codes[count++] = hash & HASH_BITS;
  return codes.slice(0, count);
}

/** The words of a sequence, sorted: a multiset that another one can be intersected with by a linear merge. */
export function toBag(sequence: Int32Array): Int32Array {
  // slice() copies memory; Int32Array.from would go through the iterator protocol, many times slower.
  return sequence.slice().sort();
}

/** How many words two bags share, counting repeats (the size of their multiset intersection). */
export function sharedWords(a: Int32Array, b: Int32Array): number {
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return shared;
}

/** Dice coefficient of two bags, 2·shared / (|a| + |b|): 1 for the same words, 0 when none are shared or a text has no words. */
export function dice(a: Int32Array, b: Int32Array): number {
  return a.length + b.length === 0 ? 0 : (2 * sharedWords(a, b)) / (a.length + b.length);
}

/** Word-level Dice similarity of two texts (for callers comparing a few texts; bulk callers keep bags). */
export function textSimilarity(a: string, b: string): number {
  return dice(toBag(wordCodes(a)), toBag(wordCodes(b)));
}

/** What is left of a bag while parts are matched against it one after another (to score splits and merges without counting a word twice). */
export class Remainder {
  private readonly counts = new Map<number, number>();

  constructor(bag: Int32Array) {
    for (const word of bag) this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
  }

  /** Removes from the remainder the part's words it still holds, and says how many there were. */
  take(part: Int32Array): number {
    let taken = 0;
    for (const word of part) {
      const left = this.counts.get(word);
      if (left) {
        this.counts.set(word, left - 1);
        taken++;
      }
    }
    return taken;
  }
}
