import { memoOfTextsIn } from './memoOfTexts';
import { wordsOf } from './termMatcher';

/** Says whether a word is spelt right in a language (a Hunspell dictionary, see hunspellSpellers). */
export interface Speller {
  correct(word: string): boolean;
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
  const inSource = (word: string): boolean => sourceWordsOf(source, language).has(word);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const part of wordsOf(text, language)) {
    const word = part.text.replace(/’/gu, "'");
    if (seen.has(word)) continue;
    seen.add(word);
    if (word.length < 2 || /[\d_]/u.test(word) || word === word.toLocaleUpperCase(language) || known.has(word.toLocaleLowerCase(language))) continue;
    if (!speller.correct(word) && !inSource(part.text)) found.push(part.text);
  }
  return found;
}

/**
 * The words of a source paragraph (see misspeltWords), remembered: they are asked again at every
 * save of its translation. For the paragraphs being worked on (a set of a paragraph's words is a few
 * kilobytes: a book's every paragraph would be tens of megabytes).
 */
const sourceWordsOf = memoOfTextsIn((source: string, language: string): ReadonlySet<string> => new Set(wordsOf(source, language).map((w) => w.text)), 2_000);
