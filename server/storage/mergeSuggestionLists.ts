import * as fs from 'node:fs/promises';
import path from 'node:path';
import { mergeSuggestionId, type MergeSuggestion } from '../domain/mergeSuggestion';
import { writeFileAtomic } from './writeFileAtomic';

/**
 * The lists of merge suggestions, `locales/<lang>/<doc>.conflicts.jsonl`: one JSON line per text a
 * merge did not keep, committed with the translations (git merges the lists with its union
 * driver), so every clone has them. A line read twice, or written by hand without its id, counts
 * once, by the id its content makes.
 */
export class MergeSuggestionLists {
  constructor(private readonly dir: string) {}

  /** The list file of a document's language, relative to the project. */
  static fileOf(document: string, lang: string): string {
    return `locales/${lang}/${document}.conflicts.jsonl`;
  }

  /** Every list of the project, by its path. */
  async all(): Promise<Map<string, MergeSuggestion[]>> {
    const localesDir = path.join(this.dir, 'locales');
    const out = new Map<string, MergeSuggestion[]>();
    for (const lang of await fs.readdir(localesDir).catch(() => [] as string[])) {
      for (const name of await fs.readdir(path.join(localesDir, lang)).catch(() => [] as string[])) {
        if (name.endsWith('.conflicts.jsonl')) out.set(`locales/${lang}/${name}`, await this.read(`locales/${lang}/${name}`));
      }
    }
    return out;
  }

  /** The suggestions of one list (none when it has no file). */
  async read(file: string): Promise<MergeSuggestion[]> {
    const text = await fs.readFile(path.join(this.dir, file), 'utf8').catch(() => '');
    const seen = new Set<string>();
    const out: MergeSuggestion[] = [];
    for (const line of text.split('\n')) {
      const s = parseSuggestion(line);
      if (s && !seen.has(s.id)) {
        seen.add(s.id);
        out.push(s);
      }
    }
    return out;
  }

  /** Adds the suggestions a list lacks. */
  async append(file: string, suggestions: readonly MergeSuggestion[]): Promise<void> {
    const known = new Set((await this.read(file)).map((s) => s.id));
    const fresh = suggestions.filter((s) => !known.has(s.id));
    if (fresh.length) await fs.appendFile(path.join(this.dir, file), fresh.map((s) => `${JSON.stringify(s)}\n`).join(''));
  }

  /** Rewrites a list with only `kept` (atomically and durably), or removes its file when nothing is kept. */
  async keep(file: string, kept: readonly MergeSuggestion[]): Promise<void> {
    const full = path.join(this.dir, file);
    if (kept.length === 0) {
      await fs.rm(full, { force: true });
      return;
    }
    await writeFileAtomic(full, kept.map((s) => `${JSON.stringify(s)}\n`).join(''));
  }
}

/** One line of a list, or undefined when it is not one (a blank line, a line cut short). */
export function parseSuggestion(line: string): MergeSuggestion | undefined {
  if (!line.trim()) return undefined;
  try {
    const s = JSON.parse(line) as Partial<MergeSuggestion>;
    if (typeof s.document !== 'string' || typeof s.lang !== 'string' || typeof s.unit !== 'string' || typeof s.text !== 'string' || typeof s.author !== 'string') return undefined;
    const full: MergeSuggestion = { id: '', document: s.document, lang: s.lang, unit: s.unit, text: s.text, author: s.author, at: typeof s.at === 'string' ? s.at : new Date(0).toISOString() };
    if (typeof s.keptAuthor === 'string') full.keptAuthor = s.keptAuthor;
    full.id = mergeSuggestionId(full);
    return full;
  } catch {
    return undefined;
  }
}
