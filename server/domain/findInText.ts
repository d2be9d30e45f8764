/**
 * Finding words or a phrase in a paragraph as a search box does: case and diacritics folded
 * ("revolucion" finds "Revolución"), the places of what was found given in the text as it is
 * (UTF-16 offsets, start and end), for highlighting.
 */
import { WorkbenchError } from '../errors';

/** How a search query is read: its words (all of them, anywhere), the exact phrase, or a regular expression. */
export type SearchMode = 'words' | 'phrase' | 'regex';

/** The longest query taken. */
export const MAX_QUERY_LENGTH = 500;

/** A text folded for searching, with where each of its characters came from in the text. */
interface Folded {
  text: string;
  /** For each folded UTF-16 unit, the offset in the original text of the character it came from; one more entry, the text's length. */
  from: number[];
}

/** Lower-cased, without diacritics (marks after NFD), character by character so places map back. */
export function fold(text: string): Folded {
  let folded = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; ) {
    const code = text.codePointAt(i) as number;
    const char = String.fromCodePoint(code);
    const plain = code < 0x80 ? char.toLowerCase() : char.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    for (let k = 0; k < plain.length; k++) from.push(i);
    folded += plain;
    i += char.length;
  }
  from.push(text.length);
  return { text: folded, from };
}

/**
 * `text` folded as fold does, in a few native passes over the whole of it: the same text, but that
 * lower-casing a whole text writes a word's last capital sigma as a final sigma (ς), which fold,
 * character by character, writes σ; so every ς is σ here (and in what is looked for in it).
 */
function roughFold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/ς/gu, 'σ');
}

/** The folded words of a query (letters and digits), for the words mode. */
export function queryTerms(query: string, mode: SearchMode): string[] {
  const text = query.trim();
  if (text === '') throw new WorkbenchError(400, 'search-empty', 'Say what to look for: the query is empty.');
  if (text.length > MAX_QUERY_LENGTH) throw new WorkbenchError(400, 'search-too-long', `The query is ${text.length} characters long; at most ${MAX_QUERY_LENGTH} are taken.`);
  if (mode === 'phrase') return [fold(text).text];
  const words = [...new Set(fold(text).text.match(/[\p{L}\p{N}]+/gu) ?? [])];
  if (words.length === 0) throw new WorkbenchError(400, 'search-no-words', `"${text}" has no word to look for (letters or digits); look for it as a phrase or a regular expression.`, { params: { text: text.slice(0, 100) } });
  return words;
}

/**
 * Where `terms` are in `text`: for words, every place of each (undefined unless every one is
 * there); for a phrase (one term), every place of it. Sorted, as [start, end] in `text`.
 */
export function findTerms(text: string, terms: readonly string[]): [number, number][] | undefined {
  // Most paragraphs have none of the terms: they are ruled out on the text folded whole, without
  // the places (a fifth of the time); only the others are folded character by character.
  const rough = roughFold(text);
  if (terms.some((term) => !rough.includes(term.replace(/ς/gu, 'σ')))) return undefined;
  return placesOf(text, terms);
}

/** findTerms without its quick look: the places of `terms` in `text` folded character by character. */
export function placesOf(text: string, terms: readonly string[]): [number, number][] | undefined {
  const folded = fold(text);
  const found: [number, number][] = [];
  for (const term of terms) {
    let any = false;
    for (let at = folded.text.indexOf(term); at >= 0; at = folded.text.indexOf(term, at + term.length)) {
      any = true;
      found.push([folded.from[at], folded.from[at + term.length]]);
    }
    if (!any) return undefined;
  }
  return found.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** A regular expression of a query, checked (400 with the reason when it does not compile). Case-insensitive, Unicode. */
export function queryRegex(query: string): RegExp {
  if (query === '') throw new WorkbenchError(400, 'search-empty', 'Say what to look for: the query is empty.');
  if (query.length > MAX_QUERY_LENGTH) throw new WorkbenchError(400, 'search-too-long', `The query is ${query.length} characters long; at most ${MAX_QUERY_LENGTH} are taken.`);
  try {
    return new RegExp(query, 'giu');
  } catch (err) {
    throw new WorkbenchError(400, 'search-bad-regex', `The regular expression does not compile: ${(err as Error).message}`, { params: { reason: (err as Error).message } });
  }
}
