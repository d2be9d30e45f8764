import type { GlossaryMatcher } from '../domain/glossaryMatcher';
import type { Speller } from '../domain/misspeltWords';
import { completeUnits } from '../domain/completeUnits';
import { copyUnit } from '../domain/copyUnit';
import { commitWithHistory } from './commitWithHistory';
import { migrateLocale, type RemovedUnits } from '../domain/migrateLocale';
import type { UnitWrites } from '../formats/unitWrites';
import type { SourceVersion } from '../domain/sourceVersion';
import type { SourceDocument } from '../domain/types';
import type { CheckDismissalRepository } from '../storage/checkDismissalRepository';
import type { DiscussionRepository } from '../storage/discussionRepository';
import type { HistoryEntry, HistoryRepository } from '../storage/historyRepository';
import type { LocaleStore, ReadonlyLocaleFile } from '../storage/localeStore';
import type { StampedSnapshots } from '../storage/stampedSnapshots';
import type { ProjectLock } from '../storage/projectLock';
import type { SourceRepository } from '../storage/sourceRepository';

/** What the workbench's use cases are built on. */
export interface WorkbenchStores {
  sources: SourceRepository;
  locales: LocaleStore;
  history: HistoryRepository;
  discussions: DiscussionRepository;
  /** The project's write lock, held by every use case that reads, decides and writes (see ProjectLock). */
  lock: ProjectLock;
  /** Checks people dismissed (none: every check stays open). */
  dismissals?: CheckDismissalRepository;
  /** The glossaries, for the terminology checks (none: no such checks). */
  glossary?: { matcher(lang: string, sourceLanguage: string): Promise<GlossaryMatcher> };
  /** Spelling dictionaries (none, or none for a language: no spelling check). */
  spelling?: { speller(lang: string): Promise<Speller> | undefined; loaded(lang: string): Speller | undefined };
  /** Documents' summaries kept between processes (see Workbench.listDocuments); none in tests that do not ask. */
  summaries?: StampedSnapshots;
}

/**
 * Brings a locale file up to the document's current source version (see migrateLocale): what the
 * versions since removed goes to the archive first, so no translation is ever lost, then the file
 * is rewritten with the drift marked. Does nothing when the file is current (the common case).
 */
export async function syncLocale(stores: WorkbenchStores, document: SourceDocument, code: string): Promise<void> {
  const version = await stores.locales.peek(document.id, code, (file) => file.sourceVersion ?? 1);
  if (version === undefined || version >= document.version) return;
  await stores.lock.hold(async () => migrateLocaleFile(stores, document, code, await stores.sources.versions(document.id)));
}

/**
 * Brings a locale file up to `document`'s version with `versions` (every recorded version of its
 * source), whatever version it is at. The migration runs once, on the draft of the file's update (a
 * copy, under the file's lock); the units it removes are archived after the new file is written
 * and before it replaces the old one (prepare, archive, commit), so the file never drops a
 * translation the archive does not have. With `committed` (a source update still being written, see SourceRepository.update), the
 * file is made meanwhile, but neither the archive nor the file changes before it resolves.
 * `whileWriting` gets the file as written, while it is written (read-only, not to be kept).
 * `writes`, shared by the locales one update brings up together, writes a unit changed the same
 * way in each once (see UnitWrites).
 */
export async function migrateLocaleFile(
  stores: WorkbenchStores,
  document: SourceDocument,
  code: string,
  versions: SourceVersion[],
  committed?: Promise<void>,
  whileWriting?: (file: ReadonlyLocaleFile) => void,
  writes?: UnitWrites,
): Promise<void> {
  return stores.lock.hold(() => migrateHeld(stores, document, code, versions, committed, whileWriting, writes));
}

async function migrateHeld(...[stores, document, code, versions, committed, whileWriting, writes]: Parameters<typeof migrateLocaleFile>): Promise<void> {
  const at = new Date().toISOString();
  const entries: HistoryEntry[] = [];
  // Prepare: the migration is applied to a draft and the new file written aside, the file held.
  const prepared = await stores.locales.prepareUpdate(
    document.id,
    code,
    (draft): RemovedUnits[] => {
      const from = draft.sourceVersion ?? 1;
      if (from >= document.version) return [];
      // The units the versions since name are the only ones whose state can change (or that can leave the file).
      const touched = new Set<string>();
      for (const version of versions) {
        if (version.number <= from || version.number > document.version) continue;
        for (const change of version.changes) {
          touched.add(change.id);
          for (const id of change.from) touched.add(id);
        }
        for (const gone of version.deleted) touched.add(gone.id);
      }
      // The draft's units are the file's own (sharedUnits): those the versions name are noted and
      // copied before the migration changes them; completeUnits copies any other it changes.
      const before = new Map<string, { target?: string; state?: string }>();
      draft.units = draft.units.map((unit) => {
        if (!touched.has(unit.id)) return unit;
        before.set(unit.id, { target: unit.target, state: unit.state });
        return copyUnit(unit);
      });
      const removed = migrateLocale(draft, versions, document.version);
      completeUnits(document, draft);
      const kept = new Set<string>();
      for (const unit of draft.units) {
        if (!touched.has(unit.id)) continue;
        kept.add(unit.id);
        const old = before.get(unit.id);
        if (unit.state === 'needs-review-translation' && old?.state !== 'needs-review-translation' && unit.target !== undefined) {
          entries.push({ at, who: 'workbench', segment: unit.id, action: old ? 'drift' : 'split', before: old, after: { target: unit.target, state: unit.state }, version: document.version });
        }
      }
      // Their translations go to the archive (before the file is replaced): out of the file, so no tool sees them as live units.
      draft.removeUnits = [...before.keys()].filter((id) => !kept.has(id));
      for (const [id, old] of before) {
        if (!kept.has(id) && old.target !== undefined) entries.push({ at, who: 'workbench', segment: id, action: 'remove', before: old, version: document.version });
      }
      return removed;
    },
    // A book's 16,000 units are not copied for the thousand a version touches.
    { writes, sharedUnits: true },
  );
  // Check: the units it removes go to the archive first, once the source version is committed;
  // until then neither the archive nor the file changes.
  try {
    whileWriting?.(prepared.file);
    await committed;
    for (const batch of prepared.result) await stores.locales.archive(document.id, code, batch.version, batch.units);
  } catch (err) {
    await prepared.discard();
    throw err;
  }
  // Commit: the new file takes the old one's place, with its history entries.
  await commitWithHistory(stores, prepared, document.id, code, entries);
}
