import { WorkbenchError } from '../errors';

/** A term of a language's glossary: a source term and how it is (and is not) to be translated. */
export interface GlossaryTerm {
  id: string;
  /** The language the term is written in (the project's documents' language). */
  sourceLanguage: string;
  source: string;
  /** Its translations, the preferred first (TBX preferredTerm, then admittedTerm). */
  translations: string[];
  /** Translations not to use (TBX deprecatedTerm, supersededTerm). */
  forbidden: string[];
  partOfSpeech: string;
  note: string;
  /** Matched only with the same capitals (an acronym, a name). */
  caseSensitive: boolean;
  /** Goes up at every change: a change made from an older one is refused (409). */
  revision: number;
  who: string;
  at: string;
}

/** What a person (or a file) says of a term. */
export type TermInput = Pick<GlossaryTerm, 'source' | 'translations' | 'forbidden' | 'partOfSpeech' | 'note' | 'caseSensitive'>;

/** A character XML 1.0 cannot hold (a control character, a lone surrogate, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The longest term or translation, note and part of speech the glossary holds. */
export const MAX_TERM_LENGTH = 300;
export const MAX_NOTE_LENGTH = 2000;
/** At most this many translations (and as many forbidden ones) per term. */
export const MAX_TERM_VARIANTS = 50;

/** The parts of speech TBX-Basic names (termNote type="partOfSpeech"); "" when not said. */
export const PARTS_OF_SPEECH = ['', 'noun', 'verb', 'adjective', 'adverb', 'properNoun', 'other'] as const;

/** A term's text as kept: NFC, white space collapsed, trimmed. */
export function cleanTermText(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * A term as kept, checked: a source term, no empty or duplicate translation, nothing both a
 * translation and forbidden, nothing XML cannot hold (the glossary is exported as TBX). `where`
 * names the term in refusals (a line of a file).
 */
export function normaliseTermInput(input: TermInput, where = ''): TermInput {
  const refuse = (message: string): never => {
    throw new WorkbenchError(400, 'term-invalid', `${where ? `${where}: ` : ''}${message}`);
  };
  const text = (value: string, what: string, max: number): string => {
    const clean = what === 'note' ? value.normalize('NFC').trim() : cleanTermText(value);
    if (clean.length > max) refuse(`the ${what} is longer than ${max} characters.`);
    const bad = NOT_XML.exec(clean);
    if (bad) refuse(`the ${what} holds a character a glossary cannot keep (U+${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}).`);
    return clean;
  };
  const source = text(input.source, 'term', MAX_TERM_LENGTH);
  if (source === '') refuse('the term is empty.');
  const list = (values: string[], what: string): string[] => {
    if (values.length > MAX_TERM_VARIANTS) refuse(`a term may have at most ${MAX_TERM_VARIANTS} ${what}.`);
    const out: string[] = [];
    for (const value of values) {
      const clean = text(value, what === 'translations' ? 'translation' : 'forbidden translation', MAX_TERM_LENGTH);
      if (clean !== '' && !out.some((v) => v.toLocaleLowerCase() === clean.toLocaleLowerCase())) out.push(clean);
    }
    return out;
  };
  const translations = list(input.translations, 'translations');
  const forbidden = list(input.forbidden, 'forbidden translations');
  const both = translations.find((t) => forbidden.some((f) => f.toLocaleLowerCase() === t.toLocaleLowerCase()));
  if (both !== undefined) refuse(`"${both}" is both a translation and a forbidden translation.`);
  if (!(PARTS_OF_SPEECH as readonly string[]).includes(input.partOfSpeech)) refuse(`the part of speech must be one of: ${PARTS_OF_SPEECH.filter(Boolean).join(', ')}.`);
  return { source, translations, forbidden, partOfSpeech: input.partOfSpeech, note: text(input.note, 'note', MAX_NOTE_LENGTH), caseSensitive: input.caseSensitive };
}

/** The key two spellings of one term share (the glossary holds a term once). */
export function termKey(source: string): string {
  return cleanTermText(source).toLocaleLowerCase();
}
