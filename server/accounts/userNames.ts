import { WorkbenchError } from '../errors';

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
  return input;
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
