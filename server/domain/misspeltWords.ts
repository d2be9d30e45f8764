import { memoOfTexts } from './memoOfTexts';

/** Says whether a word is spelt right in a language (a Hunspell dictionary, see hunspellSpellers). */
export interface Speller {
  correct(word: string): boolean;
}

/**
 * A word, as the Unicode word rules (UAX #29) cut the languages that have a dictionary, all written
 * in the Latin script with spaces between words: letters, marks, digits and underscores, joined
 * across an apostrophe, a full stop or a middle dot between two of them (l'ouvrière, aujourd’hui).
 * The same words as Intl.Segmenter gives for them, but for numbers with a thousands comma (which
 * the check leaves alone, having digits), nine times faster: Intl.Segmenter was half of a book's
 * first checks page.
 */
const WORD = /[\p{L}\p{M}\p{N}_]+(?:['’.·][\p{L}\p{M}\p{N}_]+)*/gu;

/** The words of a text (see WORD). */
function wordsIn(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** What is not prose in a Markdown text: code spans, link targets and bare addresses. */
const NOT_PROSE = /`[^`]*`|\]\([^)]*\)|<[a-z][a-z0-9+.-]*:[^>\s]*>|\b[a-z][a-z0-9+.-]*:\/\/\S+|\S+@\S+\.\S+/giu;

/**
 * The words of a translation its language's dictionary does not know, in order, each once. Left
 * alone: code, links and addresses; words with a digit or an underscore, single letters, words in
 * capitals (acronyms); a word that is in the source too (a name, a title kept as it is); the
 * words of `known` (the glossary's translations).
 */
export function misspeltWords(target: string, source: string, language: string, speller: Speller, known: ReadonlySet<string> = new Set()): string[] {
  const text = target.replace(NOT_PROSE, (match) => ' '.repeat(match.length));
  // The source's words are cut only when a word is not in the dictionary (most saves have none),
  // and once per source paragraph.
  const inSource = (word: string): boolean => sourceWordsOf(source).has(word);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const part of wordsIn(text)) {
    const word = part.replace(/’/gu, "'");
    if (seen.has(word)) continue;
    seen.add(word);
    // The dictionary first (its answers are remembered): most words are in it, and need no more.
    if (word.length < 2 || speller.correct(word)) continue;
    if (/[\d_]/u.test(word) || word === word.toLocaleUpperCase(language) || (known.size > 0 && known.has(word.toLocaleLowerCase(language)))) continue;
    if (!inSource(part)) found.push(part);
  }
  return found;
}

/**
 * The words of a source paragraph (see misspeltWords), remembered: they are asked again at every
 * save of its translation. For the paragraphs being worked on (a set of a paragraph's words is a few
 * kilobytes: a book's every paragraph would be tens of megabytes).
 */
const sourceWordsOf = memoOfTexts((source: string): ReadonlySet<string> => new Set(wordsIn(source)), 2_000);
