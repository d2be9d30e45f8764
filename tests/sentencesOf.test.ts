import { sentencesOf } from '../server/domain/sentencesOf';

/** The sentences as ICU's segmenter breaks them, with no shortcut. */
function segmented(text: string, language: string): string[] {
  const sentences: string[] = [];
  for (const { segment } of new Intl.Segmenter(language, { granularity: 'sentence' }).segment(text)) if (segment.trim() !== '') sentences.push(segment.trim());
  return sentences;
}

describe('sentencesOf', () => {
  it('breaks as the segmenter does, in texts with and without sentence ends', () => {
    const texts = ['', '   ', 'Una frase sin final', 'Una. Dos! ¿Tres? Cuatro', ' Espacios  alrededor  ', 'Línea\nsegunda', 'Sep\u2029aración', 'Dr. Smith llegó. Luego se fue.', '「日本語。」次の文。', 'Τι είναι; Ένα σπίτι', 'a\u2024 B'];
    for (const language of ['en', 'es', 'el', 'ja', 'de']) {
      for (const text of texts) expect([language, text, sentencesOf(text, language)]).toEqual([language, text, segmented(text, language)]);
    }
  });

  it('takes no character for one that cannot end a sentence (every character of the Basic Multilingual Plane, in English and Greek)', () => {
    // A text without any of the characters the shortcut looks for is one sentence: each character
    // the shortcut lets through must leave "a<c> B" one sentence for the segmenter too.
    const missed: string[] = [];
    for (const language of ['en', 'el']) {
      const segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
      for (let code = 0; code <= 0xffff; code++) {
        if (code >= 0xd800 && code <= 0xdfff) continue;
        const text = `a${String.fromCharCode(code)} B`;
        if (sentencesOf(text, language).length !== 1) continue; // left to the segmenter
        if ([...segmenter.segment(text)].length !== 1) missed.push(`${language} U+${code.toString(16).padStart(4, '0')}`);
      }
    }
    expect(missed).toEqual([]);
  });
});
