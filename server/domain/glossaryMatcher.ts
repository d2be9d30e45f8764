import type { GlossaryTerm } from './glossaryTerm';
import { PhraseFinder } from './termMatcher';

/** A term found in a source text, and where. */
export interface TermFound {
  term: GlossaryTerm;
  at: [number, number];
}

/** What a translation does with the terms of its source: terms not translated as the glossary says, and forbidden translations used. */
export interface TermUse {
  missing: GlossaryTerm[];
  forbidden: { term: GlossaryTerm; used: string }[];
}

/**
 * A language's glossary, ready to look at texts: its terms found in a source (each word matching
 * its inflected forms, see termStem), and its translations and forbidden translations in a target.
 * Built once per change of the glossary (see Glossary.matcher).
 */
export class GlossaryMatcher {
  private readonly sources: PhraseFinder<GlossaryTerm>;
  private readonly targets = new Map<string, { translations: PhraseFinder<string>; forbidden: PhraseFinder<string> }>();

  constructor(
    private readonly terms: readonly GlossaryTerm[],
    readonly sourceLanguage: string,
    readonly targetLanguage: string,
  ) {
    this.sources = new PhraseFinder(
      sourceLanguage,
      terms.map((term) => ({ text: term.source, caseSensitive: term.caseSensitive, value: term })),
    );
  }

  private words?: Set<string>;

  /** The words of the glossary's translations, in lower case (for the spelling check). */
  get targetWords(): ReadonlySet<string> {
    if (!this.words) {
      this.words = new Set();
      for (const term of this.terms) for (const text of [...term.translations, ...term.forbidden]) for (const word of text.split(/[\s\-‐]+/u)) if (word) this.words.add(word.toLocaleLowerCase(this.targetLanguage));
    }
    return this.words;
  }

  /** How many terms it looks for. */
  get size(): number {
    return this.sources.size;
  }

  /** The glossary's terms in a source text, in order, none overlapping (the longest term wins). */
  termsIn(source: string): TermFound[] {
    return this.sources.find(source).map((m) => ({ term: m.value, at: m.at }));
  }

  /** The terms of `source` that `target` does not translate with one of their translations, and the forbidden translations it uses. */
  check(source: string, target: string): TermUse {
    const use: TermUse = { missing: [], forbidden: [] };
    const seen = new Set<string>();
    for (const { term } of this.termsIn(source)) {
      if (seen.has(term.id)) continue;
      seen.add(term.id);
      const finders = this.targetFinders(term);
      if (term.translations.length > 0 && finders.translations.find(target).length === 0) use.missing.push(term);
      const used = finders.forbidden.find(target)[0];
      if (used) use.forbidden.push({ term, used: target.slice(used.at[0], used.at[1]) });
    }
    return use;
  }

  private targetFinders(term: GlossaryTerm) {
    let finders = this.targets.get(term.id);
    if (!finders) {
      // Translations are matched whatever their capitals (a term starts a sentence), with the target language's endings.
      const finder = (texts: string[]) => new PhraseFinder(this.targetLanguage, texts.map((text) => ({ text, caseSensitive: false, value: text })));
      finders = { translations: finder(term.translations), forbidden: finder(term.forbidden) };
      this.targets.set(term.id, finders);
    }
    return finders;
  }
}
