import { isDeepStrictEqual } from 'node:util';
import { mergeLocaleFiles } from '../domain/mergeLocaleFiles';
import type { MergeSuggestion } from '../domain/mergeSuggestion';
import type { LocaleFile, Unit } from '../domain/types';
import { mergeSuggestionsOf } from '../git/mergeSides';
import type { MergeAheadFile } from '../git/planMergeAhead';
import type { LocaleStore } from '../storage/localeStore';
import type { JournalMark } from '../storage/unitJournal';
import { unitsOf } from './localeTally';

/**
 * Whether a merge worked out ahead still holds for the files as they are now: each is still at
 * the source version it was worked out for (a source updated here meanwhile changed its units:
 * git merges it instead).
 */
export async function mergeAheadHolds(locales: Pick<LocaleStore, 'peek' | 'readForChange'>, files: readonly MergeAheadFile[]): Promise<boolean> {
  for (const file of files) {
    // Read as it is read for the change that follows: a file another process wrote just before
    // (a server's saves, for a `workbench sync` beside it) is parsed once, into its units' places,
    // with the project held alone, rather than read for its model, kept as a snapshot and parsed
    // again for the change (half a second of a book's saves waiting, and as long again of the
    // snapshot's making on the same thread).
    await locales.readForChange(file.document, file.lang);
    const version = await locales.peek(file.document, file.lang, (current) => current.sourceVersion ?? 0);
    if (version !== (file.sourceVersion ?? 0)) return false;
  }
  return true;
}

/**
 * Puts a merge worked out ahead (see planMergeAhead) into a locale file as it is now: each unit
 * the merge changes, merged again with what was saved since our commit (a paragraph nobody saved
 * since takes the merged unit; one saved since both here and on their side keeps the later text
 * and the other becomes a suggestion, as in the merge itself), written as a batch of a few units
 * is (journaled with `journal` when the store writes behind, else written now). `savedBy` names
 * who last saved a paragraph since our commit, for the suggestion's credit. Resolves with the
 * merge's suggestions and those of paragraphs saved meanwhile, the units written into the file,
 * and whether the file on disk holds them already. Called under the project's lock, held alone
 * (see TranslationsInGit.sync).
 */
export async function applyMergeAhead(
  locales: Pick<LocaleStore, 'prepareUnitChanges' | 'writesBehind'>,
  file: MergeAheadFile,
  savedBy: (unit: string) => string | undefined,
  journal?: (units: readonly Unit[]) => Promise<JournalMark>,
): Promise<{ suggestions: MergeSuggestion[]; units: readonly Unit[]; written: boolean }> {
  if (file.changes.length === 0) return { suggestions: file.suggestions, units: [], written: false };
  // Journaled as a batch of saves is, when the store writes behind (the file is written after, the
  // saves going on): else the file is written now.
  const behind = locales.writesBehind && journal !== undefined;
  const now = Math.floor(Date.now() / 1000);
  let changed: Unit[] = [];
  const prepared = await locales.prepareUnitChanges(file.document, file.lang, (current) => {
    const shell = { document: current.document, sourceLanguage: current.sourceLanguage, targetLanguage: current.targetLanguage };
    const held = unitsOf(current);
    const units: Unit[] = [];
    const suggestions: MergeSuggestion[] = [];
    for (const { ours, merged } of file.changes) {
      const mine = held.get(ours.id) as Unit | undefined;
      if (!mine) continue;
      // Our commit's unit is the base: ours is the file as it is now, theirs the merged unit.
      const one = (unit: Unit): LocaleFile => ({ ...shell, units: [unit] });
      const { merged: picked, conflicts } = mergeLocaleFiles(one(ours), one(mine), one(merged), 'ours');
      const unit = picked.units[0];
      if (unit && unit !== mine && !isDeepStrictEqual(unit, mine)) units.push(unit);
      const sides = { ours: { time: now, name: savedBy(ours.id) }, theirs: file.sides.theirs };
      suggestions.push(...mergeSuggestionsOf(conflicts, file, () => sides));
    }
    changed = units;
    return { result: suggestions, units };
  }, { writeBehind: behind });
  const suggestions = [...file.suggestions, ...prepared.result];
  // Every unit the merge changes was saved the same way here meanwhile: nothing to write.
  if (changed.length === 0) {
    await prepared.discard();
    return { suggestions, units: [], written: false };
  }
  if (behind && journal) await prepared.commit(() => journal(changed));
  else await prepared.commit();
  return { suggestions, units: changed, written: !behind };
}
