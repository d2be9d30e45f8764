import { diffPackage } from '../lazyPackages';

/** One run of a word diff: kept, added or removed text. */
export interface WordDiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

/** How long one diff may take: a pathological paragraph gets a plain "all replaced" instead of stalling the server. */
export const WORD_DIFF_TIMEOUT_MS = 50;

/** The word-level diff from an old source text to the new one (jsdiff diffWords, bounded in time). */
export function wordDiff(before: string, after: string): WordDiffPart[] {
  const parts = diffPackage().diffWords(before, after, { timeout: WORD_DIFF_TIMEOUT_MS });
  if (!parts) return [{ value: before, removed: true }, { value: after, added: true }];
  return parts.map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }));
}
