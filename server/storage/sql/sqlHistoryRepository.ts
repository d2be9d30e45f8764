import { randomUUID } from 'node:crypto';
import fsp, { type FileHandle } from 'node:fs/promises';
import type { Statement } from 'better-sqlite3';
import type { Unit } from '../../domain/types';
import type { Contribution, HistoryEntry, HistoryRepository } from '../historyRepository';
import { type SqlDatabase, whenClosed } from './openDatabase';
import { readOffThread } from './readOffThread';
import { journalInserter } from './sqlUnitJournal';

interface HistoryRow {
  at: string;
  who: string;
  segment: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
  version: number | null;
  suggested_by: string | null;
}

const COLUMNS = 'at, who, segment, action, before_json, after_json, version, suggested_by';

function entryOf(row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = { at: row.at, who: row.who, segment: row.segment, action: row.action };
  if (row.before_json !== null) entry.before = JSON.parse(row.before_json) as HistoryEntry['before'];
  if (row.after_json !== null) entry.after = JSON.parse(row.after_json) as HistoryEntry['after'];
  if (row.version !== null) entry.version = row.version;
  if (row.suggested_by !== null) entry.suggestedBy = row.suggested_by;
  return entry;
}

/**
 * Writes history entries as rows, in order, in whatever transaction is open: the repository's
 * appends and the move of the previous version's files alike.
 */
export function historyInserter(db: SqlDatabase): (document: string, lang: string, entries: readonly HistoryEntry[]) => void {
  const insert = db.prepare(
    'INSERT INTO history (document, locale, segment, at, who, action, before_json, after_json, version, suggested_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return (document, lang, entries) => {
    for (const e of entries) {
      insert.run(
        document,
        lang,
        e.segment,
        e.at,
        e.who,
        e.action,
        e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after),
        e.version ?? null,
        e.suggestedBy ?? null,
      );
    }
  };
}

/**
 * Who did what in a locale: for an edition's credits and the people's counts. Each is read from the
 * index by person alone (see migration 9), never from every entry of the locale.
 */
export const WHO_DID_WHAT = {
  byAction: 'SELECT who, action, COUNT(*) AS n FROM history WHERE document = ? AND locale = ? GROUP BY who, action',
  credits: 'SELECT who, action, suggested_by, MIN(id) AS first FROM history WHERE document = ? AND locale = ? GROUP BY who, action, suggested_by ORDER BY first',
  suggested: 'SELECT suggested_by AS who, COUNT(*) AS n FROM history WHERE document = ? AND locale = ? AND suggested_by IS NOT NULL GROUP BY suggested_by',
} as const;

/** Per person, the saves of machine suggestions and how much they were edited (from the entries themselves: rare, and read only by the people's page). */
const MACHINE_USE =
  "SELECT who, COUNT(*) AS n, SUM(json_extract(after_json, '$.machine.edits')) AS edits, SUM(json_extract(after_json, '$.machine.length')) AS length FROM history WHERE document = ? AND locale = ? AND after_json LIKE '%\"machine\":%' AND json_extract(after_json, '$.machine') IS NOT NULL GROUP BY who";

/**
 * History in the project database, one row per entry, indexed by paragraph, locale and person:
 * a save reads one paragraph's last entry, not the locale's whole history.
 */
export function createSqlHistoryRepository(db: SqlDatabase): HistoryRepository {
  const insert = historyInserter(db);
  const q = {
    locale: db.prepare<[string, string], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? ORDER BY id`),
    segment: db.prepare<[string, string, string], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? AND segment = ? ORDER BY id`),
    last: db.prepare<[string, string, string], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? AND segment = ? ORDER BY id DESC LIMIT 1`),
    tally: db.prepare<[string, string, string, string], { n: number; last_at: string | null }>(
      'SELECT COUNT(*) AS n, (SELECT at FROM history WHERE document = ? AND locale = ? ORDER BY id DESC LIMIT 1) AS last_at FROM history WHERE document = ? AND locale = ?',
    ),
    since: db.prepare<[number, number], HistoryRow & { id: number; document: string; locale: string }>(`SELECT id, document, locale, ${COLUMNS} FROM history WHERE id > ? ORDER BY id LIMIT ?`),
    newest: db.prepare<[], { id: number | null }>('SELECT MAX(id) AS id FROM history'),
    recent: db.prepare<[string, string, number], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? ORDER BY id DESC LIMIT ?`),
    recentBy: db.prepare<[string, string, string, number], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? AND who = ? ORDER BY id DESC LIMIT ?`),
  };
  // One statement per number of actions asked for (the callers ask for a short, fixed list).
  const lastOfCount = new Map<number, Statement<unknown[], HistoryRow>>();
  const lastOf = (count: number): Statement<unknown[], HistoryRow> => {
    let statement = lastOfCount.get(count);
    if (!statement) {
      const marks = Array.from({ length: count }, () => '?').join(', ');
      statement = db.prepare<unknown[], HistoryRow>(`SELECT ${COLUMNS} FROM history WHERE document = ? AND locale = ? AND segment = ? AND action IN (${marks}) ORDER BY id DESC LIMIT 1`);
      lastOfCount.set(count, statement);
    }
    return statement;
  };
  const appendAll = db.transaction(insert);
  const journal = journalInserter(db);
  const appendJournaled = db.transaction((document: string, lang: string, entries: readonly HistoryEntry[], units: readonly Unit[]) => {
    insert(document, lang, entries);
    return { upTo: journal(document, lang, units), rows: units.length };
  });
  /** The database's write-ahead log, open for syncing (see appendJournaled); undefined when it has none. */
  let wal: Promise<FileHandle | undefined> | undefined;
  const walFile = (): Promise<FileHandle | undefined> =>
    (wal ??= (async () => {
      if (db.memory || String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') return undefined;
      const handle = await fsp.open(`${db.name}-wal`, 'r').catch(() => undefined);
      if (handle) whenClosed(db, () => void handle.close().catch(() => undefined));
      return handle;
    })());
  /** A commit that does not wait for the disk (see appendJournaled), the statements made once: db.pragma prepares its statement at each call. */
  const synchronous = { normal: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
  const withoutWaitingForTheDisk = <T>(commit: () => T): T => {
    synchronous.normal.run();
    try {
      return commit();
    } finally {
      synchronous.full.run();
    }
  };
  /** Batches this process staged and has not yet confirmed or cancelled. */
  const live = new Set<string>();
  const staging = {
    insert: db.prepare(
      'INSERT INTO history_staged (document, locale, segment, at, who, action, before_json, after_json, version, suggested_by, batch) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    batch: db.prepare<[string], HistoryRow & { id: number; document: string; locale: string }>(`SELECT id, document, locale, ${COLUMNS} FROM history_staged WHERE batch = ? ORDER BY id`),
    all: db.prepare<[], HistoryRow & { batch: string; document: string; locale: string }>(`SELECT batch, document, locale, ${COLUMNS} FROM history_staged ORDER BY id`),
    drop: db.prepare<[string]>('DELETE FROM history_staged WHERE batch = ?'),
  };
  const stageAll = db.transaction((document: string, lang: string, entries: readonly HistoryEntry[], batch: string) => {
    for (const e of entries) {
      staging.insert.run(document, lang, e.segment, e.at, e.who, e.action, e.before === undefined ? null : JSON.stringify(e.before), e.after === undefined ? null : JSON.stringify(e.after), e.version ?? null, e.suggestedBy ?? null, batch);
    }
  });
  // Moved into the history in their order, in one transaction with their removal from the stage.
  const settleBatch = db.transaction((batch: string, keep: ReadonlySet<number> | undefined) => {
    const rows = staging.batch.all(batch);
    rows.forEach((row, i) => {
      if (keep && !keep.has(i)) return;
      insert(row.document, row.locale, [entryOf(row)]);
    });
    staging.drop.run(batch);
  });
  return {
    async append(document, lang, entries) {
      if (entries.length > 0) appendAll.immediate(document, lang, entries);
    },
    async appendJournaled(document, lang, entries, units) {
      // Committed without waiting for the disk, then made durable by syncing the write-ahead log
      // through the thread pool (what synchronous = FULL would do on this thread): the server
      // goes on with the next requests meanwhile, and the saves that arrive join the next commit.
      const wal = await walFile();
      if (!wal) return appendJournaled.immediate(document, lang, entries, units);
      const last = withoutWaitingForTheDisk(() => appendJournaled.immediate(document, lang, entries, units));
      await wal.datasync();
      return last;
    },
    async stage(document, lang, entries) {
      const batch = randomUUID();
      if (entries.length > 0) {
        stageAll.immediate(document, lang, entries, batch);
        live.add(batch);
      }
      const once = (what: () => void) => async () => {
        if (!live.has(batch)) return;
        what();
        live.delete(batch);
      };
      return {
        batch,
        // Not made durable on its own: a confirmation lost to a crash leaves the entries staged,
        // and settling finds their change in the file. The next durable commit carries it anyway.
        confirm: once(() => withoutWaitingForTheDisk(() => settleBatch.immediate(batch, undefined))),
        cancel: once(() => settleBatch.immediate(batch, new Set())),
      };
    },
    async leftStaged() {
      return staging.all.all().map((row) => ({ batch: row.batch, document: row.document, lang: row.locale, entry: entryOf(row), live: live.has(row.batch) }));
    },
    async settle(batch, keep) {
      settleBatch.immediate(batch, new Set(keep));
      live.delete(batch);
    },
    async list(document, lang, segment) {
      const rows = segment === undefined ? q.locale.all(document, lang) : q.segment.all(document, lang, segment);
      return rows.map(entryOf);
    },
    async tally(document, lang) {
      const row = q.tally.get(document, lang, document, lang);
      return { count: row?.n ?? 0, lastAt: row?.last_at ?? undefined };
    },
    async last(document, lang, segment, actions) {
      if (actions === undefined) {
        const row = q.last.get(document, lang, segment);
        return row && entryOf(row);
      }
      const row = lastOf(actions.length).get(document, lang, segment, ...actions);
      return row && entryOf(row);
    },
    async recent(document, lang, options) {
      const rows = options.who === undefined ? q.recent.all(document, lang, options.limit) : q.recentBy.all(document, lang, options.who, options.limit);
      return rows.map(entryOf);
    },
    async since(after, limit) {
      const entries = q.since.all(after, limit).map((row) => ({ id: row.id, document: row.document, lang: row.locale, entry: entryOf(row) }));
      return { entries, newest: q.newest.get()?.id ?? 0 };
    },
    // Reads of the locale's whole history (a fifth of a second for a book's): off the server's thread.
    async creditEntries(document, lang) {
      const [rows] = (await readOffThread(db, [{ sql: WHO_DID_WHAT.credits, params: [document, lang] }])) as [{ who: string; action: string; suggested_by: string | null }[]];
      return rows.map((row) => (row.suggested_by === null ? { who: row.who, action: row.action } : { who: row.who, action: row.action, suggestedBy: row.suggested_by }));
    },
    async contributions(document, lang) {
      const [byAction, suggested, machineRows] = (await readOffThread(
        db,
        [WHO_DID_WHAT.byAction, WHO_DID_WHAT.suggested, MACHINE_USE].map((sql) => ({ sql, params: [document, lang] })),
      )) as [{ who: string; action: string; n: number }[], { who: string; n: number }[], { who: string; n: number; edits: number; length: number }[]];
      const byPerson = new Map<string, Record<string, number>>();
      const add = (who: string, action: string, n: number) => {
        const counts = byPerson.get(who) ?? {};
        counts[action] = (counts[action] ?? 0) + n;
        byPerson.set(who, counts);
      };
      for (const row of byAction) add(row.who, row.action, row.n);
      for (const row of suggested) add(row.who, 'suggested', row.n);
      const machine = new Map(machineRows.map((row) => [row.who, { saves: row.n, edits: row.edits, length: row.length }]));
      return [...byPerson]
        .map(([who, actions]): Contribution => ({ who, actions, ...(machine.has(who) ? { machine: machine.get(who) } : {}) }))
        .sort((a, b) => a.who.localeCompare(b.who));
    },
  };
}
