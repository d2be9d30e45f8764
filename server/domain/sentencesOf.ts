/** A paragraph's sentences, as the language's rules break them (Intl.Segmenter, CLDR's sentence breaks). */
import { memoOfTextsIn } from './memoOfTexts';
import { segmenterFor } from './segmenterFor';

/** The sentences of `text` in `language`, trimmed, empty ones left out. */
export function sentencesOf(text: string, language: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of segmenterFor(language, 'sentence').segment(text)) {
    const sentence = segment.trim();
    if (sentence !== '') sentences.push(sentence);
  }
  return sentences;
}

/** sentencesOf for a source paragraph, remembered for the paragraphs being worked on: it is asked again at every save of its translation. */
export const sentencesOfSource: (text: string, language: string) => readonly string[] = memoOfTextsIn(sentencesOf, 5_000);
