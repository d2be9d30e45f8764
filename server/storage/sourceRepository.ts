import { fileIdentity, fileStamp, sameFile, type FileIdentity } from './fileIdentity';
import { keyedLock } from './keyedLock';
import { localLock, type ProjectLock } from './projectLock';
import { statsThisTurn } from './statsThisTurn';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AlignOptions } from '../domain/alignVersions';
import { planSourceUpdate, type SourceUpdatePlan } from '../domain/planSourceUpdate';
import { assignIds, bytesHash, textHash, type KnownSegment } from '../domain/assignIds';
import { checkDocumentId, isDocumentId } from '../domain/documentId';
import { readSource, type SourceFormat } from '../domain/segmentDocument';
import type { SourceVersion } from '../domain/sourceVersion';
import { carryWordCounts, knownWordCounts, wordCountsOf } from '../domain/computeProgress';
import type { Segment, SourceDocument } from '../domain/types';
import { WorkbenchError } from '../errors';
import { tempPathOf, writeFileAtomic } from './writeFileAtomic';
import { runOffThread, wholeBuffer } from './writerThread';
import type { StampedSnapshots } from './stampedSnapshots';
import { knownSourceTexts, sourceTextsOf } from './sourceTexts';

export type { SourceUpdatePlan };

/**
 * Where source documents live: `<dir>/<id>.md` (or `.txt`), the sidecar `<id>.segments.json`
 * (segment ids, current version, the record of every version) and `<id>.versions/<n>.md`, a copy
 * of the text of each version.
 */
export interface SourceRepository {
  /** Ids of the documents, sorted. */
  list(): Promise<string[]>;
  /** The segmented current version; 404 when there is none with this id. */
  load(id: string): Promise<SourceDocument>;
  /**
   * The identity of the document's files as they are now (its text and its sidecar, see
   * fileStamp), or undefined when there is no such document: a value worked out from the document
   * and kept with its stamp holds while the stamp is the same.
   */
  stamp(id: string): Promise<string | undefined>;
  /**
   * The document as this process holds it, with its stamp (see stamp), while its files are the ones
   * it was read from; undefined otherwise. Never waits (no lock, no read): for work done inside
   * other writes, which a load could wait behind (see Workbench.keepSummariesCurrent).
   */
  held(id: string): { document: SourceDocument; stamp: string } | undefined;
  /**
   * As held, or else the document as its snapshot keeps it (see keptDocument), read without the
   * project's lock or the document's: for values kept beside a document's own (a locale's snapshot
   * without its source texts), which may be read while the document is updated.
   */
  kept(id: string): Promise<{ document: SourceDocument; stamp: string } | undefined>;
  /**
   * The number of the document's current version, with the stamp of the files it is the version
   * of (see stamp), as this process holds the document or as what is kept beside its snapshot says,
   * without reading the document; undefined when neither says it (the caller loads the document).
   */
  keptVersion(id: string): Promise<{ version: number; stamp: string } | undefined>;
  /** Every recorded version, oldest first. */
  versions(id: string): Promise<SourceVersion[]>;
  /** The text of a document's source file as it is now (another tool's XLIFF file, given back by the `original` export). */
  text(id: string): Promise<string>;
  /** Adds a document as version 1; 409 when the id is taken. */
  create(id: string, content: string, format: SourceFormat, who: string): Promise<SourceDocument>;
  /**
   * Prepares a new version: the text is planned against the current one (planSourceUpdate) while
   * its files are written where nobody reads them. The document stays locked (loads and other
   * updates of it wait) until the caller, having checked the plan, calls `commit` or `discard` —
   * one of the two must follow. A text equal to the current one prepares nothing (`plan.changed`
   * false; commit and discard then only release the document). `bytes`, when the caller has them,
   * are the text's own UTF-8 (a file as it was uploaded, see isTextAsDecoded): hashed and written as
   * they are, not encoded again.
   */
  prepareUpdate(id: string, content: string, who: string, bytes?: Uint8Array): Promise<PreparedSourceUpdate>;
}

/** A version planned and written aside, waiting for its checks: see SourceRepository.prepareUpdate. */
export interface PreparedSourceUpdate {
  plan: SourceUpdatePlan;
  /**
   * Makes the version current: its text copy, then the sidecar (the commit point), then the source
   * file take their places. `alongside`, when given, is work that depends on the new version, done
   * while those files are written: it gets every recorded version (the new one included) and a
   * promise that resolves once the version is committed (or rejects with the reason it could not
   * be); whatever it writes that must not outlive a failed update waits for that promise. It must not
   * use this document through the repository. Fails if the commit fails (with its error), else if
   * `alongside` fails (the version stays).
   */
  commit(alongside?: (versions: SourceVersion[], committed: Promise<void>) => Promise<void>): Promise<SourceUpdatePlan>;
  /** Drops the prepared version: its files are removed, nothing else was written. */
  discard(): Promise<void>;
}

interface Sidecar {
  document: string;
  version: number;
  hash?: string;
  segments: (KnownSegment & { kind: string })[];
  versions: SourceVersion[];
}

/** The key under which a document's snapshot gives the hash of its sidecar, when the sidecar is the one the document makes (see keepDocument). */
const SIDECAR_KEY = 'workbench:sidecar';
/** The key of a kept document's texts (see sourceTextsOf), kept with it. */
const TEXTS_KEY = 'workbench:texts';

/** Whether a sidecar's segments are the document's paragraphs, by id, kind and text, in order (as sidecarOf makes them). */
function sameSegments(known: readonly (KnownSegment & { kind?: string })[], segments: readonly Segment[]): boolean {
  if (known.length !== segments.length) return false;
  for (let i = 0; i < known.length; i++) {
    const a = known[i];
    const b = segments[i];
    if (a.id !== b.id || a.kind !== b.kind || a.text !== b.text || Object.keys(a).length !== 3) return false;
  }
  return true;
}

const EXTENSIONS: Record<string, SourceFormat> = { '.md': 'markdown', '.txt': 'text', '.xlf': 'xliff' };
const extensionOf = (format: SourceFormat): string => (format === 'markdown' ? '.md' : format === 'text' ? '.txt' : '.xlf');

/** The two files of a version's text being written (see startTextWrites): where each goes, and its temp file. */
interface TextWrites {
  snapshot: { path: string; temp: string };
  source: { path: string; temp: string };
  written: Promise<unknown>;
  discard(): Promise<void>;
}

/** Who an on-disk edit is credited to: nobody used the workbench for it. */
export const EDITED_ON_DISK = 'edited on disk';

/** A source repository over a folder. */
export function createFileSourceRepository(options: { dir: string; now?: () => Date; align?: AlignOptions; lock?: ProjectLock; snapshots?: StampedSnapshots }): SourceRepository {
  const { dir, snapshots } = options;
  const now = options.now ?? (() => new Date());
  /** The project's write lock (see ProjectLock): every write holds it, as does every read that may write. */
  const lock = options.lock ?? localLock();
  const cache = new Map<string, { stamp: FileIdentity; document: SourceDocument; sidecar: Sidecar; file: string }>();
  /** Loads and updates of one document never interleave (the project's lock first, then the document's). */
  const perDocument = keyedLock();
  const exclusive = <T>(id: string, task: () => Promise<T>): Promise<T> => lock.hold(() => perDocument(id, task));

  const sidecarPath = (id: string) => path.join(dir, `${id}.segments.json`);
  const snapshotPath = (id: string, version: number, format: SourceFormat) => path.join(dir, `${id}.versions`, `${version}${extensionOf(format)}`);

  async function locate(id: string): Promise<{ file: string; format: SourceFormat } | undefined> {
    if (!isDocumentId(id)) return undefined;
    for (const [extension, format] of Object.entries(EXTENSIONS)) {
      const file = path.join(dir, `${id}${extension}`);
      try {
        if ((await fsp.stat(file)).isFile()) return { file, format };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}`, { cause: err });
      }
    }
    return undefined;
  }

  /** The identity of a document's text and sidecar as they are now (see SourceRepository.stamp). */
  async function stampOf(id: string): Promise<string | undefined> {
    const found = await locate(id); // undefined for anything not a document id
    return found && stampNow(id, found.file);
  }

  /** Whether a document changed on disk, asked at every save: one stat per file and turn (see statsThisTurn). */
  const turnStats = statsThisTurn();

  /**
   * stampOf for the text `file` (the one locate found before), made with synchronous stats (see
   * cachedIfCurrent); undefined when it is not the one locate finds now, or a file is gone.
   */
  function stampNow(id: string, file: string): string | undefined {
    try {
      if (!stillPreferred(id, file)) return undefined;
      const [text, sidecar] = [turnStats.stat(file), turnStats.stat(sidecarPath(id))];
      return text && sidecar && `${file} ${fileStamp(text)} ${fileStamp(sidecar)}`;
    } catch {
      return undefined;
    }
  }

  /** True unless a text of a format locate prefers to `file`'s has come beside it (doc.md next to doc.txt). */
  function stillPreferred(id: string, file: string): boolean {
    for (const extension of Object.keys(EXTENSIONS)) {
      const preferred = path.join(dir, `${id}${extension}`);
      if (preferred === file) return true;
      if (turnStats.stat(preferred)) return false;
    }
    return true;
  }

  /** Documents read from their snapshots (see StampedSnapshots), with their stamp: used until this process loads the document itself. */
  const keptDocuments = new Map<string, { stamp: string; file: string; document: SourceDocument; versions?: SourceVersion[]; sidecarHash?: string }>();

  /**
   * The document from its snapshot, when one was kept of its text and sidecar as they are now: a
   * new process reads the document without hashing and segmenting a book's text again. Not when
   * this process has loaded the document itself (its cache is checked as always then).
   */
  async function keptDocument(id: string): Promise<SourceDocument | undefined> {
    if (!snapshots || cache.has(id)) return undefined;
    const known = keptDocuments.get(id);
    // Read again by a server on every request: checked with synchronous stats (see cachedIfCurrent).
    if (known && known.stamp === stampNow(id, known.file)) return known.document;
    // One read at a time per document: a page reads the document and a locale's snapshot (which
    // needs the document's texts) side by side.
    let reading = keptReads.get(id);
    if (!reading) {
      keptReads.set(id, (reading = readKeptDocument(id)));
      void reading.finally(() => keptReads.delete(id)).catch(() => undefined);
    }
    return reading;
  }

  /** See SourceRepository.held. */
  function heldNow(id: string): { document: SourceDocument; stamp: string } | undefined {
    // The document this process loaded, while current (see cachedIfCurrent)...
    if (cache.has(id)) {
      const cached = cachedIfCurrent(id);
      const stamp = cached && stampNow(id, cached.file);
      return cached && stamp !== undefined ? { document: cached.document, stamp } : undefined;
    }
    // ...or the one it read from its snapshot, under the stamp it was kept with (see keptDocument).
    const kept = keptDocuments.get(id);
    return kept && kept.stamp === stampNow(id, kept.file) ? { document: kept.document, stamp: kept.stamp } : undefined;
  }

  const keptReads = new Map<string, Promise<SourceDocument | undefined>>();

  async function readKeptDocument(id: string): Promise<SourceDocument | undefined> {
    const found = await locate(id);
    const stamp = found && stampNow(id, found.file);
    if (!found || stamp === undefined) return undefined;
    const kept = (await snapshots?.read(id, stamp)) as (SourceDocument & { words?: unknown; [SIDECAR_KEY]?: unknown; [TEXTS_KEY]?: unknown }) | undefined;
    if (!kept || kept.id !== id || !Array.isArray(kept.segments) || typeof kept.version !== 'number') return undefined;
    const { words, [SIDECAR_KEY]: sidecarHash, [TEXTS_KEY]: textsKey, ...document } = kept;
    knownWordCounts(document.segments, words);
    if (typeof textsKey === 'string') knownSourceTexts(document, textsKey);
    keptDocuments.set(id, { stamp, file: found.file, document, sidecarHash: typeof sidecarHash === 'string' ? sidecarHash : undefined });
    return document;
  }

  /**
   * Keeps a segmented document for the next process, with its paragraphs' word counts (see
   * knownWordCounts) and its sidecar's versions. When the sidecar is exactly the one the document
   * makes (see sidecarOf: its paragraphs' ids, kinds and texts, in order), the snapshot says so with
   * the sidecar's hash, and the next process takes the sidecar from it without reading the file
   * (see keptSidecar).
   */
  function keepDocument(id: string, stamp: string, document: SourceDocument, sidecar: Sidecar): void {
    const exact = sidecar.hash !== undefined && sidecar.document === id && sidecar.version === document.version && sameSegments(sidecar.segments, document.segments);
    // Counted when the snapshot is made (in the background), by then usually known already.
    snapshots?.write(id, stamp, {
      ...document,
      ...(exact ? { [SIDECAR_KEY]: sidecar.hash } : {}),
      get words() {
        return wordCountsOf(document.segments, document.meta.language);
      },
      // The texts' key: a locale's snapshot is read under it (see sourceTextsOf).
      get [TEXTS_KEY]() {
        return sourceTextsOf(document).key;
      },
    });
    // The versions beside it (see versions): the next process does not read the sidecar for them.
    snapshots?.write(`${id}.versions`, stamp, sidecar.versions);
    // And its number (see keptVersion): a kept edition or drift report is found without reading the document.
    snapshots?.write(`${id}.version`, stamp, document.version);
  }

  /**
   * The sidecar of a document read from its snapshot, made from the snapshot when it says the
   * sidecar is the one the document makes (see keepDocument), with the versions kept beside it
   * (see versions): a book's sidecar is 9 MB of JSON, most of it the text the document holds
   * already. Undefined when it cannot be (the file is read instead).
   */
  async function keptSidecar(id: string, document: SourceDocument): Promise<Sidecar | undefined> {
    const hash = keptDocuments.get(id)?.sidecarHash;
    const versions = hash === undefined ? undefined : await keptVersions(id, document);
    return hash === undefined || versions === undefined ? undefined : sidecarOf(document, hash, versions);
  }

  /**
   * The versions kept beside a document read from its snapshot (see keepDocument), under the same
   * stamp and ending with its version; read once while the files are unchanged, undefined when
   * there are none.
   */
  async function keptVersions(id: string, document: SourceDocument): Promise<SourceVersion[] | undefined> {
    const known = keptDocuments.get(id);
    if (known?.document !== document) return undefined;
    if (known.versions) return known.versions;
    const versions = (await snapshots?.read(`${id}.versions`, known.stamp)) as SourceVersion[] | undefined;
    if (!Array.isArray(versions) || versions.at(-1)?.number !== document.version) return undefined;
    known.versions = versions;
    return versions;
  }

  async function identityOf(file: string): Promise<FileIdentity> {
    return fileIdentity(await fsp.stat(file));
  }

  async function readSidecar(id: string): Promise<Sidecar | undefined> {
    const file = sidecarPath(id);
    let content: string;
    try {
      content = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new Error(`Cannot read ${file}`, { cause: err });
    }
    try {
      const data = JSON.parse(content) as Partial<Sidecar>;
      if (!Array.isArray(data.segments)) throw new Error('no segments list');
      // A sidecar written before versions were recorded holds ids only: its text becomes version 1.
      return { document: id, version: data.version ?? 0, hash: data.hash, segments: data.segments, versions: data.versions ?? [] };
    } catch (cause) {
      throw new WorkbenchError(500, 'sidecar-invalid', `source/${id}.segments.json is not a valid segment sidecar (${(cause as Error).message}); restore it from version control to keep the segment ids.`, { cause });
    }
  }

  function toDocument(id: string, meta: SourceDocument['meta'], segments: Segment[], version: number): SourceDocument {
    return { id, meta, segments, version };
  }

  function sidecarOf(document: SourceDocument, hash: string, versions: SourceVersion[]): Sidecar {
    return { document: document.id, version: document.version, hash, segments: document.segments.map(({ id, kind, text }) => ({ id, kind, text })), versions };
  }

  /**
   * Starts writing the two files holding a version's text, its copy and the source file, into temp
   * files nobody reads (they take their places in `commit`, or are removed by `discard`), and
   * working out the text's hash (as textHash does), on the writer thread. With `bytes` (the text's
   * UTF-8), those are written: the thread gets a copy of a few megabytes of bytes, not the text to
   * copy and encode.
   */
  function startTextWrites(id: string, format: SourceFormat, content: string, version: number, bytes?: Uint8Array): TextWrites {
    const snapshot = { path: snapshotPath(id, version, format), temp: '' };
    const source = { path: path.join(dir, `${id}${extensionOf(format)}`), temp: '' };
    snapshot.temp = tempPathOf(snapshot.path);
    source.temp = tempPathOf(source.path);
    const written = runOffThread([{ op: 'write', files: [{ path: snapshot.temp, dir: path.dirname(snapshot.path) }, { path: source.temp }], data: bytes ? { bytes } : { texts: [content] } }]);
    // A failure is reported by commit (or dropped with the update): never left unhandled meanwhile.
    written.catch(() => undefined);
    return {
      snapshot,
      source,
      written,
      async discard() {
        await written.catch(() => undefined);
        await Promise.all([snapshot.temp, source.temp].map((temp) => fsp.unlink(temp).catch(() => undefined)));
        // Nothing half-made: the versions folder of a first version goes too (rmdir leaves a folder that holds anything).
        await fsp.rmdir(path.dirname(snapshot.path)).catch(() => undefined);
      },
    };
  }

  /**
   * Writes a version: the copy of its text, then the sidecar (the commit point), then the source
   * file, each written and fsynced in a temp file nobody reads (the text's may have been started
   * before, see startTextWrites), then renamed into place once the one before it is in place, each
   * rename made durable before the next: the order in which they appear, and survive a crash, is
   * the one above. All of it runs on the writer thread (see writerThread), whatever the main thread
   * does meanwhile. `atCommitPoint` is called once the sidecar is in place, before the source file
   * is (an update stopped between the two is finished by the next load, see loadFresh).
   */
  async function commit(
    id: string,
    format: SourceFormat,
    content: string,
    sidecar: Sidecar,
    atCommitPoint?: () => void,
    text: TextWrites = startTextWrites(id, format, content, sidecar.version),
  ): Promise<void> {
    const sidecarFile = sidecarPath(id);
    const sidecarTemp = tempPathOf(sidecarFile);
    let committed = false;
    // The sidecar's text (about as long as the source) is made here, as UTF-8 bytes moved to the
    // thread: the sidecar itself (16,000 segments for a book) took the structured clone of every
    // object, and its garbage, on both threads (25 MB more memory); its text as a string, a copy of
    // 9 million characters (a tenth of a second for a book, the bytes made here a third of it).
    const sidecarBytes = Buffer.from(`${JSON.stringify(sidecar, null, 1)}\n`, 'utf8');
    const sidecarData = wholeBuffer(sidecarBytes);
    const sequence = runOffThread(
      [
        { op: 'rename', from: text.snapshot.temp, to: text.snapshot.path },
        { op: 'syncDir', dir: path.dirname(text.snapshot.path) },
        { op: 'write', files: [{ path: sidecarTemp }], data: { bytes: sidecarBytes } },
        { op: 'rename', from: sidecarTemp, to: sidecarFile },
        { op: 'syncDir', dir },
        { op: 'signal' },
        { op: 'rename', from: text.source.temp, to: text.source.path },
        { op: 'syncDir', dir },
      ],
      () => {
        committed = true;
        turnStats.forget();
        atCommitPoint?.();
      },
      sidecarData && [sidecarData],
    );
    // The text's own failure first (the sequence, after it, then finds no file to rename).
    const [written, done] = await Promise.allSettled([text.written, sequence]);
    turnStats.forget();
    if (written.status === 'fulfilled' && done.status === 'fulfilled') return;
    await text.discard(); // what did not take its place (the copy may have: harmless, nothing names it)
    if (written.status === 'rejected' && !committed) throw written.reason;
    throw (done as PromiseRejectedResult).reason;
  }


  /**
   * A document as loadFresh gives it. The cached one, while its file is unchanged, is read without
   * the project's lock (it is never written, and reading it writes nothing), after whatever this
   * process is doing to the document; otherwise the document is read, perhaps recorded as a new
   * version (edited on disk) or an interrupted update finished, under the lock.
   */
  async function loadShared(id: string): Promise<{ document: SourceDocument; sidecar: Sidecar }> {
    const cached = await perDocument(id, async () => cachedIfCurrent(id));
    return cached ?? exclusive(id, () => loadFresh(id));
  }

  function cachedIfCurrent(id: string): { document: SourceDocument; sidecar: Sidecar; file: string } | undefined {
    const cached = cache.get(id);
    if (!cached) return undefined;
    // Synchronous stats of the file the entry was read from (microseconds, where a stat through
    // the thread pool waits behind its other work): unchanged, the entry holds, unless a file of a
    // format locate prefers has come beside it (doc.md next to doc.txt).
    try {
      const stats = turnStats.stat(cached.file);
      if (!stats || !sameFile(cached.stamp, fileIdentity(stats))) return undefined;
      return stillPreferred(id, cached.file) ? cached : undefined;
    } catch {
      return undefined;
    }
  }

  async function loadFresh(id: string): Promise<{ document: SourceDocument; sidecar: Sidecar }> {
    const found = await locate(id);
    if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`, { params: { id } });
    const stamp = await identityOf(found.file);
    const cached = cache.get(id);
    if (cached && sameFile(cached.stamp, stamp)) return cached;
    // Taken before the files are read: a snapshot made from files changed meanwhile is kept under a stamp nothing matches.
    const keptStamp = snapshots && (await stampOf(id));
    // The document kept under exactly these files' stamp (see keptDocument; only ever kept of a
    // text its sidecar describes): the sidecar alone is read, for the record of versions, not the
    // text (no hash, no segmentation of a book's 7 MB).
    const kept = keptStamp !== undefined && !cache.has(id) ? await keptDocument(id) : undefined;
    if (kept && keptDocuments.get(id)?.stamp === keptStamp) {
      const sidecar = (await keptSidecar(id, kept)) ?? (await readSidecar(id));
      if (sidecar && sidecar.version > 0 && sidecar.version === kept.version && sidecar.segments.length === kept.segments.length) {
        const entry = { stamp, document: kept, sidecar, file: found.file };
        cache.set(id, entry);
        return entry;
      }
    }

    let content = await fsp.readFile(found.file, 'utf8');
    let hash = textHash(content);
    const sidecar = await readSidecar(id);
    let result: { document: SourceDocument; sidecar: Sidecar };

    if (!sidecar || sidecar.version === 0) {
      // First sight of this text (or a sidecar from before versions): it is version 1.
      const { meta, blocks } = readSource(id, content, found.format);
      const segments = assignIds(blocks, sidecar?.segments ?? []);
      const document = toDocument(id, meta, segments, 1);
      const counts = { unchanged: 0, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: segments.length, deleted: 0 };
      const first: SourceVersion = { number: 1, date: now().toISOString(), hash, who: 'import', counts, changes: [], deleted: [] };
      result = { document, sidecar: sidecarOf(document, hash, [first]) };
      await commit(id, found.format, content, result.sidecar);
    } else {
      if (sidecar.hash !== hash) {
        const previousVersion = sidecar.versions.find((v) => v.number === sidecar.version - 1);
        const snapshot = await readSnapshot(id, sidecar.version, found.format);
        if (previousVersion && previousVersion.hash === hash && snapshot !== undefined && textHash(snapshot) === sidecar.hash) {
          // An update stopped after its commit point: finish it by writing the committed text.
          await writeFileAtomic(found.file, snapshot);
          turnStats.forget();
          content = snapshot;
          hash = sidecar.hash;
        }
      }
      if (sidecar.hash === hash) {
        // The text the sidecar describes: the same blocks, so the same ids, position by position.
        const { meta, blocks } = readSource(id, content, found.format);
        const same = blocks.length === sidecar.segments.length && blocks.every((b, i) => b.text === sidecar.segments[i].text);
        const segments = same ? blocks.map((b, i) => ({ id: sidecar.segments[i].id, ...b })) : assignIds(blocks, sidecar.segments);
        result = { document: toDocument(id, meta, segments, sidecar.version), sidecar };
        if (keptStamp && keptDocuments.get(id)?.stamp !== keptStamp) keepDocument(id, keptStamp, result.document, sidecar);
      } else {
        // The file was changed by hand (or by version control): record it as a new version
        // (planSourceUpdate segments the text itself).
        const current = toDocument(id, { title: id, language: 'en' }, [], sidecar.version);
        current.segments = sidecar.segments.map(({ id: segmentId, kind, text }) => ({ id: segmentId, kind: kind as Segment['kind'], text, translatable: true }));
        const update = planSourceUpdate({ document: current, known: sidecar.segments }, content, { format: found.format, hash, who: EDITED_ON_DISK, date: now(), align: options.align });
        result = { document: update.document, sidecar: sidecarOf(update.document, hash, [...sidecar.versions, update.version]) };
        await commit(id, found.format, content, result.sidecar);
      }
    }
    const entry = { stamp: await identityOf(found.file), ...result, file: found.file };
    cache.set(id, entry);
    return entry;
  }

  async function readSnapshot(id: string, version: number, format: SourceFormat): Promise<string | undefined> {
    try {
      return await fsp.readFile(snapshotPath(id, version, format), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** See prepareUpdate: runs under the document's lock; `release` frees it once committed or discarded. */
  async function prepare(id: string, content: string, who: string, release: () => void, bytes?: Uint8Array): Promise<PreparedSourceUpdate> {
    const current = await loadFresh(id);
    const found = await locate(id);
    if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`, { params: { id } });
    // The files that hold the new text are written while it is segmented and aligned (they are
    // removed if the update goes no further).
    const text = startTextWrites(id, found.format, content, current.document.version + 1, bytes);
    let update: SourceUpdatePlan;
    let hash: string;
    try {
      // Here, not on the writer thread: a book's text hashes in a few tens of milliseconds, where
      // waiting for the thread to start, copy the text and hash it took a hundred.
      hash = bytes ? bytesHash(bytes) : textHash(content);
      if (hash === current.sidecar.hash) {
        await text.discard();
        const last = current.sidecar.versions[current.sidecar.versions.length - 1];
        const unchanged: SourceUpdatePlan = { previous: current.document, document: current.document, version: last, changed: false };
        // Nothing to write: committing or discarding only releases the document (no work alongside).
        const done = async () => {
          release();
          return unchanged;
        };
        return { plan: unchanged, commit: done, discard: async () => void (await done()) };
      }
      update = planSourceUpdate({ document: current.document, known: current.sidecar.segments }, content, { format: found.format, hash, who, date: now(), align: options.align });
      carryWordCounts(current.document, update.document);
    } catch (err) {
      await text.discard();
      throw err;
    }
    let settled = false;
    const once = () => {
      if (settled) throw new Error('This source update was already committed or discarded.');
      settled = true;
    };
    return {
      plan: update,
      async discard() {
        once();
        try {
          await text.discard();
        } finally {
          release();
        }
      },
      async commit(alongside) {
        once();
        try {
          const sidecar = sidecarOf(update.document, hash, [...current.sidecar.versions, update.version]);
          cache.delete(id);
          let reachedCommitPoint = (): void => undefined;
          const commitPoint = new Promise<void>((resolve) => {
            reachedCommitPoint = resolve;
          });
          const committing = commit(id, found.format, content, sidecar, () => reachedCommitPoint(), text);
          // Resolved at the commit point, rejected by a failure before it.
          const committed = Promise.race([commitPoint, committing]);
          committed.catch(() => undefined); // a failure is reported by the update, whether or not `alongside` looks
          const [written, done] = await Promise.allSettled([committing, alongside?.(sidecar.versions, committed)]);
          if (written.status === 'rejected') throw written.reason;
          cache.set(id, { stamp: await identityOf(found.file), document: update.document, sidecar, file: found.file });
          // The next process (a server started after a CLI update) reads the new version from its
          // snapshot instead of reading, hashing and segmenting the text again.
          const stamp = snapshots && (await stampOf(id));
          if (stamp) keepDocument(id, stamp, update.document, sidecar);
          if (done.status === 'rejected') throw done.reason;
          return update;
        } finally {
          release();
        }
      },
    };
  }

  return {
    async list() {
      let names: string[];
      try {
        names = await fsp.readdir(dir);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw new Error(`Cannot read ${dir}`, { cause: err });
      }
      const ids = new Set<string>();
      for (const name of names) {
        const extension = path.extname(name);
        const id = name.slice(0, -extension.length);
        if (EXTENSIONS[extension] && isDocumentId(id)) ids.add(id);
      }
      return [...ids].sort();
    },

    async load(id) {
      return (await keptDocument(id)) ?? (await loadShared(id)).document;
    },

    stamp: stampOf,

    held: heldNow,

    async kept(id) {
      const held = heldNow(id);
      if (held) return held;
      await keptDocument(id).catch(() => undefined);
      return heldNow(id);
    },

    async keptVersion(id) {
      const held = heldNow(id);
      if (held) return { version: held.document.version, stamp: held.stamp };
      const found = await locate(id);
      const stamp = found && stampNow(id, found.file);
      if (stamp === undefined || !snapshots) return undefined;
      // Kept beside the document when it was kept (see keepDocument).
      const number = await snapshots.read(`${id}.version`, stamp);
      return typeof number === 'number' && Number.isInteger(number) && number >= 1 ? { version: number, stamp } : undefined;
    },

    async text(id) {
      const found = await locate(id);
      if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`, { params: { id } });
      return fsp.readFile(found.file, 'utf8');
    },

    async versions(id) {
      // With a document read from its snapshot, the record of versions is in the sidecar alone:
      // read once while the files are unchanged (a book's sidecar is megabytes; the document's
      // page asks for its versions at every view). Not to be changed by the caller.
      const kept = await keptDocument(id);
      if (kept) {
        // Kept too, beside the document, under the same stamp: the versions are a small part of the sidecar.
        const versions = await keptVersions(id, kept);
        if (versions) return versions;
        const sidecar = await readSidecar(id);
        if (sidecar?.version === kept.version) {
          const known = keptDocuments.get(id);
          if (known?.document === kept) {
            known.versions = sidecar.versions;
            snapshots?.write(`${id}.versions`, known.stamp, sidecar.versions);
          }
          return sidecar.versions;
        }
      }
      return (await loadShared(id)).sidecar.versions;
    },

    create(id, content, format, who) {
      checkDocumentId(id);
      return exclusive(id, async () => {
        if (await locate(id)) throw new WorkbenchError(409, 'document-exists', `There is already a document "${id}": update it instead.`, { params: { id } });
        const { meta, blocks } = readSource(id, content, format);
        const segments = assignIds(blocks);
        const document = toDocument(id, meta, segments, 1);
        const counts = { unchanged: 0, moved: 0, minor: 0, edited: 0, split: 0, merged: 0, new: segments.length, deleted: 0 };
        const hash = textHash(content);
        const first: SourceVersion = { number: 1, date: now().toISOString(), hash, who, counts, changes: [], deleted: [] };
        await commit(id, format, content, sidecarOf(document, hash, [first]));
        return document;
      });
    },

    prepareUpdate(id, content, who, bytes) {
      // The caller commits later: what it does meanwhile is under the same hold (see LocaleStore.prepareUpdate).
      if (!lock.isHeld()) throw new Error('SourceRepository.prepareUpdate must be called inside a hold of the project lock.');
      return new Promise<PreparedSourceUpdate>((resolvePrepared, rejectPrepared) => {
        // The document's lock is held from here until commit or discard settles.
        void exclusive(id, async () => {
          let release = (): void => undefined;
          const released = new Promise<void>((resolve) => {
            release = resolve;
          });
          let prepared: PreparedSourceUpdate;
          try {
            prepared = await prepare(id, content, who, release, bytes);
          } catch (err) {
            rejectPrepared(err);
            return;
          }
          resolvePrepared(prepared);
          await released;
        });
      });
    },
  };
}
