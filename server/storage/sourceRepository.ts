import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { alignVersions, type Alignment, type AlignOptions } from '../domain/alignVersions';
import { assignIds, textHash, type KnownSegment } from '../domain/assignIds';
import { isDocumentId } from '../domain/documentId';
import { readSource, type SourceFormat } from '../domain/segmentDocument';
import type { SourceChange, SourceVersion } from '../domain/sourceVersion';
import type { Segment, SourceDocument } from '../domain/types';
import { WorkbenchError } from '../errors';
import { writeFileAtomic } from './writeFileAtomic';

/** A source update, aligned but not yet written: what `confirm` gets to inspect. */
export interface SourceUpdatePlan {
  previous: SourceDocument;
  document: SourceDocument;
  version: SourceVersion;
  /** False when the new text is the same as the current one: nothing is written. */
  changed: boolean;
}

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
  /** Every recorded version, oldest first. */
  versions(id: string): Promise<SourceVersion[]>;
  /** Adds a document as version 1; 409 when the id is taken. */
  create(id: string, content: string, format: SourceFormat, who: string): Promise<SourceDocument>;
  /**
   * Records a new version: the text is segmented and aligned with the current one; `confirm` may
   * refuse the plan by throwing, and nothing is written then. Updates of one document are serialized.
   */
  update(id: string, content: string, who: string, confirm?: (plan: SourceUpdatePlan) => void | Promise<void>): Promise<SourceUpdatePlan>;
}

interface Sidecar {
  document: string;
  version: number;
  hash?: string;
  segments: (KnownSegment & { kind: string })[];
  versions: SourceVersion[];
}

const EXTENSIONS: Record<string, SourceFormat> = { '.md': 'markdown', '.txt': 'text' };
const extensionOf = (format: SourceFormat): string => (format === 'markdown' ? '.md' : '.txt');

/** Who an on-disk edit is credited to: nobody used the workbench for it. */
export const EDITED_ON_DISK = 'edited on disk';

/** A source repository over a folder. */
export function createFileSourceRepository(options: { dir: string; now?: () => Date; align?: AlignOptions }): SourceRepository {
  const { dir } = options;
  const now = options.now ?? (() => new Date());
  const cache = new Map<string, { stamp: string; document: SourceDocument; sidecar: Sidecar }>();
  const locks = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier task on the same document: loads and updates never interleave. */
  function exclusive<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = locks.get(id) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => {
      if (locks.get(id) === settled) locks.delete(id);
    });
    return next;
  }

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

  async function stampOf(file: string): Promise<string> {
    const stat = await fsp.stat(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
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

  /** Writes a version: the copy of its text, then the sidecar (the commit point), then the source file. */
  async function commit(id: string, format: SourceFormat, content: string, sidecar: Sidecar): Promise<void> {
    await fsp.mkdir(path.join(dir, `${id}.versions`), { recursive: true });
    await writeFileAtomic(snapshotPath(id, sidecar.version, format), content);
    await writeFileAtomic(sidecarPath(id), `${JSON.stringify(sidecar, null, 1)}\n`);
    await writeFileAtomic(path.join(dir, `${id}${extensionOf(format)}`), content);
  }

  function plan(previous: SourceDocument, meta: SourceDocument['meta'], alignment: Alignment, hash: string, who: string): SourceUpdatePlan {
    const changes: SourceChange[] = alignment.segments
      .filter((s) => s.label !== 'unchanged')
      .map((s) => ({ id: s.id, label: s.label as SourceChange['label'], from: s.from, text: s.text }));
    const segments: Segment[] = alignment.segments.map(({ label: _label, from: _from, ...segment }) => segment);
    const number = previous.version + 1;
    const version: SourceVersion = { number, date: now().toISOString(), hash, who, counts: alignment.counts, changes, deleted: alignment.deleted };
    return { previous, document: toDocument(previous.id, meta, segments, number), version, changed: true };
  }

  async function loadFresh(id: string): Promise<{ document: SourceDocument; sidecar: Sidecar }> {
    const found = await locate(id);
    if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`);
    const stamp = await stampOf(found.file);
    const cached = cache.get(id);
    if (cached && cached.stamp === stamp) return cached;

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
          content = snapshot;
          hash = sidecar.hash;
        }
      }
      const current = toDocument(id, { title: id, language: 'en' }, [], sidecar.version);
      current.segments = sidecar.segments.map(({ id: segmentId, kind, text }) => ({ id: segmentId, kind: kind as Segment['kind'], text, translatable: true }));
      const { meta, blocks } = readSource(id, content, found.format);
      if (sidecar.hash === hash) {
        // The text the sidecar describes: the same blocks, so the same ids, position by position.
        const same = blocks.length === sidecar.segments.length && blocks.every((b, i) => b.text === sidecar.segments[i].text);
        const segments = same ? blocks.map((b, i) => ({ id: sidecar.segments[i].id, ...b })) : assignIds(blocks, sidecar.segments);
        result = { document: toDocument(id, meta, segments, sidecar.version), sidecar };
      } else {
        // The file was changed by hand (or by version control): record it as a new version.
        const update = plan(current, meta, alignVersions(blocks, sidecar.segments, options.align), hash, EDITED_ON_DISK);
        result = { document: update.document, sidecar: sidecarOf(update.document, hash, [...sidecar.versions, update.version]) };
        await commit(id, found.format, content, result.sidecar);
      }
    }
    const entry = { stamp: await stampOf(found.file), ...result };
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
      return (await exclusive(id, () => loadFresh(id))).document;
    },

    async versions(id) {
      return (await exclusive(id, () => loadFresh(id))).sidecar.versions;
    },

    create(id, content, format, who) {
      if (!isDocumentId(id)) {
        throw new WorkbenchError(400, 'invalid-document', 'A document id is 1 to 64 lower-case letters, digits and hyphens (not at either end).');
      }
      return exclusive(id, async () => {
        if (await locate(id)) throw new WorkbenchError(409, 'document-exists', `There is already a document "${id}": update it instead.`);
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

    update(id, content, who, confirm) {
      return exclusive(id, async () => {
        const current = await loadFresh(id);
        const found = await locate(id);
        if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`);
        const hash = textHash(content);
        const { meta, blocks } = readSource(id, content, found.format);
        if (hash === current.sidecar.hash) {
          const last = current.sidecar.versions[current.sidecar.versions.length - 1];
          return { previous: current.document, document: current.document, version: last, changed: false };
        }
        const update = plan(current.document, meta, alignVersions(blocks, current.sidecar.segments, options.align), hash, who);
        await confirm?.(update);
        const sidecar = sidecarOf(update.document, hash, [...current.sidecar.versions, update.version]);
        cache.delete(id);
        await commit(id, found.format, content, sidecar);
        cache.set(id, { stamp: await stampOf(found.file), document: update.document, sidecar });
        return update;
      });
    },
  };
}
