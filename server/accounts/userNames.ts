import { WorkbenchError } from '../errors';
import { unhomoglyphPackage } from '../lazyPackages';

export const USER_NAME_MIN = 2;
export const USER_NAME_MAX = 40;

// Letters of any script, decimal digits of any script, ".", "_", "-" and spaces. Combining marks
// are allowed after a letter or digit: many scripts (Devanagari, Thai, Arabic with vowel marks,
// decomposed accents) cannot write names without them. Names are NOT made HTML-safe by this rule
// (they may hold nothing dangerous today, but the UI escapes them anyway and must keep doing so).
const ALLOWED = /^[\p{L}\p{M}\p{Nd}._ -]$/u;

const RULE = `A user name is ${USER_NAME_MIN} to ${USER_NAME_MAX} letters, digits, dots, underscores, hyphens and spaces (not at the start or the end)`;

function invalid(message: string): WorkbenchError {
  return new WorkbenchError(400, 'invalid-user-name', message);
}

/** Returns `input` verbatim when it is a valid user name, else throws 400 with the reason. */
export function checkUserName(input: unknown): string {
  if (typeof input !== 'string' || input === '') throw invalid(`${RULE}.`);
  const chars = [...input.normalize('NFC')];
  const shown = JSON.stringify(input.slice(0, USER_NAME_MAX + 10));
  if (chars.length < USER_NAME_MIN || chars.length > USER_NAME_MAX) throw invalid(`${RULE}; ${shown} has ${chars.length}.`);
  const bad = chars.find((c) => !ALLOWED.test(c));
  if (bad !== undefined) throw invalid(`${RULE}; ${shown} holds ${JSON.stringify(bad)}.`);
  if (chars[0] === ' ' || chars[chars.length - 1] === ' ') throw invalid(`${RULE}; ${shown} starts or ends with a space.`);
  if (/^\p{M}| \p{M}/u.test(input.normalize('NFC'))) throw invalid(`${RULE}; ${shown} has a combining mark that follows no letter.`);
  const scripts = scriptsOf(input);
  if (!ALLOWED_MIXES.some((mix) => [...scripts].every((script) => mix.has(script)))) {
    throw invalid(`${shown} mixes the scripts ${[...scripts].join(' and ')}: a name is written in one script (as Latin, Cyrillic or Greek), so that it cannot pass for another.`);
  }
  return input;
}

/** Scripts whose letters a name may mix: one script alone, or the mixes Unicode's "highly restrictive" profile allows (UTS #39). */
const SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Armenian', 'Georgian', 'Hebrew', 'Arabic', 'Devanagari', 'Bengali', 'Thai', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Bopomofo', 'Ethiopic', 'Tamil', 'Telugu', 'Gujarati', 'Gurmukhi', 'Kannada', 'Malayalam', 'Sinhala', 'Khmer', 'Lao', 'Myanmar', 'Tibetan'] as const;
const SCRIPT_TESTS = SCRIPTS.map((name) => [name, new RegExp(`\\p{Script=${name}}`, 'u')] as const);
const ALLOWED_MIXES: ReadonlySet<string>[] = [
  ...SCRIPTS.map((name) => new Set<string>([name])),
  new Set(['Latin', 'Han', 'Hiragana', 'Katakana']),
  new Set(['Latin', 'Han', 'Bopomofo']),
  new Set(['Latin', 'Han', 'Hangul']),
];

/** The scripts of a name's letters (digits, marks and punctuation belong to none); "Other" for a script not listed. */
function scriptsOf(name: string): Set<string> {
  const found = new Set<string>();
  for (const char of name.normalize('NFC')) {
    if (!/\p{L}/u.test(char)) continue;
    found.add(SCRIPT_TESTS.find(([, test]) => test.test(char))?.[0] ?? 'Other');
  }
  return found;
}

/**
 * What a name looks like, for telling look-alikes apart: every character replaced by the one it is
 * confusable with, then compared as names are (NFC, lower case) (Unicode's confusables, through unhomoglyph). "admin"
 * and "аdmin" (with a Cyrillic а), or "Ana" and "Αna" (a Greek Α), have the same skeleton.
 */
export function nameSkeleton(name: string): string {
  // Mapped as written (an upper-case Greek Ν looks like N, a lower-case ν does not), then compared without case.
  return userNameKey(unhomoglyphPackage()(name.normalize('NFD')));
}

/** True when `input` is a valid user name (no exception). */
export function isUserName(input: unknown): boolean {
  try {
    checkUserName(input);
    return true;
  } catch {
    return false;
  }
}

/** The comparison key of a name: NFC, lower case. "Ana", "ANA" and "ana" are the same user. */
export function userNameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** True when two names denote the same user. */
export function sameUserName(a: string, b: string): boolean {
  return userNameKey(a) === userNameKey(b);
}
