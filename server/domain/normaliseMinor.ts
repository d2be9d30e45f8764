/** Which trivial edits leave a segment "the same text" (a minor change that keeps its translation). All on by default. */
export interface MinorEditOptions {
  /** Runs of spaces, tabs, line breaks and no-break spaces count as one space; leading/trailing space and zero-width spaces are ignored. */
  whitespace?: boolean;
  /** Typographic quotes count as ASCII ones: ‘ ’ ‚ ‛ ‹ › as ', “ ” „ ‟ « » as " (spaces just inside guillemets are dropped). */
  quotes?: boolean;
  /** Hyphen and dash characters (‐ ‑ ‒ – — ―) count as "-". */
  dashes?: boolean;
  /** A word hyphenated across a line or page break ("essen-\ntial", "essen- tial") counts as joined; soft hyphens are ignored. */
  hyphenation?: boolean;
  /** "…" counts as "...". */
  ellipsis?: boolean;
}

// Every pattern starts with a literal character (or a small class of them) rather than with \s* or \p{L}:
// the engine then skips quickly through text without quotes, dashes or hyphens, which is most text.
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2039\u203A]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F]/g;
// French guillemets are spaced (often with a narrow no-break space): « mot » is "mot".
const GUILLEMETS = /\u00AB\s*|\s*\u00BB/g;
const HAS_GUILLEMET = /[\u00AB\u00BB]/;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015]/g;
// A hyphen, then a line break (with any indentation) or spaces, then a lower-case letter, the hyphen
// following a letter (checked in joinBrokenWords: a look-behind here makes the pattern 30 times slower):
// what a hyphenated word broken at the end of a line or page becomes once reflowed or extracted.
// The lower-case requirement keeps "Franco- German" and list-like "pre- and post-war" mostly apart.
const BROKEN_WORD = /-(?:[^\S\n]*\n\s*|[^\S\n]+)(?=\p{Ll})/gu;
const LETTER_BEFORE = /\p{L}$/u;
const SOFT_HYPHEN = /\u00AD/g;
const ZERO_WIDTH = /[\u200B\u2060\uFEFF]/g;
// Any whitespace run but a lone space: replacing every single space by itself would cost more than the rest together.
const SPACES = /\s{2,}|[^\S ]/g;

/** Rewrites a text so that two texts differing only by the enabled trivial edits become equal (for matching, never for display). */
export function normaliseMinor(text: string, options: MinorEditOptions = {}): string {
  const { whitespace = true, quotes = true, dashes = true, hyphenation = true, ellipsis = true } = options;
  let result = text;
  if (quotes) {
    result = result.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"');
    if (HAS_GUILLEMET.test(result)) result = result.replace(GUILLEMETS, '"');
  }
  // Dashes before hyphenation, so a word broken with U+2010 HYPHEN is joined too.
  if (dashes) result = result.replace(DASHES, '-');
  if (ellipsis) result = result.replace(/\u2026/g, '...');
  // Hyphenation before whitespace: it needs to see the line break that whitespace would flatten.
  if (hyphenation) result = joinBrokenWords(result.replace(SOFT_HYPHEN, ''));
  if (whitespace) result = result.replace(ZERO_WIDTH, '').replace(SPACES, ' ').trim();
  return result;
}

function joinBrokenWords(text: string): string {
  return text.replace(BROKEN_WORD, (match: string, offset: number) => (LETTER_BEFORE.test(text.slice(Math.max(0, offset - 2), offset)) ? '' : match));
}

/** Whether any normalisation is enabled: when none is, a "minor" pass could only find exact matches again. */
export function anyMinorEdit(options: MinorEditOptions = {}): boolean {
  const { whitespace = true, quotes = true, dashes = true, hyphenation = true, ellipsis = true } = options;
  return whitespace || quotes || dashes || hyphenation || ellipsis;
}
