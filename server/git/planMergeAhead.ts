import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import type { MergeSuggestion } from '../domain/mergeSuggestion';
import type { Unit } from '../domain/types';
import { mergeAheadOffThread } from '../formats/mergeAheadOffThread';
import type { GitRepository } from './gitRepository';
import { laterSideOf, type MergeSide, mergeSideOf, mergeSuggestionsOf } from './mergeSides';

/** A locale file's part of a merge worked out ahead (see planMergeAhead). */
export interface MergeAheadFile {
  /** Its path in the project (`locales/<lang>/<document>.xlf`). */
  path: string;
  document: string;
  lang: string;
  /** The units the merge changes: our commit's version of each, and the merged one. */
  changes: { ours: Unit; merged: Unit }[];
  /** The texts of paragraphs both sides changed that the merge did not keep. */
  suggestions: MergeSuggestion[];
  /** The merge's sides of the file (their last commits of it). */
  sides: { ours: MergeSide; theirs: MergeSide };
  /** The source version our commit's file was brought up to: the merge holds for the file only while it still is. */
  sourceVersion?: number;
}

/** A suggestion list their commits changed (see MergeSuggestionLists): merged by union as git does, from these versions. */
export interface MergeAheadList {
  path: string;
  base: Uint8Array;
  theirs: Uint8Array;
}

/** A merge of `theirs` into our commit `head`, worked out ahead as unit changes of locale files. */
export interface MergeAheadPlan {
  head: string;
  theirs: string;
  /** Their commit and ours have this one in common: `head` itself when theirs is ahead of ours (a fast-forward). */
  base: string;
  files: MergeAheadFile[];
  lists: MergeAheadList[];
}

const LOCALE_FILE = /^locales\/([^/]+)\/([^/]+)\.xlf$/;
const LIST_FILE = /^locales\/([^/]+)\/([^/]+)\.conflicts\.jsonl$/;

/**
 * The merge of `theirs` into our commit `head` as changes of units of our locale files, worked out
 * from the three versions git holds of each file (the work of the merge driver, on a thread of its
 * own), while the files go on changing: a server's editors save meanwhile. Undefined when the merge
 * is more than that, which git and the merge driver then make as before: their commits change
 * anything but locale files and their suggestion lists (a source, a file added or taken out), or a file's
 * units themselves (units added, taken out or moved: a source update), or a file cannot be read
 * (git's merge says what is wrong with it).
 */
export async function planMergeAhead(repo: GitRepository, head: string, theirs: string): Promise<MergeAheadPlan | undefined> {
  const base = await repo.tryRun(['merge-base', head, theirs]);
  if (!base || base === theirs) return undefined;
  const paths = ((await repo.tryRun(['diff', '--name-only', '-z', '--no-renames', base, theirs])) ?? '').split('\0').filter(Boolean);
  if (paths.length === 0) return undefined;
  const files: MergeAheadFile[] = [];
  const lists: MergeAheadList[] = [];
  for (const file of paths) {
    const list = LIST_FILE.exec(file);
    if (list) {
      if (!isLocaleTag(list[1]) || !isDocumentId(list[2])) return undefined;
      // A list they took out is left to git.
      const [baseList, theirList] = await Promise.all([repo.showBlob(base, file), repo.showBlob(theirs, file)]);
      if (!theirList) return undefined;
      lists.push({ path: file, base: baseList ?? new Uint8Array(0), theirs: theirList });
      continue;
    }
    // Only the project's own locale files (a checked locale and document id); any other is git's to merge.
    const where = LOCALE_FILE.exec(file);
    if (!where || !isLocaleTag(where[1]) || !isDocumentId(where[2])) return undefined;
    const [baseBytes, ourBytes, theirBytes] = await Promise.all([repo.showBlob(base, file), repo.showBlob(head, file), repo.showBlob(theirs, file)]);
    if (!baseBytes || !ourBytes || !theirBytes) return undefined;
    const sides = { ours: await mergeSideOf(repo.dir, head, file), theirs: await mergeSideOf(repo.dir, theirs, file) };
    let merge;
    try {
      merge = await mergeAheadOffThread(baseBytes, ourBytes, theirBytes, file, laterSideOf(sides.ours, sides.theirs));
    } catch {
      return undefined;
    }
    if (!merge.fits) return undefined;
    const place = { lang: where[1], document: where[2] };
    files.push({ path: file, ...place, changes: merge.changes, suggestions: mergeSuggestionsOf(merge.conflicts, place, () => sides), sides, sourceVersion: merge.sourceVersion });
  }
  return { head, theirs, base, files, lists };
}
