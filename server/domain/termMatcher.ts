import { segmenterFor } from './segmenterFor';
import { foldWord, termStem } from './termStem';

/** A word of a text and where it is (UTF-16 offsets). */
interface Word {
  text: string;
  start: number;
  end: number;
}

/** The words of a text as the language's rules break it (Intl.Segmenter, CLDR word breaks). */
export function wordsOf(text: string, language: string): Word[] {
  const words: Word[] = [];
  for (const part of segmenterFor(language, 'word').segment(text)) {
    if (part.isWordLike) words.push({ text: part.segment, start: part.index, end: part.index + part.segment.length });
  }
  return words;
}

/** What lies between two words of one term: white space, a hyphen or an apostrophe, nothing else. */
const JOINER = /^[\s\-‐‑'’]*$/u;

/** A phrase (a term, a translation) as the stems of its words. */
interface Phrase<T> {
  stems: string[];
  caseSensitive: boolean;
  value: T;
}

function phraseOf<T>(text: string, language: string, caseSensitive: boolean, value: T): Phrase<T> | undefined {
  const stems = wordsOf(text, language).map((w) => termStem(foldWord(w.text, language, caseSensitive), language));
  return stems.length > 0 ? { stems, caseSensitive, value } : undefined;
}

/** A place a phrase was found in a text. */
export interface PhraseMatch<T> {
  value: T;
  at: [number, number];
}

/**
 * Phrases to find in texts of one language, word by word, each word matching its inflected forms
 * (see termStem): the longest phrase starting at a word wins, and matches do not overlap.
 */
export class PhraseFinder<T> {
  private readonly byFirst = new Map<string, Phrase<T>[]>();
  private caseSensitiveCount = 0;

  constructor(
    readonly language: string,
    entries: Iterable<{ text: string; caseSensitive: boolean; value: T }>,
  ) {
    for (const entry of entries) {
      const phrase = phraseOf(entry.text, language, entry.caseSensitive, entry.value);
      if (!phrase) continue;
      if (phrase.caseSensitive) this.caseSensitiveCount++;
      const list = this.byFirst.get(phrase.stems[0]) ?? [];
      if (!this.byFirst.has(phrase.stems[0])) this.byFirst.set(phrase.stems[0], list);
      list.push(phrase);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  }

  get size(): number {
    let n = 0;
    for (const list of this.byFirst.values()) n += list.length;
    return n;
  }

  /** Every place a phrase is found in `text`, in order. */
  find(text: string): PhraseMatch<T>[] {
    if (this.byFirst.size === 0 || text === '') return [];
    const words = wordsOf(text, this.language);
    const folded = words.map((w) => termStem(foldWord(w.text, this.language, false), this.language));
    const exact = this.caseSensitiveCount > 0 ? words.map((w) => termStem(foldWord(w.text, this.language, true), this.language)) : folded;
    const found: PhraseMatch<T>[] = [];
    for (let i = 0; i < words.length; ) {
      const candidates = [...(this.byFirst.get(folded[i]) ?? []), ...(exact !== folded && exact[i] !== folded[i] ? (this.byFirst.get(exact[i]) ?? []) : [])];
      const hit = candidates
        .sort((a, b) => b.stems.length - a.stems.length)
        .find((phrase) => {
          const stems = phrase.caseSensitive ? exact : folded;
          if (i + phrase.stems.length > words.length) return false;
          for (let k = 0; k < phrase.stems.length; k++) {
            if (stems[i + k] !== phrase.stems[k]) return false;
            if (k > 0 && !JOINER.test(text.slice(words[i + k - 1].end, words[i + k].start))) return false;
          }
          return true;
        });
      if (hit) {
        found.push({ value: hit.value, at: [words[i].start, words[i + hit.stems.length - 1].end] });
        i += hit.stems.length;
      } else {
        i++;
      }
    }
    return found;
  }
}
