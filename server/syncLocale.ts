import { completeUnits } from './domain/completeUnits';
import { migrateLocale } from './domain/migrateLocale';
import type { LocaleFile, SourceDocument } from './domain/types';
import type { DiscussionStore } from './storage/discussionStore';
import type { HistoryEntry, HistoryStore } from './storage/historyStore';
import type { LocaleStore } from './storage/localeStore';
import type { SourceRepository } from './storage/sourceRepository';

/** What the workbench's use cases are built on. */
export interface WorkbenchStores {
  sources: SourceRepository;
  locales: LocaleStore;
  history: HistoryStore;
  discussions: DiscussionStore;
}

function copy(file: LocaleFile): LocaleFile {
  return { ...file, units: file.units.map((u) => ({ ...u, notes: [...u.notes], previous: u.previous && { ...u.previous } })) };
}

/**
 * Brings a locale file up to the document's current source version (see migrateLocale): what the
 * versions since removed goes to the archive first, so no translation is ever lost, then the file
 * is rewritten with the drift marked. Does nothing when the file is current (the common case).
 */
export async function syncLocale(stores: WorkbenchStores, document: SourceDocument, code: string): Promise<void> {
  const file = await stores.locales.read(document.id, code);
  if (!file || (file.sourceVersion ?? 1) >= document.version) return;
  const versions = await stores.sources.versions(document.id);
  const removed = migrateLocale(copy(file), versions, document.version);
  for (const batch of removed) await stores.locales.archive(document.id, code, batch.version, batch.units);

  const at = new Date().toISOString();
  const entries: HistoryEntry[] = [];
  await stores.locales.update(document.id, code, (draft) => {
    if ((draft.sourceVersion ?? 1) >= document.version) return;
    const before = new Map(draft.units.map((u) => [u.id, { target: u.target, state: u.state }]));
    migrateLocale(draft, versions, document.version);
    completeUnits(document, draft);
    const kept = new Set(draft.units.map((u) => u.id));
    // Their translations are in the archive now: out of the file, so no tool sees them as live units.
    draft.removeUnits = [...before.keys()].filter((id) => !kept.has(id));
    for (const unit of draft.units) {
      const old = before.get(unit.id);
      if (unit.state === 'needs-review-translation' && old?.state !== 'needs-review-translation' && unit.target !== undefined) {
        entries.push({ at, who: 'workbench', segment: unit.id, action: old ? 'drift' : 'split', before: old, after: { target: unit.target, state: unit.state }, version: document.version });
      }
    }
    for (const [id, old] of before) {
      if (!kept.has(id) && old.target !== undefined) entries.push({ at, who: 'workbench', segment: id, action: 'remove', before: old, version: document.version });
    }
  });
  await stores.history.append(document.id, code, entries);
}
