import type { NumberedEntry } from '../storage/historyRepository';

/** What each history action is, in a commit message. */
export const VERBS: Record<string, string> = {
  save: 'translate',
  revert: 'translate',
  'suggestion-accepted': 'translate',
  propagate: 'translate',
  approve: 'approve',
  reject: 'send back',
  'still-correct': 'review',
  import: 'import',
  aligned: 'align',
  drift: 'source update',
  split: 'source update',
  merged: 'source update',
  remove: 'source update',
};

/** A person's batch as a commit message: what they did, how many paragraphs, of which documents, in which languages. */
export function messageOf(entries: readonly NumberedEntry[]): string {
  const verbs = new Map<string, Set<string>>();
  const langs = new Set<string>();
  const docs = new Set<string>();
  const perFile = new Map<string, Map<string, number>>();
  for (const { document, lang, entry } of entries) {
    const verb = VERBS[entry.action] ?? entry.action;
    const units = verbs.get(verb) ?? new Set<string>();
    units.add(`${document}/${lang}/${entry.segment}`);
    verbs.set(verb, units);
    langs.add(lang);
    docs.add(document);
    const key = `locales/${lang}/${document}.xlf`;
    const counts = perFile.get(key) ?? new Map<string, number>();
    counts.set(verb, (counts.get(verb) ?? 0) + 1);
    perFile.set(key, counts);
  }
  const paragraphs = new Set(entries.map(({ document, lang, entry }) => `${document}/${lang}/${entry.segment}`)).size;
  const what = [...verbs.keys()].map((v, i) => (i === 0 ? v[0].toUpperCase() + v.slice(1) : v)).join(', ');
  const subject = `${what}: ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'} of ${[...docs].sort().join(', ')} in ${[...langs].sort().join(', ')}`;
  const body = [...perFile].map(([file, counts]) => `${file}: ${[...counts].map(([v, n]) => `${v} ${n}`).join(', ')}`).join('\n');
  return `${subject}\n\n${body}\n`;
}
