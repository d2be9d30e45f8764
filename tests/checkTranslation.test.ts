import { CHECKS, checkTranslation, extractLinks } from '../server/domain/checkTranslation';
import { GlossaryMatcher } from '../server/domain/glossaryMatcher';
import { dictionaryFor, HunspellSpellers } from '../server/formats/hunspellSpellers';
import { misspeltWords } from '../server/domain/misspeltWords';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The quality checks beside each translation: the same links as the source, as many emphasised
// or code spans. The source's side is worked out once per text and kept.

describe('checkTranslation', () => {
  const source = 'See the *first* [page](https://example.org/a), <https://example.org/b> and `code`, or https://example.org/c.';

  it('finds the links of a text: Markdown links, autolinks and bare addresses', () => {
    expect(extractLinks(source)).toEqual(['https://example.org/a', 'https://example.org/b', 'https://example.org/c']);
  });

  it('passes a translation with the same links and marks, whatever their order', () => {
    const target = 'Véase `code`, https://example.org/c, <https://example.org/b> y la *primera* [página](https://example.org/a).';
    expect(checkTranslation(source, target)).toEqual([]);
    expect(checkTranslation(source, target)).toEqual([]); // the source's facts now kept: the same answer
  });

  it('names the links lost and added, and the marks counted on each side', () => {
    const target = 'Véase la primera [página](https://example.org/otra), <https://example.org/b> y `code`, o https://example.org/c.';
    expect(checkTranslation(source, target)).toEqual([
      { id: 'links-differ', code: 'links-differ', severity: 'error', message: 'checks.linksDiffer', values: { missing: 'https://example.org/a', extra: 'https://example.org/otra' } },
      { id: 'markup-differs', code: 'markup-differs', severity: 'warning', message: 'checks.markupDiffers', values: { source: '2', target: '1' } },
    ]);
  });

  it('says nothing of an empty translation', () => {
    expect(checkTranslation(source, '')).toEqual([]);
  });
});

describe('an autolink', () => {
  it('is one link, the same as a Markdown link to the same address', () => {
    expect(extractLinks('Go to <https://example.org/x>.')).toEqual(['https://example.org/x']);
    expect(checkTranslation('Go to <https://example.org/x>.', 'Ve a [la página](https://example.org/x).')).toEqual([]);
  });
});

describe('the prose checks', () => {
  const en = { source: 'en', target: 'es' };
  const fr = { source: 'en', target: 'fr' };
  const ids = (source: string, target: string, languages = en) => checkTranslation(source, target, languages).map((c) => c.id);
  const clean = ['The Commune lasted 72 days, from 18 March 1871.', 'La Comuna duró 72 días, desde el 18 de marzo de 1871.'];

  it('has twenty-two checks, two of the glossary and spelling, errors and warnings, and passes a clean translation', () => {
    expect(CHECKS).toHaveLength(25);
    expect(CHECKS.filter((c) => c.severity === 'error').map((c) => c.id)).toEqual(['links-differ', 'whitespace-only', 'code-differs', 'markdown-broken', 'codes-differ', 'forbidden-term']);
    expect(ids(clean[0], clean[1])).toEqual([]);
  });

  it.each([
    ['whitespace-only', 'Some words here.', '   '],
    ['code-differs', 'Run `make` now.', 'Ejecuta `hacer` ahora.'],
    ['markdown-broken', 'Run `make` now.', 'Ejecuta `make ahora.'],
    ['codes-differ', 'Open <g1>the list</g1> here<x2/>.', 'Abre <g1>la lista aquí<x2/>.'],
    ['numbers-differ', clean[0], 'La Comuna duró 73 días, desde el 18 de marzo de 1871.'],
    ['untranslated', 'The people cheered.', 'The people cheered.'],
    ['edge-whitespace', 'The people cheered.', 'La gente aplaudió. '],
    ['double-space', 'The people cheered.', 'La gente  aplaudió.'],
    ['repeated-word', 'The people cheered.', 'La la gente aplaudió.'],
    ['unbalanced-brackets', 'The people (all of them) cheered.', 'La gente (toda aplaudió.'],
    ['unbalanced-quotes', 'They said “no”.', 'Dijeron “no.'],
    ['end-punctuation', 'Did the people cheer?', 'La gente aplaudió.'],
    ['sentence-count', 'One. Two. Three. Four.', 'Uno dos tres cuatro.'],
    ['length-ratio', 'The people of Paris cheered for a long time.', 'Sí.'],
    ['capital-first', 'The people cheered.', 'la gente aplaudió.'],
    ['source-left', 'The people cheered. The army came back to Paris.', 'La gente aplaudió. The army came back to Paris.'],
    ['tags-differ', 'The <b>people</b> cheered.', 'La gente aplaudió.'],
    ['line-breaks-differ', 'One line\nand another.', 'Una línea y otra.'],
  ])('%s', (id, source, target) => {
    expect(ids(source, target)).toContain(id);
    expect(checkTranslation(source, target, en).find((c) => c.id === id)?.message).toMatch(/^checks\./);
  });

  it('knows the quotation marks of the target language from CLDR', () => {
    expect(ids('They said "no".', 'Ils ont dit « non ».', fr)).not.toContain('quotation-marks');
    expect(checkTranslation('They said "no".', 'Ils ont dit “non”.', fr).find((c) => c.id === 'quotation-marks')?.values).toEqual({ found: '“ ”', start: '«', end: '»' });
    expect(ids('They said "no".', 'Dijeron “no”.', en)).not.toContain('quotation-marks');
  });
});

describe('the spelling check', () => {
  const spellers = new HunspellSpellers();

  it('names the words the language\'s Hunspell dictionary does not know, leaving names, code, links and acronyms alone', async () => {
    const es = { source: 'en', target: 'es', speller: await spellers.speller('es') };
    const spelling = (source: string, target: string, languages: Parameters<typeof checkTranslation>[2]) => checkTranslation(source, target, languages).find((c) => c.id === 'spelling')?.values.words;
    expect(spelling('The workers took the town hall.', 'Los obreros tomaron el ayuntamiemto.', es)).toBe('ayuntamiemto');
    expect(spelling('Kropotkin wrote `mutual_aid` at https://example.org/mutualaid in the UNHCR.', 'Kropotkin escribió `mutual_aid` en https://example.org/mutualaid en la UNHCR.', es)).toBeUndefined();
    const fr = { source: 'en', target: 'fr', speller: await spellers.speller('fr') };
    expect(spelling('The workers of the Commune.', "L'ouvrière et les travailleurs de la Comune, aujourd’hui.", fr)).toBe('Comune');
    // A word of the glossary's translations is a word of the language.
    const glossary = new GlossaryMatcher([{ id: 'a', sourceLanguage: 'en', source: 'commoning', translations: ['procomunización'], forbidden: [], partOfSpeech: '', note: '', caseSensitive: false, revision: 1, who: '', at: '' }], 'en', 'es');
    expect(spelling('Commoning.', 'Procomunización.', es)).toBe('Procomunización');
    expect(spelling('Commoning.', 'Procomunización.', { ...es, glossary })).toBeUndefined();
  });

  it('cuts words as the Unicode word rules do (Intl.Segmenter), on real French, Portuguese and English text', () => {
    const rejectAll = { correct: () => false };
    for (const [code, lang] of [['fra', 'fr'], ['por_PT', 'pt'], ['eng', 'en']] as const) {
      const text = readFileSync(path.join(__dirname, 'fixtures', 'align', `udhr-${code}.md`), 'utf8') + " L'ouvrière d’aujourd’hui, e.g. mutual_aid, 30,000.";
      // Every word the speller is asked about, each once: the check's own rules applied to Intl.Segmenter's words.
      const expected = [...new Set([...new Intl.Segmenter(lang, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).map((s) => s.segment))].filter(
        (word) => word.length >= 2 && !/[\d_]/u.test(word) && word !== word.toLocaleUpperCase(lang),
      );
      expect(misspeltWords(text, '', lang, rejectAll)).toEqual(expected);
    }
  });

  it('is skipped for a language no dictionary serves', () => {
    expect(dictionaryFor('es-MX')).toBe('dictionary-es');
    expect(dictionaryFor('en')).toBe('dictionary-en');
    expect(dictionaryFor('en-GB')).toBeUndefined();
    expect(dictionaryFor('pt-PT')).toBeUndefined();
    expect(spellers.speller('eu')).toBeUndefined();
  });

  it("leaves the process's crash report alone: Hunspell's runtime adds no uncaughtException listener", async () => {
    const before = process.listeners('uncaughtException').length;
    const fresh = new HunspellSpellers();
    expect((await fresh.speller('es'))?.correct('ayuntamiento')).toBe(true);
    expect(process.listeners('uncaughtException')).toHaveLength(before);
  });

  it('starts Hunspell again when its runtime failed to start, instead of leaving spelling off for good', async () => {
    const real = await import('hunspell-asm');
    let starts = 0;
    const flaky = new HunspellSpellers(async () => {
      starts += 1;
      if (starts === 1) throw new Error('Timeout to initialize runtime');
      return real.loadModule({ timeout: 60_000 });
    });
    await expect(flaky.speller('es')).rejects.toThrow('Timeout to initialize runtime');
    expect(flaky.loaded('es')).toBeUndefined();
    const es = await flaky.speller('es');
    expect(es?.correct('ayuntamiento')).toBe(true);
    expect(es?.correct('ayuntamiemto')).toBe(false);
    expect(flaky.loaded('es')).toBe(es);
    // The runtime that started is kept: another language does not start it again.
    await flaky.speller('fr');
    expect(starts).toBe(2);
  });
});

describe('French punctuation spacing', () => {
  const fr = { source: 'en', target: 'fr' };
  const spacing = (target: string, languages: Parameters<typeof checkTranslation>[2] = fr) => checkTranslation('They said: no!', target, languages).find((c) => c.id === 'punctuation-spacing')?.values.marks;

  it('wants a no-break space before ; : ! ? » and after «, in French only', () => {
    expect(spacing('Ils ont dit : « non ! »')).toBe('␣: ␣! ␣» «');
    expect(spacing('Ils ont dit\u202F: «\u202Fnon\u202F!\u202F»')).toBeUndefined();
    expect(spacing('Ils ont dit\u00A0: non\u00A0!')).toBeUndefined();
    expect(spacing('Quoi\u202F?!')).toBeUndefined();
    expect(spacing('Non!')).toBe('!');
    // Addresses, times and code are left alone; other languages and Swiss French are not checked.
    expect(spacing('Voir https://example.org/a?b=1 à 10:30 et `a:b`.')).toBeUndefined();
    expect(spacing('Dijeron: ¡no!', { source: 'en', target: 'es' })).toBeUndefined();
    expect(spacing('Non!', { source: 'en', target: 'fr-CH' })).toBeUndefined();
  });
});

