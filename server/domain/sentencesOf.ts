/** A paragraph's sentences, as the language's rules break them (Intl.Segmenter, CLDR's sentence breaks). */
import { memoOfTextsIn } from './memoOfTexts';
import { segmenterFor } from './segmenterFor';

/**
 * The characters after which a sentence can end (Unicode's sentence breaks, UAX #29: the
 * Sentence_Terminal characters, ONE DOT LEADER, line and paragraph separators; and the semicolon
 * and Greek question mark, which end a question in Greek): a text with none of them is one
 * sentence, in every language, without asking the segmenter (a save's check counts the sentences
 * of its translation, and ICU's iterator cost a hundredth of a busy server's time).
 */
const MAY_END_SENTENCE = /[\p{Sentence_Terminal}\u2024\n\r\v\f\u0085\u2028\u2029;\u037e]/u;

/** The sentences of `text` in `language`, trimmed, empty ones left out. */
export function sentencesOf(text: string, language: string): string[] {
  if (!MAY_END_SENTENCE.test(text)) {
    const whole = text.trim();
    return whole === '' ? [] : [whole];
  }
  const sentences: string[] = [];
  for (const { segment } of segmenterFor(language, 'sentence').segment(text)) {
    const sentence = segment.trim();
    if (sentence !== '') sentences.push(sentence);
  }
  return sentences;
}

/** sentencesOf for a source paragraph, remembered for the paragraphs being worked on: it is asked again at every save of its translation. */
export const sentencesOfSource: (text: string, language: string) => readonly string[] = memoOfTextsIn(sentencesOf, 5_000);
