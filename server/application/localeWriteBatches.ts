import { AsyncResource } from 'node:async_hooks';
import type { HistoryEntry } from '../domain/historyEntry';
import type { Unit } from '../domain/types';
import type { ReadonlyLocaleFile, ReadonlyUnit } from '../storage/localeStore';
import { unitIn } from './localeTally';
import { commitJournaled, commitWithHistory } from './commitWithHistory';
import type { WorkbenchStores } from './syncLocale';

/** The units of a locale file as a change of a batch sees them: as the changes before it in the batch left them. */
export interface BatchUnits {
  /** The file as the batch found it (read-only). */
  readonly file: ReadonlyLocaleFile;
  /** The unit with this id (read-only), with the changes of the batch so far. */
  get(id: string): ReadonlyUnit | undefined;
  /** Puts a new version of a unit in its place (a new object, with the id of a unit of the file). */
  set(unit: Unit): void;
}

/** One change of a locale file waiting for its batch. */
export interface BatchedChange<R> {
  /** Applied in its turn: replaces the units it changes and says what to record, or throws to refuse this change alone (nothing it set is kept). */
  apply(units: BatchUnits): HistoryEntry[];
  /**
   * After every change of the batch was applied: what the change answers, from the file as it will
   * be (`file`: `base`, the file as the batch found it, with the units `changed` replaced).
   */
  answer(file: ReadonlyLocaleFile, base: ReadonlyLocaleFile, changed: readonly Unit[]): R;
}

interface Waiting {
  change: BatchedChange<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Runs a function in the submitter's context: its hold of the project's lock lasts while it waits. */
  inContext: <T>(fn: () => T) => T;
}

/** Thrown inside a batch where no change was accepted: nothing to write. */
class NothingAccepted extends Error {}

/**
 * Group commit of the changes to one locale file: the changes that arrive while the file is being
 * written wait, then are applied together to one draft, in the order they came, and made durable
 * with one write of the file and one staging of their history entries (see commitWithHistory).
 * Each is acknowledged only once that write is durable; a change refused (a stale revision) is
 * refused alone, the others of its batch go on. With 20 translators saving at once, a book's file
 * is written once for all of them instead of 20 times in a row.
 *
 * Called under the project's lock: the batch runs in the context of one of its submitters, whose
 * hold lasts until its answer.
 */
export class LocaleWriteBatches {
  private readonly waiting = new Map<string, Waiting[]>();
  private readonly writing = new Set<string>();

  constructor(private readonly stores: WorkbenchStores) {}

  submit<R>(document: string, lang: string, change: BatchedChange<R>): Promise<R> {
    const key = `${document}\u0000${lang}`;
    return new Promise<R>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      // The submitter's context, to run its batch in (an async resource: AsyncLocalStorage.snapshot
      // cost a tenth of a millisecond per save on this Node).
      const context = new AsyncResource('LocaleWriteBatch');
      queue.push({ change, resolve: resolve as (value: unknown) => void, reject, inContext: (fn) => context.runInAsyncScope(fn) });
      this.waiting.set(key, queue);
      if (this.writing.has(key)) return;
      // The first batch after a pause starts at the end of this turn of the event loop, not at
      // once: the saves whose requests were read in the same turn join it, where the first one
      // alone made a batch (a commit and a sync of its own) and the others waited for it.
      this.writing.add(key);
      setImmediate(() => void this.drain(key, document, lang));
    });
  }

  private async drain(key: string, document: string, lang: string): Promise<void> {
    try {
      for (;;) {
        const batch = this.waiting.get(key) ?? [];
        this.waiting.delete(key);
        if (batch.length === 0) return;
        await batch[0].inContext(() => this.write(document, lang, batch));
      }
    } finally {
      this.writing.delete(key);
    }
  }

  private async write(document: string, lang: string, batch: Waiting[]): Promise<void> {
    const outcomes = new Map<Waiting, { entries: HistoryEntry[] } | { error: unknown }>();
    const answers = new Map<Waiting, unknown>();
    let prepared;
    let changed: Unit[] = [];
    try {
      // Only the units the batch changes are copied and written: a book's 16,000 others are left as they are.
      const { locales } = this.stores;
      prepared = await locales.prepareUnitChanges(document, lang, (file) => {
        const accepted = new Map<string, Unit>();
        for (const waiting of batch) {
          const own = new Map<string, Unit>();
          const units: BatchUnits = {
            file,
            get: (id) => own.get(id) ?? accepted.get(id) ?? unitIn(file, id),
            set: (unit) => own.set(unit.id, unit),
          };
          try {
            outcomes.set(waiting, { entries: waiting.change.apply(units) });
            for (const [id, unit] of own) accepted.set(id, unit);
          } catch (error) {
            outcomes.set(waiting, { error });
          }
        }
        if (![...outcomes.values()].some((o) => 'entries' in o)) throw new NothingAccepted();
        changed = [...accepted.values()];
        return { result: undefined, units: changed };
      }, { writeBehind: true });
      try {
        for (const waiting of batch) {
          const outcome = outcomes.get(waiting);
          if (outcome && 'entries' in outcome) answers.set(waiting, waiting.change.answer(prepared.file, prepared.base, changed));
        }
      } catch (err) {
        await prepared.discard();
        throw err;
      }
      const entries = batch.flatMap((waiting) => {
        const outcome = outcomes.get(waiting);
        return outcome && 'entries' in outcome ? outcome.entries : [];
      });
      if (locales.writesBehind) await commitJournaled(this.stores, prepared, document, lang, entries, changed);
      else await commitWithHistory(this.stores, prepared, document, lang, entries);
    } catch (err) {
      // Refused as a whole (no file, a broken file, a full disk): every change that was not refused alone fails with it.
      for (const waiting of batch) {
        const outcome = outcomes.get(waiting);
        waiting.reject(outcome && 'error' in outcome ? outcome.error : err);
      }
      return;
    }
    for (const waiting of batch) {
      const outcome = outcomes.get(waiting);
      if (outcome && 'error' in outcome) waiting.reject(outcome.error);
      else waiting.resolve(answers.get(waiting));
    }
  }
}
