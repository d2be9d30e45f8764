import { statSync, type Dirent, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { LocaleFile, Unit } from '../domain/types';
import { WorkbenchError } from '../errors';
import { buildXliff12 } from '../formats/buildXliff12';
import { parseXliff12 } from '../formats/parseXliff12';
import { replaceUnitsXliff12, updateXliff12 } from '../formats/updateXliff12';
import { type ParsedXliff12, type WrittenPart, type Xliff12Output } from '../formats/xliff12Model';
import { decodeXmlBytes } from '../formats/xmlSafety';
import { positionAt, scanMarkup, scanXml, type ScanIssue, type XmlPosition } from '../formats/xmlScan';
import { fileIdentity, fileStamp, sameFile, type FileIdentity } from './fileIdentity';
import { keyedLock } from './keyedLock';
import { localLock, type ProjectLock } from './projectLock';
import { isDocumentId } from '../domain/documentId';
import { isLocaleTag } from '../domain/localeTag';
import { prepareFileAtomic } from './writeFileAtomic';
import type { StampedSnapshots } from './stampedSnapshots';

/** How long writes to a file pause before this process keeps a snapshot of it (see StampedSnapshots). */
const SNAPSHOT_DELAY_MS = 2000;
/** How long after a server parses a file it makes its snapshot (the page that read it is sent first). */
const SNAPSHOT_AFTER_READ_MS = 1000;
/** How long after a file is read from its snapshot a server parses it (once the page that read it is sent). */
const PARSE_AHEAD_DELAY_MS = 50;

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
  /**
   * Writes now the snapshots this store would keep a little later of the files it wrote (see
   * StampedSnapshots), and resolves once they are written: before a process exits, so that the
   * next one reads them instead of parsing the files.
   */
  keepSnapshots(): Promise<void>;
  /**
   * Reads the file ahead of changes to it (parsed in full, as a change needs it, not taken from its
   * snapshot): for a caller that reads it first and changes it after (a source update). Nothing
   * when the locale has no file; a broken file throws as in `read`.
   */
  readForChange(document: string, lang: string): Promise<void>;
  /** The file's bytes as stored (for a download of the file itself), or undefined when the locale has no file. */
  readBytes(document: string, lang: string): Promise<Uint8Array | undefined>;
  /**
   * What `look` finds in the parsed file, without the copy `read` makes (undefined when the locale
   * has no file; a broken file throws as in `read`): for questions about a large file. `look` gets
   * the store's own model, read-only, and must not keep it.
   */
  peek<T>(document: string, lang: string, look: (file: ReadonlyLocaleFile) => T): Promise<T | undefined>;
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
   * nothing is written and the file is released.
   */
  prepareUpdate<T>(document: string, lang: string, change: (file: LocaleFile) => T | Promise<T>): Promise<PreparedLocaleUpdate<T>>;
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
  ): Promise<PreparedLocaleUpdate<T>>;
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
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/** A locale file as `peek` shows it: not to be changed. */
export type ReadonlyLocaleFile = Readonly<Omit<LocaleFile, 'units'>> & { readonly units: readonly ReadonlyUnit[] };
export type ReadonlyUnit = Readonly<Omit<Unit, 'notes' | 'previous'>> & {
  readonly notes: readonly Readonly<Unit['notes'][number]>[];
  readonly previous?: Readonly<NonNullable<Unit['previous']>>;
};

/*
 * Locale codes and document ids become path segments (`<dir>/<lang>/<document>.xlf`), so they are
 * checked with the domain's own rules (a canonical BCP 47 tag, a document id) before any path is built, whatever the routes above already
 * checked: no `..`, no separators, no NUL, no encoded tricks (`%2e%2e`), no dot files.
 */
function checkLang(lang: unknown): string {
  if (typeof lang !== 'string' || !isLocaleTag(lang)) {
    throw new WorkbenchError(400, 'invalid-locale', `Invalid locale code ${JSON.stringify(String(lang))}`);
  }
  return lang;
}

function checkDocument(document: unknown): string {
  if (!isDocumentId(document)) {
    throw new WorkbenchError(400, 'invalid-document', `Invalid document id ${JSON.stringify(String(document))}`);
  }
  return document;
}

interface CacheEntry extends FileIdentity {
  /** The file's model (never handed out: callers get copies; never changed in place). */
  model: LocaleFile;
  /**
   * The file as parsed: the same model, its DOM (kept so a save preserves what the model does not
   * hold) and the index of its units by id. A save mutates the DOM in place: the entry is replaced
   * when the write succeeds and dropped when anything fails. Undefined when the model came from a
   * snapshot (see StampedSnapshots): the file is parsed when it is first changed.
   */
  parsed?: ParsedXliff12;
  /** The file's change time, when known (see snapshotNow). */
  ctimeMs?: number;
}

/**
 * A deep copy of a model, for callers to read or mutate: the cached one is never handed out. Models
 * are plain data (strings, numbers, booleans, arrays of units and notes), so spreading each level is
 * enough, and much faster than structuredClone on large files.
 */
function copyLocaleFile(file: LocaleFile): LocaleFile {
  return { ...file, units: file.units.map(copyUnit) };
}

function copyUnit(unit: Unit): Unit {
  const copy = { ...unit, notes: unit.notes.map((note) => ({ ...note })) };
  if (unit.previous) copy.previous = { ...unit.previous };
  return copy;
}

/** The archive of a locale: `<document>.removed.xlf` next to `<document>.xlf` (never a document id: those have no dot). */
const ARCHIVE_SUFFIX = '.removed.xlf';

function checkVersion(version: unknown): number {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new WorkbenchError(400, 'invalid-version', `Invalid source version ${JSON.stringify(String(version))}`);
  }
  return version;
}

/** `unit` as archived on removal in source `version`: id `<id>@<version>`, plus a note saying when. */
function archivedUnit(unit: Unit, version: number, date: string): Unit {
  const copy = copyUnit(unit);
  copy.id = `${unit.id}@${version}`;
  copy.notes.push({ text: `Removed from the source in version ${version} on ${date}`, from: 'workbench' });
  return copy;
}

/** The first issue the reader's pre-scan finds in a file's text, and where. */
function scanWhole(xml: string): { issue: ScanIssue; at: XmlPosition } | undefined {
  const issue = scanXml(xml);
  return issue && { issue, at: positionAt(xml, issue.offset) };
}

/**
 * The first issue the reader's pre-scan finds in the markup of the elements written into a file
 * (`parts` of its bytes), and where in the file. Their characters are not looked at again: the
 * model's texts were checked before they were written (see assertWritableModel), and whatever else
 * an element holds was read from a file the reader accepted.
 */
function scanParts(file: Pick<Xliff12Output, 'bytes'>, parts: readonly WrittenPart[]): { issue: ScanIssue; at: XmlPosition } | undefined {
  for (const part of parts) {
    const issue = scanMarkup(part.text);
    if (!issue) continue;
    const { bytes } = file; // made only now: the line and column need the text before the part
    const before = Buffer.from(bytes.buffer, bytes.byteOffset, part.start).toString('utf8');
    return { issue, at: positionAt(before + part.text, before.length + issue.offset) };
  }
  return undefined;
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
   * A server: a file read from its snapshot is parsed soon after, ahead of its first change, and
   * the snapshot of a file just parsed is made a little later, once the page that read it is sent
   * (a CLI command that reads and exits makes it at once, before it exits).
   */
  serving?: boolean;
}): LocaleStore {
  const { dir } = options;
  /** Models kept between processes (see StampedSnapshots), by the file's path under `dir`. */
  const kept = options.snapshots;
  const snapshots = kept && {
    async read(path: string, stats: Stats): Promise<LocaleFile | undefined> {
      const model = (await kept.read(relative(dir, path), fileStamp(stats))) as LocaleFile | undefined;
      return Array.isArray(model?.units) ? model : undefined;
    },
    write(path: string, stats: Stats, model: LocaleFile): void {
      kept.write(relative(dir, path), fileStamp(stats), model);
    },
  };
  const lock = options.lock ?? localLock();
  /** Parsed files by path, valid while the file's mtime, size and inode are unchanged. */
  const cache = new Map<string, CacheEntry>();
  /** DOM parses under way, by the entry they complete (see withDom). */
  const domLoads = new WeakMap<CacheEntry, Promise<CacheEntry & { parsed: ParsedXliff12 }>>();
  /** Files whose new version is being renamed into place, until their cache entry is set. */
  const committing = new Map<string, Promise<void>>();
  /** One operation at a time per file, in call order (the project's lock first, then the file's). */
  const perFile = keyedLock();
  const exclusive = <T>(path: string, task: () => Promise<T>): Promise<T> => lock.hold(() => perFile(path, task));

  /** A file as messages name it: relative to the project (`locales/es/x.xlf`), not the server's full path. */
  function shown(file: string): string {
    return relative(dirname(dir), file);
  }

  function pathOf(document: string, lang: string): string {
    return join(dir, checkLang(lang), `${checkDocument(document)}.xlf`);
  }

  function archivePathOf(document: string, lang: string): string {
    return join(dir, checkLang(lang), `${checkDocument(document)}${ARCHIVE_SUFFIX}`);
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
    const known = cache.get(path);
    if (known) {
      let stats: Stats;
      try {
        stats = statSync(path);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        cache.delete(path);
        return undefined;
      }
      if (sameFile(known, stats)) return known;
    }
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
      const cached = cache.get(path);
      if (cached && sameFile(cached, stats)) return cached;
      cache.delete(path);
      // A file about to change is parsed at once: its snapshot would be read for nothing, and a new one made for nothing.
      const kept = forChange ? undefined : await snapshots?.read(path, stats);
      if (kept) {
        const entry: CacheEntry = { ...fileIdentity(stats), model: kept, ctimeMs: stats.ctimeMs };
        cache.set(path, entry);
        // A server parses the file soon after, while the translator reads: the first save does not wait for it.
        if (options.serving) setTimeout(() => void withDom(path, entry).catch(() => undefined), PARSE_AHEAD_DELAY_MS).unref();
        return entry;
      }
      const parsed = await parseFrom(handle, path);
      const entry: CacheEntry = { ...fileIdentity(stats), model: parsed.model, parsed, ctimeMs: stats.ctimeMs };
      cache.set(path, entry);
      if (!forChange && options.serving) setTimeout(() => snapshots?.write(path, stats, parsed.model), SNAPSHOT_AFTER_READ_MS).unref();
      else if (!forChange) snapshots?.write(path, stats, parsed.model);
      return entry;
    } finally {
      await handle.close();
    }
  }

  async function parseFrom(handle: fs.FileHandle, path: string): Promise<ParsedXliff12> {
    const bytes = await handle.readFile();
    const content = decodeXmlBytes(bytes, { file: shown(path), malformedCode: 'xliff-malformed' });
    return parseXliff12(content, { file: shown(path), bytes });
  }

  /**
   * The entry with its DOM, for a change: a model read from a snapshot is parsed now, from the
   * file it was the snapshot of (when the file has changed meanwhile, the new file is loaded).
   */
  function withDom(path: string, entry: CacheEntry): Promise<CacheEntry & { parsed: ParsedXliff12 }> {
    if (entry.parsed) return Promise.resolve(entry as CacheEntry & { parsed: ParsedXliff12 });
    // One parse per entry, whoever asks first (a change, or the parse ahead of one).
    let parsing = domLoads.get(entry);
    if (!parsing) {
      parsing = parseDom(path, entry);
      domLoads.set(entry, parsing);
    }
    return parsing;
  }

  async function parseDom(path: string, entry: CacheEntry): Promise<CacheEntry & { parsed: ParsedXliff12 }> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(path, 'r');
      const stats = await handle.stat();
      if (sameFile(entry, stats)) {
        const parsed = await parseFrom(handle, path);
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
  async function loadWithDom(path: string): Promise<(CacheEntry & { parsed: ParsedXliff12 }) | undefined> {
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
  async function prepareSave(path: string, output: Xliff12Output): Promise<{ commit(): Promise<void>; discard(): Promise<void> }> {
    const problem = output.written ? scanParts(output, output.written) : scanWhole(output.xml);
    if (problem) {
      const { at, issue } = problem;
      const reason = issue.kind === 'doctype' ? 'a DOCTYPE' : issue.reason;
      throw new WorkbenchError(500, 'xliff-write-failed', `${shown(path)}: refusing to write a file that does not read back: line ${at.line}, column ${at.column}: ${reason}`, {
        details: { file: shown(path), line: at.line, column: at.column },
      });
    }
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
          cache.set(path, { ...fileIdentity(stats), model: output.parsed.model, parsed: output.parsed, ctimeMs: placedAt && sameFile(stats, placedAt) ? placedAt.ctimeMs : undefined });
          snapshotLater(path);
        })();
        committing.set(path, placed);
        try {
          await placed;
        } finally {
          if (committing.get(path) === placed) committing.delete(path);
        }
      },
      discard: () => write.discard(),
    };
  }

  /** Files written since their snapshot, and when their snapshot is due. */
  const snapshotDue = new Map<string, NodeJS.Timeout>();
  /**
   * A snapshot of a file this process wrote, once writes to it have paused for a while: a busy
   * locale is written many times a second, and each snapshot of a book costs a tenth of a second.
   * The timer does not keep a process alive: a CLI command that wrote leaves the snapshot to the
   * next one that reads.
   */
  function snapshotLater(path: string): void {
    if (!snapshots) return;
    clearTimeout(snapshotDue.get(path));
    const timer = setTimeout(() => snapshotNow(path), SNAPSHOT_DELAY_MS);
    timer.unref();
    snapshotDue.set(path, timer);
  }

  function snapshotNow(path: string): void {
    clearTimeout(snapshotDue.get(path));
    snapshotDue.delete(path);
    const entry = cache.get(path);
    if (!entry || !snapshots) return;
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch {
      return;
    }
    // Only of the file as this process wrote it: not after any write since, even one that kept its
    // size and modification time (its change time says).
    if (sameFile(entry, stats) && entry.ctimeMs === stats.ctimeMs) snapshots.write(path, stats, entry.model);
  }

  /** Writes `draft` over the cached file `entry` (held under the path's queue). */
  async function saveUpdate(path: string, entry: CacheEntry & { parsed: ParsedXliff12 }, draft: LocaleFile): Promise<void> {
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
    entry: CacheEntry & { parsed: ParsedXliff12 },
    draft: LocaleFile | ((parsed: ParsedXliff12) => Xliff12Output),
  ): Promise<{ commit(): Promise<void>; discard(): Promise<void>; output: Xliff12Output }> {
    try {
      const output = typeof draft === 'function' ? draft(entry.parsed) : updateXliff12(entry.parsed, draft, { file: shown(path) });
      const write = await prepareSave(path, output);
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
    if (cache.get(path) === entry) cache.delete(path);
  }

  /** Loads a file for a change under its lock: 404 without one; a broken file throws, never overwritten. */
  async function loadForChange(path: string, document: string, lang: string): Promise<CacheEntry & { parsed: ParsedXliff12 }> {
    const entry = await loadWithDom(path);
    if (!entry) throw new WorkbenchError(404, 'locale-not-found', `${lang} has no file for ${document}`);
    return entry;
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
    makeDraft: (entry: CacheEntry & { parsed: ParsedXliff12 }) => Promise<{ draft: LocaleFile | ((parsed: ParsedXliff12) => Xliff12Output); result: T }>,
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
        try {
          const entry = await loadForChange(path, document, lang);
          const { draft, result } = await makeDraft(entry);
          const write = await prepareUpdateWrite(path, entry, draft);
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
          rejectPrepared(err);
          return;
        }
        await released;
      });
    });
  }

  return {
    async listLocales(document) {
      const fileName = `${checkDocument(document)}.xlf`;
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

    async keepSnapshots() {
      for (const path of [...snapshotDue.keys()]) snapshotNow(path);
      await kept?.settled();
    },

    stamp: (document, lang) => stampOfFile(pathOf(document, lang)),

    archiveStamp: (document, lang) => stampOfFile(archivePathOf(document, lang)),

    async readBytes(document, lang) {
      try {
        // Files are replaced by rename, never rewritten in place: one read sees one whole version.
        return await fs.readFile(pathOf(document, lang));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },

    async peek(document, lang, look) {
      const entry = await load(pathOf(document, lang));
      return entry && look(entry.model);
    },

    async create(file) {
      const path = pathOf(file.document, file.targetLanguage);
      return exclusive(path, async () => {
        // Checked under the path's queue and the project's lock: no other writer makes it meanwhile.
        if (await exists(path)) throw new WorkbenchError(409, 'locale-exists', `${file.targetLanguage} already has a file for ${file.document}`);
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
        const entry = await loadForChange(path, document, lang);
        const draft = copyLocaleFile(entry.model);
        // The change works on a copy of the model: if it refuses (a stale revision, a bad
        // value), the cached file is untouched and stays cached.
        const result = await change(draft);
        await saveUpdate(path, entry, draft);
        return result;
      });
    },

    prepareUpdate(document, lang, change) {
      return prepareWith(document, lang, async (entry) => {
        const draft = copyLocaleFile(entry.model);
        return { draft, result: await change(draft) };
      });
    },

    prepareUnitChanges(document, lang, change) {
      return prepareWith(document, lang, async (entry) => {
        const { result, units } = await change(entry.model);
        for (const unit of units) {
          const slot = entry.parsed.unitIndex.get(unit.id);
          if (!slot || entry.model.units[slot.position] === unit) throw new Error(`LocaleStore.prepareUnitChanges: "${unit.id}" is not a new version of a unit of the file.`);
        }
        // The file's units as they are, but for those the change gives: only those are checked and written.
        return { draft: (parsed: ParsedXliff12) => replaceUnitsXliff12(parsed, units, { file: shown(pathOf(document, lang)) }), result };
      });
    },
    async archive(document, lang, version, units) {
      const path = archivePathOf(document, lang);
      const localePath = pathOf(document, lang);
      checkVersion(version);
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
