import { createHash } from 'node:crypto';
import { statSync, type Dirent, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { copyUnit } from '../domain/copyUnit';
import type { LocaleFile, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { buildXliff12 } from '../formats/buildXliff12';
import { parseXliff12 } from '../formats/parseXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../formats/updateXliff12';
import { streamModel, streamXliff12 } from '../formats/streamXliff12';
import { fileFields, type ParsedXliff12, type Xliff12Output } from '../formats/xliff12Model';
import { assertWritableModel } from '../formats/xliff12ModelCheck';
import type { UnitWrites } from '../formats/unitWrites';
import { rereadSpansXliff12 } from '../formats/rereadSpansXliff12';
import { type HeldXliff12, isSpanHeld, joinChunks, readHeldXliff12 } from '../formats/xliff12Spans';
import { decodeXmlBytes } from '../formats/xmlSafety';
import { fileIdentity, fileStamp, sameFile, type FileIdentity } from './fileIdentity';
import { keyedLock } from './keyedLock';
import { localLock, type ProjectLock } from './projectLock';
import { statsThisTurn } from './statsThisTurn';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { prepareFileAtomic } from './writeFileAtomic';
import { readWholeFile, readWholeHandle } from './readWholeFile';
import { type ModelReadAhead, readLocaleModelOffThread } from './readLocaleModelOffThread';
import type { SourceTextsOf } from './sourceTexts';
import type { StampedSnapshots } from './stampedSnapshots';
import type { JournalMark, UnitJournal } from './unitJournal';
import { archivedUnit, checkArchiveVersion } from './archivedUnit';
import { createLocaleSnapshots } from './localeSnapshots';
import { localePaths } from './localePaths';
import { scanParts, scanWhole } from './scanWritten';

/** How long writes to a file pause before this process keeps a snapshot of it (see StampedSnapshots). */
const SNAPSHOT_DELAY_MS = 2000;
/** How long after a server parses a file it makes its snapshot (the page that read it is sent first). */
const SNAPSHOT_AFTER_READ_MS = 1000;
/** How long after a file is read from its snapshot a server parses it (once the page that read it is sent). */
const PARSE_AHEAD_DELAY_MS = 50;
/** How often a write behind waiting for its delay looks whether another process waits for the project's lock. */
const LOCK_LOOK_MS = 50;
/**
 * How long a write behind told that another process waits (see ProjectLock.onOthersWaiting) lets
 * the saves already let in end before it writes: told at once, it wrote before some of them had
 * journaled, and the other process found them in the journal and wrote the book's file itself.
 */
const TOLD_GRACE_MS = 10;
/** How long a write behind that failed (a full disk, a busy project) waits before it is tried again. */
const WRITE_BEHIND_RETRY_MS = 2000;
/** How many pending units a write behind puts into a file's text at a time (see foldInSlices): a few milliseconds' work. */
const FOLD_SLICE = 32;
/**
 * How long a unit waits, unsaved, before a write behind waiting for its delay puts it into the
 * file's text (see foldInSlices): the work is spread over the delay, not all at its end, and a
 * paragraph saved again and again is put in once.
 */
const FOLD_AFTER_MS = 250;
/** Files from this size up are read ahead on a thread (see LocaleStore.readAhead); below it, a thread's start costs more than the read. */
const READ_AHEAD_MIN_BYTES = 1024 * 1024;
/** The bytes of a file read at a time for its digest (see LocaleStore.digest). */
const DIGEST_CHUNK = 1024 * 1024;

/** Told of a locale file put in place (see LocaleStore.onPlaced). */
export type PlacedListener = (placed: { document: string; lang: string; stamp: string; file: ReadonlyLocaleFile }) => Promise<void> | void;

export interface LocaleStore {
  /** Locale codes that have a file for this document. */
  listLocales(document: string): Promise<string[]>;
  /** The parsed file, or undefined when the locale has no file. Throws WorkbenchError (422 xliff-malformed / xliff-invalid) for a broken file. */
  read(document: string, lang: string): Promise<LocaleFile | undefined>;
  /**
   * The file's identity as it is now (see fileStamp), or undefined when the locale has no file: a
   * value worked out from the file and kept with its stamp holds while the stamp is the same.
   */
  stamp(document: string, lang: string): Promise<string | undefined>;
  /** stamp for the locale's archive (see archive); undefined when it has none. */
  archiveStamp(document: string, lang: string): Promise<string | undefined>;
  /** The size of the locale's file in bytes, or undefined when it has none. */
  byteSize(document: string, lang: string): Promise<number | undefined>;
  /**
   * Writes now the snapshots this store would keep a little later of the files it wrote (see
   * StampedSnapshots), and resolves once they are written: before a process exits, so that the
   * next one reads them instead of parsing the files.
   */
  keepSnapshots(): Promise<void>;
  /**
   * Has `listener` told of each new version of a locale file this process puts in place: its
   * document, language, stamp (see stamp) and model (read-only). The write that placed it waits for
   * the listener (inside the project's lock), so what the listener keeps under that stamp is there
   * before another process reads the file. The write behind of a busy locale tells it only of its
   * last write before it lets go of the lock, or when another process waits for the lock. A
   * listener's failure is ignored: what it keeps is a cache.
   */
  onPlaced(listener: PlacedListener): void;
  /**
   * Writes now the journaled changes this process holds and has not yet written into their files
   * (see prepareUnitChanges' writeBehind), and those a stopped process left in the journal: every
   * locale file on disk is then current. At the start of each process, and before a server stops.
   */
  writeJournaled(): Promise<void>;
  /**
   * Reads the file ahead of changes to it (parsed in full, as a change needs it, not taken from its
   * snapshot): for a caller that reads it first and changes it after (a source update). Nothing
   * when the locale has no file; a broken file throws as in `read`.
   */
  readForChange(document: string, lang: string): Promise<void>;
  /**
   * The file's bytes as stored (for a download of the file itself, a commit of it), or undefined
   * when the locale has no file: the bytes this process holds when they are the file's (see
   * heldChunks), to be read and never changed.
   */
  readBytes(document: string, lang: string): Promise<Uint8Array | undefined>;
  /**
   * readBytes, in the pieces the process holds the file's bytes in (a file changed by saves is
   * held in many), not joined: for a caller that joins them later, out of a moment that keeps
   * others waiting (a book's 17 MB joined is a twentieth of a second). The pieces are the file's
   * as it is now, and are never changed (a change makes new pieces); a file read from the disk is
   * one piece.
   */
  readParts(document: string, lang: string): Promise<readonly Uint8Array[] | undefined>;
  /**
   * The SHA-256 (hex) of the file's bytes as readBytes would give them, or undefined when the locale
   * has no file: read a megabyte at a time into one buffer, not into one of the file's size (a
   * book's file is 17 MB, and memory touched for the first time is what such a read costs).
   */
  digest(document: string, lang: string): Promise<string | undefined>;
  /**
   * What `look` finds in the parsed file, without the copy `read` makes (undefined when the locale
   * has no file; a broken file throws as in `read`): for questions about a large file. `look` gets
   * the store's own model, read-only: it may keep it (a version of a file is never changed; a
   * change makes a new one), and must never change it.
   */
  peek<T>(document: string, lang: string, look: (file: ReadonlyLocaleFile) => T): Promise<T | undefined>;
  /**
   * Starts reading the file's model on a thread of its own, for the next read of it (a server's
   * start: its own thread segments the documents meanwhile), when nothing quicker holds it: it is
   * not loaded yet, has no snapshot (a fresh clone, a file another tool or a pull rewrote), no
   * saves journaled for it, and is large enough for a thread to be worth its start. Resolves
   * undefined when it does not start one, else once it is started, with `read`: whether a model
   * was read (false: the file is left to the usual read). The load that takes the model checks that
   * the file is still the one read (see fileStamp).
   */
  readAhead(document: string, lang: string): Promise<{ read: Promise<boolean> } | undefined>;
  /** Creates the file; 409 'locale-exists' when it already exists. */
  create(file: LocaleFile): Promise<void>;
  /**
   * Serialized read-modify-write of one file: `change` gets the current model (a copy it may mutate, never with `removeUnits`) and returns a result; the file is rewritten atomically after. If change throws, nothing is written. 404 'locale-not-found' when there is no file. A broken file is never overwritten.
   * Units the change drops from the draft stay in the file, unless it also lists them in `draft.removeUnits`: those are taken out of the file (see updateXliff12).
   */
  update<T>(document: string, lang: string, change: (file: LocaleFile) => T | Promise<T>): Promise<T>;
  /**
   * The first half of update, for a change that must wait for something else before the file is
   * replaced: `change` is applied (as in update) and the new file written durably beside the old one,
   * where nobody reads it; the file stays locked (reads through the store see the old one, other
   * updates wait) until the caller, having done what it must, calls `commit` (the new file takes
   * its place) or `discard` (nothing changes). One of the two must follow. If `change` throws,
   * nothing is written and the file is released. `options.writes`, shared by the files of one
   * change of several (a source update of every locale), lets a unit written the same way in each
   * be written once (see UnitWrites). With `options.sharedUnits`, the draft's list of units is a
   * copy but its units are the store's own: the change must not change one, but put a changed copy
   * in its place (a change of a few units of a book then copies, and compares, only those).
   */
  prepareUpdate<T>(document: string, lang: string, change: (file: LocaleFile) => T | Promise<T>, options?: { writes?: UnitWrites; sharedUnits?: boolean }): Promise<PreparedLocaleUpdate<T>>;
  /**
   * prepareUpdate for a change of a few units of a large file (a batch of saves): `change` gets the
   * file as it is, read-only (the store's own model: no copy is made), and gives back what it
   * answers and the units it changes, each a new object with the id of a unit of the file (a
   * unit given back unchanged, or an id the file lacks, is refused with an Error). Only those
   * units are checked and written again: the work does not grow with the file. The file's other
   * units, and their order, are as they were.
   */
  prepareUnitChanges<T>(
    document: string,
    lang: string,
    change: (file: ReadonlyLocaleFile) => { result: T; units: readonly Unit[] } | Promise<{ result: T; units: readonly Unit[] }>,
    options?: { writeBehind?: boolean },
  ): Promise<PreparedLocaleUpdate<T>>;
  /**
   * True when this store writes journaled changes behind them (a server with a unit journal): a
   * prepareUnitChanges with `writeBehind` then writes nothing, and its commit takes the number of
   * the journal row that holds its units (see UnitJournal). Without, writeBehind is ignored.
   */
  readonly writesBehind: boolean;
  /**
   * Appends units to the locale's archive `<dir>/<lang>/<document>.removed.xlf` (created on first use,
   * same XLIFF 1.2 form, schema-valid; its languages are the locale file's: 404 'locale-not-found'
   * without one). Each archived unit gets the id `<unit id>@<version>` and a `<note from="workbench">`
   * saying "Removed from the source in version <version> on <ISO date>"; a unit already archived under
   * the same id is not added twice (idempotent, so a retried migration does not duplicate), and nothing
   * is written when nothing is new. Serialized through the same per-path queue (the archive's path, so
   * it may be called from inside an `update` of the same locale); atomic write.
   */
  archive(document: string, lang: string, version: number, units: Unit[]): Promise<void>;
  /** The archived units (undefined-safe: [] when there is no archive). */
  readArchive(document: string, lang: string): Promise<Unit[]>;
}

/** A locale file's update written aside, waiting for the caller: see LocaleStore.prepareUpdate. */
export interface PreparedLocaleUpdate<T> {
  /** What `change` returned. */
  result: T;
  /** The file as it was read for the change (read-only, not to be kept). */
  base: ReadonlyLocaleFile;
  /** The file as it will be once committed (read-only, not to be kept). */
  file: ReadonlyLocaleFile;
  /**
   * The new file takes its place. For a change prepared with `writeBehind` (see writesBehind):
   * `journal` makes the change durable (it journals its units, see UnitJournal: the commit
   * point), and says where it left the journal; then the change is this process's file at once,
   * and the file on disk takes it within a moment (writeBehindMs), with the changes that come
   * meanwhile. If `journal` fails, nothing changes (as with discard).
   */
  commit(journal?: () => Promise<JournalMark>): Promise<void>;
  discard(): Promise<void>;
}

/** A locale file as `peek` shows it: not to be changed. */
export type ReadonlyLocaleFile = Readonly<Omit<LocaleFile, 'units'>> & { readonly units: readonly ReadonlyUnit[] };
export type ReadonlyUnit = Readonly<Omit<Unit, 'notes' | 'previous'>> & {
  readonly notes: readonly Readonly<Unit['notes'][number]>[];
  readonly previous?: Readonly<NonNullable<Unit['previous']>>;
};

interface CacheEntry extends FileIdentity {
  /** The file's model (never handed out: callers get copies; never changed in place). */
  model: LocaleFile;
  /**
   * The file as parsed: the same model, its DOM (kept so a save preserves what the model does not
   * hold) and the index of its units by id. A save mutates the DOM in place: the entry is replaced
   * when the write succeeds and dropped when anything fails. Undefined when the model came from a
   * snapshot (see StampedSnapshots) or a streaming read (see streamModel): the file is held for a
   * change when it is first changed (see readSkeletonXliff12).
   */
  parsed?: HeldXliff12;
  /**
   * Without `parsed`, when the model was read by the streaming reader: which units are written as
   * read (see writesAsRead), by position, for the skeleton made when the file changes.
   */
  written?: readonly boolean[];
  /** The file's change time, when known (see snapshotNow). */
  ctimeMs?: number;
  /**
   * Journaled changes the model holds and the file on disk does not yet (see UnitJournal): the
   * file to write (whose identity is still the entry's) and the newest journal row it holds.
   */
  unwritten?: Unwritten;
}

/**
 * A change to write: the new model (or what writes it into the held file) and what the change
 * answers; for a change of a few units (see prepareUnitChanges), those units, which a write
 * behind puts into the file's text when it writes it (see Unwritten).
 */
interface Draft<T> {
  draft: LocaleFile | ((parsed: HeldXliff12) => Xliff12Output);
  result: T;
  units?: readonly Unit[];
  /** Unit writes shared with the other files of the change (see UnitWrites). */
  writes?: UnitWrites;
}

/**
 * What a cache entry holds ahead of its file: see CacheEntry.unwritten. The units of a server's
 * saves are put into the file's text when it is written (see writable), not at each save: a unit
 * saved twenty times in a second is written once, where each save's writing of its unit (parsing,
 * writing and serializing its element, checking the text) was a sixteenth of a busy server's time.
 */
interface Unwritten {
  /** The file to write, once its units are put in (see writable): what the entry's `parsed` was made from. */
  output?: Xliff12Output;
  /** Units the entry's model holds and its `parsed` does not yet (the newest of each), by id, with when each was saved, the oldest first. */
  pending: Map<string, { unit: Unit; at: number }>;
  /** The newest journal row it holds. */
  upTo: number;
  /** How many journal rows it holds: all the journal has for the file, or another process journaled saves since. */
  rows: number;
}

/**
 * A deep copy of a model, for callers to read or mutate: the cached one is never handed out. Models
 * are plain data (strings, numbers, booleans, arrays of units and notes), so spreading each level is
 * enough, and much faster than structuredClone on large files.
 */
function copyLocaleFile(file: LocaleFile): LocaleFile {
  return { ...file, units: file.units.map(copyUnit) };
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException)?.code === 'ENOENT';
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/**
 * The store of a project's `locales/` folder. `lock` is the project's write lock (see ProjectLock):
 * every write holds it, and a read-modify-write reads under it, so a file another process wrote is
 * read again (the cache is keyed by the file's identity) before it is changed. Without one, the
 * store is alone with its files (tests, benchmarks).
 */
export function createFileLocaleStore(options: {
  dir: string;
  lock?: ProjectLock;
  snapshots?: StampedSnapshots;
  /**
   * The texts of the current version of a document (see SourceTexts): a snapshot leaves out the
   * units' source texts that are the paragraphs' own in the version this process holds (`held`,
   * which never waits), and is read back only with the same texts (`kept`: the version held, or
   * read from its own snapshot, never behind a lock).
   */
  sourceTexts?: SourceTextsOf;
  /**
   * The units saved and not yet written into their files (see UnitJournal): a file is read with
   * them, whoever left them, so an acknowledged save is never lost to a stopped process. A server
   * with one writes saves behind them (see prepareUnitChanges); other processes write at once.
   */
  journal?: UnitJournal;
  /**
   * A server's saves are written behind them (see prepareUnitChanges), the file written this many
   * milliseconds after the first save it does not have yet (with a journal only); without, every
   * save writes the file before it is acknowledged, as a CLI command does.
   */
  writeBehindMs?: number;
  /**
   * A server: a file read from its snapshot is parsed soon after, ahead of its first change, and
   * the snapshot of a file just parsed is made a little later, once the page that read it is sent
   * (a CLI command that reads and exits makes it at once, before it exits).
   */
  serving?: boolean;
}): LocaleStore {
  const { dir } = options;
  /** Models kept between processes (see StampedSnapshots), by the file's path under `dir`. */
  const kept = options.snapshots;
  const { fileNameOf, pathOf, archivePathOf, localeOf, shown } = localePaths(dir);
  const snapshots = kept && createLocaleSnapshots(kept, { dir, paths: { localeOf }, sourceTexts: options.sourceTexts });
  /** Which units of an entry are written as read, by position, when known (see CacheEntry.written and UnitSlot.written). */
  const writtenOf = (entry: { model: LocaleFile; parsed?: HeldXliff12; written?: readonly boolean[] }): readonly boolean[] | undefined => {
    const index = entry.parsed?.unitIndex;
    return index ? entry.model.units.map((unit) => index.get(unit.id)?.written === true) : entry.written;
  };
  const lock = options.lock ?? localLock();
  /**
   * Every save looks at its file: the saves read in one turn (a batch, see LocaleWriteBatches)
   * share one stat of it (see statsThisTurn), forgotten whenever this process sets or drops the
   * file's entry (its own writes).
   */
  const turnStats = statsThisTurn();
  /** Parsed files by path, valid while the file's mtime, size and inode are unchanged. */
  const cache = new (class extends Map<string, CacheEntry> {
    override set(path: string, entry: CacheEntry): this {
      turnStats.forget(path);
      return super.set(path, entry);
    }
    override delete(path: string): boolean {
      turnStats.forget(path);
      return super.delete(path);
    }
  })();
  /** DOM parses under way, by the entry they complete (see withDom). */
  const domLoads = new WeakMap<CacheEntry, Promise<CacheEntry & { parsed: HeldXliff12 }>>();
  /** Files whose new version is being renamed into place, until their cache entry is set. */
  const committing = new Map<string, Promise<unknown>>();
  /** One operation at a time per file, in call order (the project's lock first, then the file's). */
  const perFile = keyedLock();
  const exclusive = <T>(path: string, task: () => Promise<T>): Promise<T> => lock.hold(() => perFile(path, task));
  /**
   * Writes of a whole file, one at a time per file, and never beside the write behind of the same
   * file (whose older content would otherwise be renamed over theirs): taken after the file's own
   * lock, and, by a write behind, alone (it does not keep saves waiting).
   */
  const fileWrites = keyedLock();
  const journal = options.journal;
  /** A server with a journal writes saves behind them (see prepareUnitChanges). */
  const writesBehind = journal !== undefined && options.writeBehindMs !== undefined;
  const writeBehindMs = options.writeBehindMs ?? 0;
  /** Running writes behind, by file: each is a hold of the project's lock of its own, until its file is written. */
  const writeLoops = new Map<string, object>();
  /** Files whose saves are being journaled by this process (see prepareBehind). */
  const journaling = new Map<string, number>();
  /** The newest journal row written into each file by this process. */
  const writtenUpTo = new Map<string, number>();

  /** Reads of files under way, by path (see load): a load of a file being read waits for that read. */
  const reading = new Map<string, Promise<CacheEntry | undefined>>();
  /** Models being read on another thread, by path (see readAhead), until a load takes them. */
  const readingAhead = new Map<string, Promise<ModelReadAhead | undefined>>();

  /** The cached entry of `path` when it still stands for the file `stats` describes, with what the journal holds for it (see journalHolds). */
  function currentEntry(path: string, stats: Stats): CacheEntry | undefined {
    const entry = cache.get(path);
    return entry && sameFile(entry, stats) && journalHolds(path, entry) ? entry : undefined;
  }

  /** The parsed file (from the cache when unchanged on disk), or undefined when there is none. */
  async function load(path: string, forChange = false): Promise<CacheEntry | undefined> {
    // A file being put in place by this process: its entry is known once the rename is done (read
    // meanwhile, the new file would not match the cache and be parsed again, for nothing).
    const placing = committing.get(path);
    if (placing) await placing.catch(() => undefined);
    // The cached file, when the path still names it: one stat, made synchronously. It costs
    // microseconds, where a stat through libuv's thread pool waits behind whatever the pool is
    // doing (the fsyncs of a source update's large files took its threads for tens of milliseconds).
    // Looked at again after another load reading this very file: its entry is taken when it still
    // stands for the file (twenty saves that come at once after the file changed outside read it
    // once, not twenty times: a book's file is half a second of this thread each time); its error
    // is this one's.
    for (;;) {
      const known = cache.get(path);
      if (known) {
        const stats = turnStats.stat(path);
        if (!stats) {
          cache.delete(path);
          return undefined;
        }
        const current = currentEntry(path, stats);
        if (current) return current;
      }
      const before = reading.get(path);
      if (!before) break;
      await before;
    }
    const read = readEntry(path, forChange);
    reading.set(path, read);
    try {
      return await read;
    } finally {
      if (reading.get(path) === read) reading.delete(path);
    }
  }

  /** load, reading the file (its entry is not current). */
  async function readEntry(path: string, forChange: boolean): Promise<CacheEntry | undefined> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (err) {
      if (!isNotFound(err)) throw err;
      cache.delete(path);
      return undefined;
    }
    try {
      // Stat and read through the same handle: the bytes belong to the stat even if the file is replaced meanwhile.
      const stats = await handle.stat();
      const cached = currentEntry(path, stats);
      if (cached) return cached;
      // The file as this process last held it (written, or read), for reading it again (below): its
      // text, with the saves journaled and not yet written when it holds any (a server's write
      // behind; a command that read the file while a server was saving). Either way its model is
      // that text's, and only units whose bytes are the very ones of the file now are taken from it.
      const before = cache.get(path);
      const previous = before?.parsed && isSpanHeld(before.parsed) ? before.parsed : undefined;
      cache.delete(path);
      // Saves journaled and not yet in the file (a write behind, or a process stopped before it): read with the file.
      const locale = journal && localeOf(path);
      const held = locale ? journal?.pending(locale.document, locale.lang) : undefined;
      // A model read ahead of this very file (every load meanwhile waits for the same), else its
      // snapshot. With saves held for the file, neither: it is read with them, and a model read
      // ahead is let go (not kept until a load that would never take it).
      const ahead = readingAhead.get(path);
      const readBefore = ahead && !held ? await ahead : undefined;
      if (ahead && readingAhead.get(path) === ahead) readingAhead.delete(path);
      const meanwhile = ahead && !held ? currentEntry(path, stats) : undefined;
      if (meanwhile) return meanwhile;
      const readOffThread = readBefore?.stamp === fileStamp(stats) ? readBefore : undefined;
      const kept = held ? undefined : (readOffThread ?? (await snapshots?.read(path, stats)));
      if (kept && forChange) {
        // A file about to change: held with its units unparsed, from its bytes and its snapshot's model.
        const parsed = await parseFrom(handle, path, kept.model, kept.written);
        const entry: CacheEntry = { ...fileIdentity(stats), model: parsed.model, parsed, ctimeMs: stats.ctimeMs };
        cache.set(path, entry);
        return entry;
      }
      if (kept) {
        const entry: CacheEntry = { ...fileIdentity(stats), model: kept.model, written: kept.written, ctimeMs: stats.ctimeMs };
        cache.set(path, entry);
        // A server parses the file soon after, while the translator reads: the first save does not wait for it.
        if (options.serving) setTimeout(() => void withDom(path, entry).catch(() => undefined), PARSE_AHEAD_DELAY_MS).unref();
        // A model read ahead has no snapshot yet: kept as one the streaming reader read (below).
        if (readOffThread) {
          if (options.serving) snapshotLater(path, SNAPSHOT_AFTER_READ_MS);
          else snapshots?.write(path, stats, readOffThread.model, readOffThread.written);
        }
        return entry;
      }
      const bytes = await readWholeHandle(handle, stats.size);
      // A file this process held, written by another since (a command beside a server, git's
      // merge, a hand edit): only the units whose bytes changed are read (see rereadSpansXliff12).
      const again = previous && rereadSpansXliff12(previous, bytes, { file: shown(path) });
      // A file read, not changed: its model alone, from a streaming read (its units are parsed into
      // elements when, and if, it changes).
      const read = again || forChange || held ? undefined : streamModel(bytes);
      if (read) {
        const entry: CacheEntry = { ...fileIdentity(stats), model: read.model, written: read.written, ctimeMs: stats.ctimeMs };
        cache.set(path, entry);
        if (options.serving) {
          snapshotLater(path, SNAPSHOT_AFTER_READ_MS);
          setTimeout(() => void withDom(path, entry).catch(() => undefined), PARSE_AHEAD_DELAY_MS).unref();
        } else {
          snapshots?.write(path, stats, read.model, read.written);
        }
        return entry;
      }
      // A read the streaming reader left to the DOM reader (another tool's file, a malformed one) is parsed whole, not streamed again.
      const parsed = again || (forChange || held ? parseBytes(bytes, path) : parseWhole(bytes, path));
      if (held) {
        // Loaded meanwhile by another caller, or written by a save of this process: that one holds everything.
        const loaded = currentEntry(path, stats);
        if (loaded) return loaded;
        const entry: CacheEntry = { ...fileIdentity(stats), ctimeMs: stats.ctimeMs, ...withJournal(path, parsed, held) };
        cache.set(path, entry);
        writeBehindSoon(path);
        return entry;
      }
      const entry: CacheEntry = { ...fileIdentity(stats), model: parsed.model, parsed, ctimeMs: stats.ctimeMs };
      cache.set(path, entry);
      if (!forChange && options.serving) snapshotLater(path, SNAPSHOT_AFTER_READ_MS);
      else if (!forChange) snapshots?.write(path, stats, parsed.model, writtenOf({ model: parsed.model, parsed }));
      return entry;
    } finally {
      await handle.close();
    }
  }

  /**
   * The file parsed, from its bytes. With `model`, the model of these very bytes (a snapshot of the
   * file), or read by the streaming reader, the units are left unparsed (see readSkeletonXliff12)
   * unless the file is not in the form the workbench writes: it is then parsed whole, as other
   * tools' files are.
   */
  async function parseFrom(handle: fs.FileHandle, path: string, model?: LocaleFile, written?: readonly boolean[]): Promise<HeldXliff12> {
    return parseBytes(await readWholeHandle(handle), path, model, written);
  }

  /** parseFrom, for the file's bytes. */
  function parseBytes(bytes: Buffer, path: string, model?: LocaleFile, written?: readonly boolean[]): HeldXliff12 {
    // Without a DOM when the file is in the form the workbench writes: from the model read before
    // (from a snapshot, or by the streaming reader), or read by the streaming reader now.
    const held = model ? readHeldXliff12(bytes, model, { file: shown(path) }, written) : streamXliff12(bytes, { file: shown(path) });
    return held ?? parseWhole(bytes, path);
  }

  /** The file parsed into a whole DOM: for files the streaming reader leaves to the DOM reader, which reads them or says what is wrong. */
  function parseWhole(bytes: Buffer, path: string): ParsedXliff12 {
    const content = decodeXmlBytes(bytes, { file: shown(path), malformedCode: 'xliff-malformed' });
    return parseXliff12(content, { file: shown(path), bytes });
  }

  /**
   * The bytes of the file at `path` as this process holds them, in the chunks it holds them in,
   * when they are the file's (its entry stands for the file on disk, with nothing unwritten): a
   * read of a book's file saved (17 MB, most of its cost the memory it fills). Never changed by
   * the store (a change makes new chunks), and never to be changed by the caller.
   */
  function heldChunks(path: string): readonly Uint8Array[] | undefined {
    const entry = cache.get(path);
    const held = entry?.parsed;
    if (!entry || entry.unwritten || !held || !isSpanHeld(held)) return undefined;
    const stats = turnStats.stat(path);
    if (!stats || stats.size !== held.size || !currentEntry(path, stats) || (entry.ctimeMs !== undefined && entry.ctimeMs !== stats.ctimeMs)) return undefined;
    return held.chunks;
  }

  /**
   * The entry with its DOM, for a change: a model read from a snapshot is parsed now, from the
   * file it was the snapshot of (when the file has changed meanwhile, the new file is loaded).
   */
  function withDom(path: string, entry: CacheEntry): Promise<CacheEntry & { parsed: HeldXliff12 }> {
    if (entry.parsed) return Promise.resolve(entry as CacheEntry & { parsed: HeldXliff12 });
    // One parse per entry, whoever asks first (a change, or the parse ahead of one).
    let parsing = domLoads.get(entry);
    if (!parsing) {
      parsing = parseDom(path, entry);
      domLoads.set(entry, parsing);
    }
    return parsing;
  }

  async function parseDom(path: string, entry: CacheEntry): Promise<CacheEntry & { parsed: HeldXliff12 }> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const stats = await handle.stat();
      if (sameFile(entry, stats)) {
        const parsed = await parseFrom(handle, path, entry.model, entry.written);
        const full = { ...fileIdentity(stats), model: parsed.model, parsed, ctimeMs: stats.ctimeMs };
        if (cache.get(path) === entry) cache.set(path, full);
        return full;
      }
    } catch (err) {
      if (!isNotFound(err)) throw err;
    } finally {
      await handle?.close();
    }
    dropEntry(path, entry);
    const fresh = await loadWithDom(path);
    if (!fresh) throw new WorkbenchError(404, 'locale-not-found', `${shown(path)} is gone`);
    return fresh;
  }

  /** The file parsed in full, as a change needs it (not from its snapshot), or undefined when there is none. */
  async function loadWithDom(path: string): Promise<(CacheEntry & { parsed: HeldXliff12 }) | undefined> {
    const entry = await load(path, true);
    return entry && withDom(path, entry);
  }

  /**
   * Writes a serialized file atomically and caches its `parsed` document as what was written. The
   * text is not parsed back (a second parse of a large file cost more than the rest of a save):
   * `parsed` already holds what reading it gives, as the writer re-reads every unit it wrote from
   * the DOM it serializes. What is checked is what the serializer alone decides, the
   * well-formedness of the text, with the reader's own pre-scan (a few milliseconds per megabyte):
   * a file the reader would refuse is never written. When the writer wrote only a few elements into
   * the file the document was read or last written as (see updateXliff12), those elements are what
   * is checked, each one whole: the rest of the file is text the reader has already accepted.
   */
  async function save(path: string, output: Xliff12Output): Promise<void> {
    const write = await prepareSave(path, output);
    await write.commit();
  }

  /**
   * Checks a serialized file and writes it durably beside `path` (see save); `commit` puts it in
   * place and caches its `parsed` document as what was written, `discard` removes it.
   */
  async function prepareSave(path: string, output: Xliff12Output, held?: Unwritten): Promise<{ commit(): Promise<void>; discard(): Promise<void> }> {
    checkWritable(path, output);
    const write = await prepareFileAtomic(path, output.chunks);
    return {
      async commit() {
        const placed = (async () => {
          let stats: Stats;
          try {
            stats = await write.commit();
          } finally {
            await write.discard();
          }
          // The change time the rename gave the file, taken at once (the project's lock keeps other
          // writers out): a snapshot is made only of this very file (see snapshotNow).
          const placedAt = statSync(path, { throwIfNoEntry: false });
          const known = placedAt && sameFile(stats, placedAt) ? placedAt : undefined;
          cache.set(path, { ...fileIdentity(stats), model: output.parsed.model, parsed: output.parsed, ctimeMs: known?.ctimeMs });
          // The journaled changes the file was read with are in it now.
          if (held) forgetJournaled(path, held.upTo);
          snapshotLater(path);
          return known;
        })();
        committing.set(path, placed);
        let known: Stats | undefined;
        try {
          known = await placed;
        } finally {
          if (committing.get(path) === placed) committing.delete(path);
        }
        await tellPlaced(path, known, output.parsed.model);
      },
      discard: () => write.discard(),
    };
  }

  /** Files written since their snapshot, and when their snapshot is due. */
  const snapshotDue = new Map<string, NodeJS.Timeout>();
  /**
   * A snapshot of a file this process wrote, once writes to it have paused for a while: a busy
   * locale is written many times a second, and each snapshot of a book costs a tenth of a second.
   * Also of a file a server read (a little after the page that read it is sent). Made at once at
   * a clean stop (see keepSnapshots), so the next start finds them.
   * The timer does not keep a process alive: a CLI command that wrote leaves the snapshot to the
   * next one that reads.
   */
  function snapshotLater(path: string, delay = SNAPSHOT_DELAY_MS): void {
    if (!snapshots) return;
    clearTimeout(snapshotDue.get(path));
    const timer = setTimeout(() => snapshotNow(path), delay);
    timer.unref();
    snapshotDue.set(path, timer);
  }

  function snapshotNow(path: string): void {
    clearTimeout(snapshotDue.get(path));
    snapshotDue.delete(path);
    const entry = cache.get(path);
    if (!entry || !snapshots) return;
    // Ahead of its file: kept once the write behind has put it on disk.
    if (entry.unwritten) return;
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    // Only of the file as this process wrote it: not after any write since, even one that kept its
    // size and modification time (its change time says).
    if (sameFile(entry, stats) && entry.ctimeMs === stats.ctimeMs) snapshots.write(path, stats, entry.model, writtenOf(entry));
  }

  /** Writes `draft` over the cached file `entry` (held under the path's queue). */
  async function saveUpdate(path: string, entry: CacheEntry & { parsed: HeldXliff12 }, draft: LocaleFile): Promise<void> {
    const write = await prepareUpdateWrite(path, entry, draft);
    try {
      await write.commit();
    } catch (err) {
      dropEntry(path, entry);
      throw err;
    }
  }

  /**
   * The new file for `draft`, written beside the cached file `entry` (see prepareSave). The cached
   * DOM is updated in place (no clone per save), so whatever does not end in a commit drops the
   * entry: the next read parses the file again, which is untouched (the rename is the last step).
   */
  async function prepareUpdateWrite(
    path: string,
    entry: CacheEntry & { parsed: HeldXliff12 },
    draft: LocaleFile | ((parsed: HeldXliff12) => Xliff12Output),
    writes?: UnitWrites,
  ): Promise<{ commit(): Promise<void>; discard(): Promise<void>; output: Xliff12Output }> {
    try {
      const output = typeof draft === 'function' ? draft(entry.parsed) : updateXliff12(entry.parsed, draft, { file: shown(path), writes });
      const write = await prepareSave(path, output, entry.unwritten);
      return {
        output,
        commit: write.commit,
        async discard() {
          dropEntry(path, entry);
          await write.discard();
        },
      };
    } catch (err) {
      dropEntry(path, entry);
      throw err;
    }
  }

  function dropEntry(path: string, entry: CacheEntry): void {
    // Whatever failed may have left the journal with rows no entry counts: counted at the next read.
    journalCounted.delete(path);
    if (cache.get(path) === entry) cache.delete(path);
  }

  /** Where the journal's count of a file last agreed with its cached entry (see journalHolds). */
  const journalCounted = new Map<string, number>();

  /**
   * True when `entry` holds every save the journal has for its file: false when another process
   * journaled saves to it since (a server stopped before it wrote them, a second server), which
   * a read of the file with the journal then puts in.
   */
  function journalHolds(path: string, entry: CacheEntry): boolean {
    if (!journal || journaling.has(path)) return true;
    // Counted again only when another process has written the database since the count last
    // held: the rows this process adds and forgets are carried by the entries it caches. (A count
    // on every read of a busy file counted the rows of a second's saves, a few times per save.)
    const others = journal.othersWrote();
    if (journalCounted.get(path) === others) return true;
    const locale = localeOf(path);
    if (!locale) return true;
    const holds = journal.count(locale.document, locale.lang) === (entry.unwritten?.rows ?? 0);
    if (holds) journalCounted.set(path, others);
    return holds;
  }

  /**
   * A file just parsed with the units journaled for it put in (the newest of each; a unit the file
   * no longer has is left out: its paragraph was taken out by hand, and its history tells of it).
   */
  function withJournal(path: string, parsed: HeldXliff12, held: { units: Unit[]; upTo: number }): { model: LocaleFile; parsed: HeldXliff12; unwritten: Unwritten } {
    const newest = new Map<string, Unit>();
    for (const unit of held.units) if (parsed.unitIndex.has(unit.id)) newest.set(unit.id, unit);
    const output = replaceUnitsXliff12(parsed, [...newest.values()], { file: shown(path) });
    checkWritable(path, output);
    return { model: output.parsed.model, parsed: output.parsed, unwritten: { output, pending: new Map(), upTo: held.upTo, rows: held.units.length } };
  }

  /**
   * The file an entry ahead of its file is to be written as: its pending units put into its text
   * (see Unwritten), which the entry then holds (its `parsed` and model are those of that text).
   * With `limit`, only that many of them, and none saved after `savedBy` (see foldInSlices): the
   * text is then that of the file with those. A text that does not read back (which the check of
   * each save's model rules out) drops the entry: the next read takes the file and the journal again.
   */
  function writable(path: string, entry: CacheEntry & { unwritten: Unwritten }, limit = Infinity, savedBy = Infinity): Xliff12Output {
    const ahead = entry.unwritten;
    if (ahead.output && ahead.pending.size === 0) return ahead.output;
    if (!entry.parsed) throw new Error(`LocaleStore: ${shown(path)} has saves to write and no text to write them into.`);
    const units: Unit[] = [];
    for (const { unit, at } of ahead.pending.values()) {
      if (units.length >= limit || at > savedBy) break;
      units.push(unit);
    }
    let output: Xliff12Output;
    try {
      output = replaceUnitsXliff12(entry.parsed, units, { file: shown(path) });
      checkWritable(path, output);
    } catch (err) {
      // Its text was used up by the writer: nobody may write into it again (see prepareBehind).
      entry.parsed = undefined;
      dropEntry(path, entry);
      throw err;
    }
    // In place: the entry's `parsed` was used up by the writer, and saves in flight find the entry
    // by it and add to its pending units (see prepareBehind).
    for (const unit of units) ahead.pending.delete(unit.id);
    entry.parsed = output.parsed;
    if (ahead.pending.size === 0) entry.model = output.parsed.model;
    entry.unwritten = { ...ahead, output };
    return output;
  }

  /**
   * Puts the units pending for a file into its text a slice at a time, with the event loop free in
   * between: those saved by `savedBy` (the write behind's wait, see writeBehindSoon), or all but a
   * slice (before a write, which puts the rest in). A book's thousand units of a second of saves
   * took a tenth of a second at once, which every save waiting meanwhile waited for.
   */
  async function foldInSlices(path: string, savedBy?: number): Promise<void> {
    for (;;) {
      const entry = cache.get(path);
      const ahead = entry?.unwritten;
      if (!entry?.parsed || !ahead || ahead.pending.size === 0) return;
      if (savedBy === undefined ? ahead.pending.size <= FOLD_SLICE : (ahead.pending.values().next().value as { at: number }).at > savedBy) return;
      writable(path, entry as CacheEntry & { unwritten: Unwritten }, FOLD_SLICE, savedBy);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Makes sure the file's journaled changes are written soon: a server writes them within
   * writeBehindMs, in a hold of the project's lock of its own that lasts until nothing is left
   * to write, so no other process takes the lock (and reads the file) before they are in it. A
   * process that does not write behind writes them with its next write of the file, or at
   * writeJournaled.
   */
  function writeBehindSoon(path: string): void {
    if (!writesBehind || writeLoops.has(path)) return;
    const loop = {};
    writeLoops.set(path, loop);
    // The delay, cut short when another process waits for the project's lock (a CLI command): it
    // then waits for one write of the file, not for the rest of the delay.
    const pause = async (ms: number) => {
      const until = performance.now() + ms;
      for (let left = ms; left > 0; left = until - performance.now()) {
        // Till the next look; once a save's hold sees the other process come, only as long as the
        // saves let in before it take to end (written with the rest, not left for the other process
        // to write in its turn).
        await new Promise<void>((resolve) => {
          let look = setTimeout(done, Math.min(left, LOCK_LOOK_MS));
          const stop = lock.onOthersWaiting(() => {
            clearTimeout(look);
            look = setTimeout(done, Math.min(left, TOLD_GRACE_MS));
          });
          function done(): void {
            stop();
            resolve();
          }
        });
        if (lock.othersWaiting()) return;
        // Meanwhile, the units no save has come for a while are put into the file's text.
        await foldInSlices(path, performance.now() - FOLD_AFTER_MS);
      }
    };
    let failed = false;
    void lock
      .holdApart(async () => {
        while (cache.get(path)?.unwritten) {
          await pause(writeBehindMs);
          await writeHeld(path);
        }
      })
      .catch((err: unknown) => {
        // The saves stay in the journal; the lock is given up meanwhile (whoever takes it reads the
        // file with them), and the write is tried again a little later (a full disk may make room).
        failed = true;
        console.error(`${shown(path)}: the last saves are safe in the journal, but the file could not be written yet: ${(err as Error).message}`);
      })
      .finally(() => {
        if (writeLoops.get(path) === loop) writeLoops.delete(path);
        if (!cache.get(path)?.unwritten) return;
        // A change that came as the loop ended, or a write to try again.
        if (failed) setTimeout(() => writeBehindSoon(path), WRITE_BEHIND_RETRY_MS).unref();
        else writeBehindSoon(path);
      });
  }

  /** Writes now the journaled changes this process holds for a file, up to the newest of them (waiting for a write under way). */
  async function writeNow(path: string): Promise<void> {
    const target = cache.get(path)?.unwritten?.upTo;
    if (target === undefined) return;
    // Beside the write behind's own writes, one after the other (see writeHeld): whichever comes first writes it.
    while ((writtenUpTo.get(path) ?? 0) < target && cache.get(path)?.unwritten) await lock.hold(() => writeHeld(path));
  }

  /**
   * Writes the journaled changes the cached file holds into the file, then forgets their journal
   * rows (under the project's lock; alone among the file's writes, beside its saves). When the
   * file changed on disk meanwhile (another process, a hand edit), it is read again first, with
   * whatever the journal still holds, and that is written.
   */
  function writeHeld(path: string): Promise<void> {
    return fileWrites(path, async () => {
      if (!cache.get(path)?.unwritten) return;
      // A slice at a time while saves come; at once when another process waits for the write (a
      // CLI command, which the saves will wait for anyway while it holds the project's lock).
      if (!lock.othersWaiting()) await foldInSlices(path);
      // The cached file, unless the file changed on disk or another process journaled saves to
      // it: then read again, with all the journal holds (see journalHolds).
      const entry = await load(path, true);
      if (!entry?.unwritten) return;
      const base = entry;
      const output = writable(path, entry as CacheEntry & { unwritten: Unwritten });
      const { upTo } = entry.unwritten as Unwritten;
      const write = await prepareFileAtomic(path, output.chunks);
      const placed = (async () => {
        let stats: Stats;
        try {
          stats = await write.commit();
        } finally {
          await write.discard();
        }
        const placedAt = statSync(path, { throwIfNoEntry: false });
        const known = placedAt && sameFile(stats, placedAt) ? placedAt : undefined;
        // Told when the write behind is about to let go of the lock (nothing left to write) or another
        // process waits for it: what the listener keeps is there before anyone else reads the file,
        // and a busy locale, written every second, does not pay for it at every write. Told before
        // the file's journal rows are forgotten: a CLI command that finds them waits for the lock
        // (see writeJournaled), where one that came between the two found none and read the new
        // file before what was kept of it (a book's status took a second instead of a third).
        const stillHeld = cache.get(path)?.unwritten;
        if (!(stillHeld && stillHeld.upTo > upTo) || lock.othersWaiting()) await tellPlaced(path, known, output.parsed.model);
        // The cached file, with the saves that came during the write, now stands on the new file.
        const forgotten = forgetJournaled(path, upTo);
        const current = cache.get(path);
        if (current && sameFile(current, base)) {
          const later = current.unwritten && current.unwritten.upTo > upTo ? { ...current.unwritten, rows: current.unwritten.rows - forgotten } : undefined;
          cache.set(path, { ...current, ...fileIdentity(stats), ctimeMs: known?.ctimeMs, unwritten: later });
        }
        return known;
      })();
      committing.set(path, placed);
      try {
        await placed;
      } finally {
        if (committing.get(path) === placed) committing.delete(path);
      }
      snapshotLater(path);
    });
  }

  /** The journal rows of a file up to `upTo` are in it: forgotten (how many were). */
  function forgetJournaled(path: string, upTo: number): number {
    const locale = localeOf(path);
    if (!journal || !locale) return 0;
    const forgotten = journal.written(locale.document, locale.lang, upTo);
    writtenUpTo.set(path, Math.max(upTo, writtenUpTo.get(path) ?? 0));
    return forgotten;
  }

  /** A write's check that the reader takes back what it writes (see prepareSave). */
  function checkWritable(path: string, output: Xliff12Output): void {
    const problem = output.written ? scanParts(output, output.written) : scanWhole(output.xml);
    if (!problem) return;
    const { at, issue } = problem;
    const reason = issue.kind === 'doctype' ? 'a DOCTYPE' : issue.reason;
    throw new WorkbenchError(500, 'xliff-write-failed', `${shown(path)}: refusing to write a file that does not read back: line ${at.line}, column ${at.column}: ${reason}`, {
      details: { file: shown(path), line: at.line, column: at.column },
    });
  }

  /** Loads a file for a change under its lock: 404 without one; a broken file throws, never overwritten. */
  async function loadForChange(path: string, document: string, lang: string): Promise<CacheEntry & { parsed: HeldXliff12 }> {
    const entry = await loadWithDom(path);
    if (!entry) throw new WorkbenchError(404, 'locale-not-found', `${lang} has no file for ${document}`);
    return entry;
  }

  let placedListener: PlacedListener | undefined;

  /** Tells the listener (see onPlaced) of the file `stats` describes, just put in place at `path` with `file` in it (unknown stats: not told). */
  async function tellPlaced(path: string, stats: Stats | undefined, file: ReadonlyLocaleFile): Promise<void> {
    const locale = localeOf(path);
    if (!placedListener || !stats || !locale) return;
    try {
      await placedListener({ ...locale, stamp: fileStamp(stats), file });
    } catch {
      // A cache not kept: worked out again by whoever needs it.
    }
  }

  async function stampOfFile(path: string): Promise<string | undefined> {
    try {
      return fileStamp(await fs.stat(path));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * prepareUpdate and prepareUnitChanges: `makeDraft` gets the file's entry (its model is the
   * store's own: not to be changed) and gives the model to write, under the file's lock, which is
   * held until commit or discard.
   */
  function prepareWith<T>(
    document: string,
    lang: string,
    makeDraft: (entry: CacheEntry & { parsed: HeldXliff12 }) => Promise<Draft<T>>,
    behind = false,
  ): Promise<PreparedLocaleUpdate<T>> {
    const path = pathOf(document, lang);
    // What the caller does before committing must be under the same hold (the project's lock
    // cannot be given up while the file waits for it): it holds the lock itself.
    if (!lock.isHeld()) throw new Error('LocaleStore.prepareUpdate must be called inside a hold of the project lock.');
    return new Promise((resolvePrepared, rejectPrepared) => {
      // The file's lock is held from here until commit or discard settles.
      void exclusive(path, async () => {
        let release = (): void => undefined;
        const released = new Promise<void>((resolve) => {
          release = resolve;
        });
        let releaseWrites = (): void => undefined;
        try {
          if (behind) {
            resolvePrepared(await prepareBehind(path, document, lang, makeDraft, release));
            await released;
            return;
          }
          // A write of the whole file: the journaled changes held for it are written first, and
          // the file's writes behind wait until this one is done.
          await writeNow(path);
          releaseWrites = await takeFileWrites(path);
          const entry = await loadForChange(path, document, lang);
          const { draft, result, writes } = await makeDraft(entry);
          const write = await prepareUpdateWrite(path, entry, draft, writes);
          let settled = false;
          const finish = async (step: () => Promise<void>) => {
            if (settled) throw new Error('This locale update was already committed or discarded.');
            settled = true;
            try {
              await step();
            } finally {
              release();
            }
          };
          resolvePrepared({
            result,
            base: entry.model,
            file: write.output.parsed.model,
            commit: () =>
              finish(async () => {
                try {
                  await write.commit();
                } catch (err) {
                  dropEntry(path, entry);
                  throw err;
                }
              }),
            discard: () => finish(write.discard),
          });
        } catch (err) {
          releaseWrites();
          rejectPrepared(err);
          return;
        }
        await released;
        releaseWrites();
      });
    });
  }

  /** Takes the file's whole-file writes (see fileWrites) until the function it gives is called. */
  async function takeFileWrites(path: string): Promise<() => void> {
    let release = (): void => undefined;
    await new Promise<void>((taken) => {
      void fileWrites(path, () => {
        const done = new Promise<void>((resolve) => {
          release = resolve;
        });
        taken();
        return done;
      });
    });
    return release;
  }

  /**
   * prepareWith for a change written behind (see PreparedLocaleUpdate.commit): the change is made
   * on the cached file and checked as a write would check it, but nothing is written; its commit
   * makes it the file this process holds, and the write behind puts it on disk.
   */
  async function prepareBehind<T>(
    path: string,
    document: string,
    lang: string,
    makeDraft: (entry: CacheEntry & { parsed: HeldXliff12 }) => Promise<Draft<T>>,
    release: () => void,
  ): Promise<PreparedLocaleUpdate<T>> {
    const entry = await loadForChange(path, document, lang);
    const { result, units } = await makeDraft(entry);
    if (!units) throw new Error('LocaleStore: only unit changes are written behind.');
    // The model checked here, as the writer would (a bad text is refused with its save); the units
    // are put into the file's text when it is written (see writable).
    const file = modelWith(entry, units);
    let settled = false;
    const finish = async (step: () => void | Promise<void>) => {
      if (settled) throw new Error('This locale update was already committed or discarded.');
      settled = true;
      try {
        await step();
      } finally {
        release();
      }
    };
    return {
      result,
      base: entry.model,
      file,
      commit: (journal) =>
        finish(async () => {
          let journaled: JournalMark;
          // While the rows are written and the cache does not have them yet, the journal has more
          // rows than the cache holds: not another process's (this one holds the project's lock).
          journaling.set(path, (journaling.get(path) ?? 0) + 1);
          try {
            if (!journal) throw new Error('LocaleStore: a change written behind is committed with its journal.');
            journaled = await journal();
          } catch (err) {
            dropEntry(path, entry);
            throw err;
          } finally {
            const left = (journaling.get(path) ?? 1) - 1;
            if (left > 0) journaling.set(path, left);
            else journaling.delete(path);
          }
          // The file it stands on, as the cache knows it now (a write behind may have put the
          // entry's units into its text, or on disk, meanwhile: the same document, on the new file).
          const current = cache.get(path);
          const onFile = current && current.parsed === entry.parsed ? current : entry;
          // A text the writer failed on (see writable): the next read takes the file and the journal again.
          if (!onFile.parsed) return;
          const identity = { mtimeMs: onFile.mtimeMs, size: onFile.size, ino: onFile.ino, ctimeMs: onFile.ctimeMs };
          const rows = (onFile.unwritten?.rows ?? 0) + journaled.rows;
          // Added to in place (a book's second of saves holds a thousand units, too many to copy at
          // every batch): the entries that share it hold the same saves.
          const pending = onFile.unwritten?.pending ?? new Map<string, { unit: Unit; at: number }>();
          const at = performance.now();
          for (const unit of units) {
            // Moved to the end: the map is in the order of the units' last saves.
            pending.delete(unit.id);
            pending.set(unit.id, { unit, at });
          }
          cache.set(path, { ...identity, model: file, parsed: onFile.parsed, unwritten: { output: onFile.unwritten?.output, pending, upTo: journaled.upTo, rows } });
          writeBehindSoon(path);
        }),
      // Nothing was changed: the entry stays as it is.
      discard: () => finish(() => undefined),
    };
  }

  /** The model of `entry` with `units` in place of those with their ids, checked as the writer checks a model. */
  function modelWith(entry: CacheEntry & { parsed: HeldXliff12 }, units: readonly Unit[]): LocaleFile {
    const all = entry.model.units.slice();
    for (const unit of units) {
      const slot = entry.parsed.unitIndex.get(unit.id);
      if (!slot) throw new Error(`LocaleStore: there is no unit "${unit.id}" to change.`);
      all[slot.position] = unit;
    }
    assertWritableModel({ ...fileFields(entry.model), units: units as Unit[] });
    return { ...fileFields(entry.model), units: all };
  }

  return {
    async listLocales(document) {
      const fileName = fileNameOf(document);
      let entries: Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
      const locales: string[] = [];
      for (const entry of entries) {
        if (!entry.isDirectory() || !isLocaleTag(entry.name)) continue;
        try {
          if ((await fs.stat(join(dir, entry.name, fileName))).isFile()) locales.push(entry.name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      return locales.sort();
    },

    async read(document, lang) {
      const entry = await load(pathOf(document, lang));
      return entry && copyLocaleFile(entry.model);
    },

    async readForChange(document, lang) {
      await loadWithDom(pathOf(document, lang));
    },

    onPlaced(listener) {
      placedListener = listener;
    },

    async keepSnapshots() {
      for (const path of [...snapshotDue.keys()]) snapshotNow(path);
      await kept?.settled();
    },

    async writeJournaled() {
      const paths = new Set<string>();
      for (const [path, entry] of cache) if (entry.unwritten) paths.add(path);
      for (const { document, lang } of journal?.locales() ?? []) {
        // Rows of a file that cannot be one (never written by this code) are left alone.
        if (isDocumentId(document) && isLocaleTag(lang)) paths.add(pathOf(document, lang));
      }
      for (const path of paths) {
        await lock.hold(async () => {
          // Nothing left to write once the lock is ours: another process (a server writing behind
          // its saves) wrote them while this one waited for the lock. The file is not read for a change.
          const locale = localeOf(path);
          if (!cache.get(path)?.unwritten && locale && journal?.count(locale.document, locale.lang) === 0) return;
          // Read with its journal (a file changed on disk, or left by a stopped process), then written.
          await perFile(path, () => load(path, true).catch((err: unknown) => console.error(`${shown(path)}: its journaled saves wait: ${(err as Error).message}`)));
          await writeNow(path);
        });
      }
    },

    async stamp(document, lang) {
      const path = pathOf(document, lang);
      const stamp = await stampOfFile(path);
      // A file this process holds changes of ahead of the disk is not the file on disk.
      const ahead = cache.get(path)?.unwritten;
      return stamp !== undefined && ahead ? `${stamp}+${ahead.upTo}` : stamp;
    },

    archiveStamp: (document, lang) => stampOfFile(archivePathOf(document, lang)),

    async byteSize(document, lang) {
      try {
        return (await fs.stat(pathOf(document, lang))).size;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async readBytes(document, lang) {
      const parts = await this.readParts(document, lang);
      return parts && joinChunks(parts);
    },

    async readParts(document, lang) {
      // The file as this process knows it: its journaled changes written first.
      await writeNow(pathOf(document, lang));
      const held = heldChunks(pathOf(document, lang));
      if (held) return held;
      try {
        // Files are replaced by rename, never rewritten in place: one read sees one whole version.
        return [await readWholeFile(pathOf(document, lang))];
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async digest(document, lang) {
      await writeNow(pathOf(document, lang));
      let handle: fs.FileHandle;
      try {
        handle = await fs.open(pathOf(document, lang), 'r');
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      try {
        // One open file is one whole version: files are replaced by rename, never rewritten in place.
        const hash = createHash('sha256');
        const buffer = Buffer.allocUnsafe(DIGEST_CHUNK);
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null);
          if (bytesRead === 0) break;
          hash.update(buffer.subarray(0, bytesRead));
        }
        return hash.digest('hex');
      } finally {
        await handle.close();
      }
    },

    async peek(document, lang, look) {
      const entry = await load(pathOf(document, lang));
      return entry && look(entry.model);
    },

    async readAhead(document, lang) {
      const path = pathOf(document, lang);
      if (cache.has(path) || readingAhead.has(path) || journal?.pending(document, lang)) return undefined;
      let stats: Stats;
      try {
        stats = await fs.stat(path);
      } catch {
        return undefined;
      }
      if (stats.size < READ_AHEAD_MIN_BYTES || (await snapshots?.has(path, stats)) || cache.has(path) || readingAhead.has(path)) return undefined;
      const reading = readLocaleModelOffThread(path);
      readingAhead.set(path, reading);
      return { read: reading.then((model) => model !== undefined) };
    },

    async create(file) {
      const path = pathOf(file.document, file.targetLanguage);
      return exclusive(path, async () => {
        // Checked under the path's queue and the project's lock: no other writer makes it meanwhile.
        if (await exists(path)) throw new WorkbenchError(409, 'locale-exists', `${file.targetLanguage} already has a file for ${file.document}`, { params: { locale: file.targetLanguage, document: file.document } });
        const made = await fs.mkdir(dirname(path), { recursive: true });
        try {
          await save(path, buildXliff12(file, { file: shown(path) }));
        } catch (err) {
          // Nothing half-made: a folder made for this file goes with it (only if it is still empty).
          if (made !== undefined) await fs.rmdir(dirname(path)).catch(() => undefined);
          throw err;
        }
      });
    },

    async update(document, lang, change) {
      const path = pathOf(document, lang);
      return exclusive(path, async () => {
        // A write of the whole file (see prepareWith).
        await writeNow(path);
        const releaseWrites = await takeFileWrites(path);
        try {
          const entry = await loadForChange(path, document, lang);
          const draft = copyLocaleFile(entry.model);
          // The change works on a copy of the model: if it refuses (a stale revision, a bad
          // value), the cached file is untouched and stays cached.
          const result = await change(draft);
          await saveUpdate(path, entry, draft);
          return result;
        } finally {
          releaseWrites();
        }
      });
    },

    prepareUpdate(document, lang, change, updateOptions = {}) {
      return prepareWith(document, lang, async (entry) => {
        const draft = updateOptions.sharedUnits ? { ...entry.model, units: entry.model.units.slice() } : copyLocaleFile(entry.model);
        return { draft, result: await change(draft), writes: updateOptions.writes };
      });
    },

    writesBehind,

    prepareUnitChanges(document, lang, change, changeOptions = {}) {
      return prepareWith(
        document,
        lang,
        async (entry) => {
        const { result, units } = await change(entry.model);
        for (const unit of units) {
          const slot = entry.parsed.unitIndex.get(unit.id);
          if (!slot || entry.model.units[slot.position] === unit) throw new Error(`LocaleStore.prepareUnitChanges: "${unit.id}" is not a new version of a unit of the file.`);
        }
        // The file's units as they are, but for those the change gives: only those are checked and written.
        return { draft: (parsed: HeldXliff12) => replaceUnitsXliff12(parsed, units, { file: shown(pathOf(document, lang)) }), result, units };
        },
        writesBehind && changeOptions.writeBehind === true,
      );
    },
    async archive(document, lang, version, units) {
      const path = archivePathOf(document, lang);
      const localePath = pathOf(document, lang);
      checkArchiveVersion(version);
      return exclusive(path, async () => {
        const date = new Date().toISOString();
        const entry = await load(path, true); // a broken archive throws here: it is never overwritten
        const known = new Set(entry?.model.units.map((unit) => unit.id));
        const added: Unit[] = [];
        for (const unit of units) {
          const archived = archivedUnit(unit, version, date);
          if (known.has(archived.id)) continue;
          known.add(archived.id);
          added.push(archived);
        }
        if (added.length === 0) return;
        if (entry) {
          const full = await withDom(path, entry);
          const draft = copyLocaleFile(full.model);
          draft.units.push(...added);
          await saveUpdate(path, full, draft);
          return;
        }
        // First use: the archive takes the locale file's languages.
        const locale = await load(localePath);
        if (!locale) throw new WorkbenchError(404, 'locale-not-found', `${lang} has no file for ${document}`);
        const { sourceLanguage, targetLanguage } = locale.model;
        await save(path, buildXliff12({ document, sourceLanguage, targetLanguage, units: added }, { file: shown(path) }));
      });
    },

    async readArchive(document, lang) {
      const entry = await load(archivePathOf(document, lang));
      return entry ? entry.model.units.map(copyUnit) : [];
    },
  };
}
