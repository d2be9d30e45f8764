/**
 * The stem a glossary compares words by, so that a term matches its inflected forms ("commune",
 * "communes"; "obrero", "obreras"). A light rule per language, not a full stemmer: it strips one
 * inflectional ending and keeps at least three letters; two words match when their stems are equal.
 *
 * - English: a possessive ('s), then a plural (-sses → -ss, -ies → -y, -xes/-ches/-shes/-zes → -x…,
 *   -s but not -ss/-us/-is), then -ing or -ed, then a final -e ("produce", "produced", "producing").
 * - Spanish, Portuguese, Catalan, Italian, French: a plural (-es after a consonant in Spanish, -s,
 *   French -x), then one final gender vowel (-a, -o, -e; Italian -i too): "obrero", "obreras".
 * - German, Dutch: one of -en, -er, -es, -e, -n, -s.
 * - Any other language: the word itself (folded), no ending stripped.
 */
const MIN_STEM = 3;

function strip(word: string, suffix: string, replacement = ''): string | undefined {
  if (!word.endsWith(suffix)) return undefined;
  const stem = word.slice(0, word.length - suffix.length);
  return stem.length >= MIN_STEM ? stem + replacement : undefined;
}

function english(word: string): string {
  let w = word.replace(/['’]s$/u, '');
  w = strip(w, 'sses', 'ss') ?? strip(w, 'ies', 'y') ?? (/(x|ch|sh|z)es$/u.test(w) ? strip(w, 'es') : undefined) ?? (/(ss|us|is)$/u.test(w) ? w : strip(w, 's')) ?? w;
  w = strip(w, 'ing') ?? strip(w, 'ed') ?? w;
  return strip(w, 'e') ?? w;
}

function romance(word: string, vowels: RegExp, consonantEs: boolean): string {
  let w = word;
  w = (consonantEs && /[^aeiouáéíóú]es$/u.test(w) ? strip(w, 'es') : undefined) ?? strip(w, 's') ?? strip(w, 'x') ?? w;
  return vowels.test(w) && w.length - 1 >= MIN_STEM ? w.slice(0, -1) : w;
}

function germanic(word: string): string {
  for (const suffix of ['en', 'er', 'es', 'e', 'n', 's']) {
    const stem = strip(word, suffix);
    if (stem !== undefined) return stem;
  }
  return word;
}

const RULES: Record<string, (word: string) => string> = {
  en: english,
  es: (w) => romance(w, /[aoe]$/u, true),
  pt: (w) => romance(w, /[aoe]$/u, false),
  ca: (w) => romance(w, /[aoe]$/u, false),
  fr: (w) => romance(w, /e$/u, false),
  it: (w) => romance(w, /[aoei]$/u, false),
  de: germanic,
  nl: germanic,
};

/** The base language of a BCP 47 tag ("pt-BR" → "pt"). */
function baseOf(language: string): string {
  return language.split('-')[0].toLowerCase();
}

/** Whether the language has an ending rule (else words match only whole). */
export function hasStemRule(language: string): boolean {
  return baseOf(language) in RULES;
}

/** A word's stem in a language: `word` is already folded (see foldWord). */
export function termStem(word: string, language: string): string {
  const rule = RULES[baseOf(language)];
  return rule ? rule(word) : word;
}

/** A word as compared: NFC, typographic apostrophes as ', lower case in the language unless `caseSensitive`. */
export function foldWord(word: string, language: string, caseSensitive: boolean): string {
  const w = word.normalize('NFC').replace(/[’ʼ]/gu, "'");
  if (caseSensitive) return w;
  try {
    return w.toLocaleLowerCase(language);
  } catch {
    return w.toLowerCase();
  }
}
