import type { LaterSide, MergeConflict } from '../domain/mergeLocaleFiles';
import { mergeSuggestionId, type MergeSuggestion } from '../domain/mergeSuggestion';
import { runGit } from './runGit';

/** A side of a merge of one file: when its last commit of the file was made, and by whom. */
export interface MergeSide {
  /** Seconds since 1970 (0: unknown). */
  time: number;
  name?: string;
}

/** The side of a merge `rev` is, for `file` (its last commit of it); unknown when git cannot tell. */
export async function mergeSideOf(cwd: string, rev: string, file: string): Promise<MergeSide> {
  try {
    const [time, name] = (await runGit(cwd, ['log', '-1', '--format=%ct%x00%an', rev, '--', file])).stdout.trim().split('\0');
    return { time: Number(time) || 0, name: name || undefined };
  } catch {
    return { time: 0, name: undefined };
  }
}

/** Which side of a merge is the later one, for a paragraph both changed at the same revision: the newer commit, ours on a tie. */
export const laterSideOf = (ours: MergeSide, theirs: MergeSide): LaterSide => (theirs.time > ours.time ? 'theirs' : 'ours');

/**
 * The merge suggestions of a file's conflicts (see mergeLocaleFiles): each text the file did not
 * keep, credited to the author of its side. `sideOf` tells a conflict's sides (the sides of the
 * file's merge, or a paragraph's own).
 */
export function mergeSuggestionsOf(conflicts: readonly MergeConflict[], where: { document: string; lang: string }, sideOf: (conflict: MergeConflict) => { ours: MergeSide; theirs: MergeSide }): MergeSuggestion[] {
  return conflicts.map((c) => {
    const { ours, theirs } = sideOf(c);
    const otherSide = c.kept === 'ours' ? theirs : ours;
    const keptSide = c.kept === 'ours' ? ours : theirs;
    const s: MergeSuggestion = {
      id: '',
      document: where.document,
      lang: where.lang,
      unit: c.unit,
      text: c.other.target ?? '',
      author: otherSide.name ?? 'someone',
      at: new Date((otherSide.time || Date.now() / 1000) * 1000).toISOString(),
    };
    if (keptSide.name) s.keptAuthor = keptSide.name;
    s.id = mergeSuggestionId(s);
    return s;
  });
}
