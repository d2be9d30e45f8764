import type { HistoryEntry } from '../domain/historyEntry';
import type { Unit } from '../domain/types';
import type { PreparedLocaleUpdate } from '../storage/localeStore';
import type { StagedHistory } from '../storage/historyRepository';
import { settleStagedHistory } from './settleStagedHistory';
import type { WorkbenchStores } from './syncLocale';

/**
 * The one commit point of a change to a locale file and the history entries that record it: the
 * entries are staged (durable, not yet history), then the file takes its new content, then the
 * entries join the history. Nothing is acknowledged before both are durable: a failure to stage
 * (a full disk) leaves the file as it was, and a stop between the two is settled against the file
 * (see settleStagedHistory), so a translation never lacks its author and no entry tells of a
 * change that did not happen. Called under the project's lock (as prepareUpdate is).
 */
export async function commitWithHistory(stores: WorkbenchStores, prepared: PreparedLocaleUpdate<unknown>, document: string, lang: string, entries: HistoryEntry[]): Promise<void> {
  let staged: StagedHistory;
  try {
    staged = await stores.history.stage(document, lang, entries);
  } catch (err) {
    await prepared.discard();
    throw err;
  }
  try {
    await prepared.commit();
  } catch (err) {
    // The file may or may not have taken its place (a failure after the rename): the file says.
    await settleStagedHistory(stores, staged.batch).catch(() => undefined);
    throw err;
  }
  try {
    await staged.confirm();
  } catch {
    // The change is in the file and its entries are durable: settled against the file, now or at the next start.
    await settleStagedHistory(stores, staged.batch).catch(() => undefined);
  }
}

/**
 * The commit point of a change written behind (see LocaleStore.writesBehind): its history entries
 * and the units it changed are made durable together, in one transaction of the project database
 * (see UnitJournal); then the change is the file this process holds, and the file on disk takes
 * it within a second. A failure to make them durable (a full disk) changes nothing. Whatever
 * stops the process after that, the next one to read the file reads it with the journaled units.
 */
export async function commitJournaled(stores: WorkbenchStores, prepared: PreparedLocaleUpdate<unknown>, document: string, lang: string, entries: HistoryEntry[], units: readonly Unit[]): Promise<void> {
  await prepared.commit(() => stores.history.appendJournaled(document, lang, entries, units));
}
