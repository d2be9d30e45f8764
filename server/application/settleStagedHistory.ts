import type { HistoryEntry } from '../domain/historyEntry';
import type { LeftStagedEntry } from '../storage/historyRepository';
import { isWorkbenchError } from '../errors';
import type { WorkbenchStores } from './syncLocale';

/** What settling found: entries whose change is in the file (confirmed), and the others (dropped). */
export interface SettledHistory {
  confirmed: number;
  dropped: number;
}

/** A unit as settling compares it. */
type UnitText = { target?: string; state?: string };

/** True when the locale file shows the change `entry` records. */
function landed(entry: HistoryEntry, units: ReadonlyMap<string, UnitText>): boolean {
  const unit = units.get(entry.segment);
  // A paragraph taken out of the file (to the archive) has no unit left.
  if (entry.action === 'remove') return unit === undefined;
  if (!entry.after) return unit !== undefined;
  return unit !== undefined && (unit.target ?? '') === (entry.after.target ?? '') && unit.state === entry.after.state;
}

/**
 * Settles the history entries left staged by a write that stopped between staging them and
 * confirming them (see commitWithHistory): each joins the history when the locale file shows its
 * change, and is dropped when it does not. Runs under the project's lock, where no write of
 * another process is under way, and leaves alone the batches this process's own writes are still
 * making; at the start of the server and of each CLI command. `only` settles one batch, live or
 * not (a write whose commit failed). A locale file that cannot be read keeps its entries staged
 * for a later start.
 */
export async function settleStagedHistory(stores: WorkbenchStores, only?: string): Promise<SettledHistory> {
  // Another write of this process (holds of one process run side by side) is not settled under it.
  const toSettle = (left: LeftStagedEntry) => (only === undefined ? !left.live : left.batch === only);
  // Nearly always nothing is left: then the lock is not waited for (a CLI `status` beside a busy server).
  if (!(await stores.history.leftStaged()).some(toSettle)) return { confirmed: 0, dropped: 0 };
  return stores.lock.hold(async () => {
    const result: SettledHistory = { confirmed: 0, dropped: 0 };
    const batches = new Map<string, { document: string; lang: string; entries: HistoryEntry[] }>();
    for (const left of await stores.history.leftStaged()) {
      if (!toSettle(left)) continue;
      const batch = batches.get(left.batch) ?? { document: left.document, lang: left.lang, entries: [] };
      batch.entries.push(left.entry);
      batches.set(left.batch, batch);
    }
    for (const [batch, { document, lang, entries }] of batches) {
      let units: ReadonlyMap<string, UnitText>;
      try {
        units = (await stores.locales.peek(document, lang, (file) => new Map(file.units.map((unit) => [unit.id, { target: unit.target, state: unit.state }])))) ?? new Map();
      } catch (err) {
        if (isWorkbenchError(err) && err.status < 500) continue;
        throw err;
      }
      const keep = entries.flatMap((entry, i) => (landed(entry, units) ? [i] : []));
      await stores.history.settle(batch, keep);
      result.confirmed += keep.length;
      result.dropped += entries.length - keep.length;
    }
    return result;
  });
}
