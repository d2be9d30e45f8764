/**
 * Placeholders for another tool's inline codes in a paragraph's text (see formats/inlineCodes):
 * `<x1/>` for a code alone, `<g2>`…`</g2>` for one that wraps words, numbered as the source has them.
 */

/** A placeholder in a text: `<x1/>`, `<g2>` or `</g2>`. */
export const CODE_TAG = /<(\/?)([gx])(\d{1,4})(\/?)>/g;

/** The placeholders of a text, in order, as written (`<x1/>`, `<g2>`, `</g2>`). */
export function placeholdersOf(text: string): string[] {
  return [...text.matchAll(CODE_TAG)].map((m) => m[0]);
}

/** The text without its placeholders (what the other checks read of it). */
export function withoutPlaceholders(text: string): string {
  return text.includes('<') ? text.replace(CODE_TAG, '') : text;
}

/**
 * What is wrong with the placeholders of `target` against those of `source`, or undefined when it
 * has each of them once, and each pair opened before it is closed and nested as elements nest:
 * what a tool needs to take the translation back.
 */
export function placeholderProblem(source: string, target: string): { missing: string[]; extra: string[]; misplaced: string[] } | undefined {
  const expected = placeholdersOf(source);
  const found = placeholdersOf(target);
  const count = (list: string[]) => list.reduce((map, tag) => map.set(tag, (map.get(tag) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const have = count(found);
  const missing = [...want].filter(([tag, n]) => (have.get(tag) ?? 0) < n).map(([tag]) => tag);
  const extra = [...have].filter(([tag, n]) => (want.get(tag) ?? 0) < n).map(([tag]) => tag);
  const misplaced: string[] = [];
  const open: string[] = [];
  for (const match of target.matchAll(CODE_TAG)) {
    const [, closing, kind, n] = match;
    if (kind !== 'g') continue;
    if (!closing) open.push(n);
    else if (open[open.length - 1] === n) open.pop();
    else misplaced.push(match[0]);
  }
  misplaced.push(...open.map((n) => `<g${n}>`));
  if (missing.length + extra.length + misplaced.length === 0) return undefined;
  return { missing, extra, misplaced: [...new Set(misplaced)] };
}
