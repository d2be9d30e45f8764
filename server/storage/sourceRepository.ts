import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isDocumentId } from '../domain/documentId';
import type { KnownSegment } from '../domain/assignIds';
import { segmentDocument, type SourceFormat } from '../domain/segmentDocument';
import type { SourceDocument } from '../domain/types';
import { WorkbenchError } from '../errors';
import { writeFileAtomic } from './writeFileAtomic';

/** Where source documents live: `<dir>/<id>.md` (or `.txt`), each with its segment-id sidecar `<id>.segments.json`. */
export interface SourceRepository {
  /** Ids of the documents, sorted. */
  list(): Promise<string[]>;
  /** The segmented document; 404 when there is none with this id. */
  load(id: string): Promise<SourceDocument>;
}

/** The sidecar: the ids given to the segments of the source as last seen, so the next version can keep them. */
interface Sidecar {
  document: string;
  segments: (KnownSegment & { kind: string })[];
}

const EXTENSIONS: Record<string, SourceFormat> = { '.md': 'markdown', '.txt': 'text' };

/** A source repository over a folder. Segment ids are persisted in the sidecar whenever the source text changed. */
export function createFileSourceRepository(options: { dir: string }): SourceRepository {
  const { dir } = options;
  const cache = new Map<string, { stamp: string; document: SourceDocument }>();
  const pending = new Map<string, Promise<SourceDocument>>();

  async function locate(id: string): Promise<{ file: string; format: SourceFormat; stamp: string } | undefined> {
    if (!isDocumentId(id)) return undefined;
    for (const [extension, format] of Object.entries(EXTENSIONS)) {
      const file = path.join(dir, `${id}${extension}`);
      try {
        const stat = await fsp.stat(file);
        if (stat.isFile()) return { file, format, stamp: `${stat.mtimeMs}:${stat.size}` };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`Cannot read ${file}`, { cause: err });
      }
    }
    return undefined;
  }

  async function readSidecar(file: string): Promise<KnownSegment[]> {
    let content: string;
    try {
      content = await fsp.readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`Cannot read ${file}`, { cause: err });
    }
    try {
      const sidecar = JSON.parse(content) as Sidecar;
      return sidecar.segments.filter((s) => typeof s.id === 'string' && typeof s.text === 'string');
    } catch (cause) {
      throw new WorkbenchError(500, 'sidecar-invalid', `${file} is not a valid segment sidecar (${(cause as Error).message}); restore it from version control to keep the segment ids.`, { cause });
    }
  }

  async function loadFresh(id: string): Promise<SourceDocument> {
    const found = await locate(id);
    if (!found) throw new WorkbenchError(404, 'document-not-found', `There is no document "${id}".`);
    const cached = cache.get(id);
    if (cached && cached.stamp === found.stamp) return cached.document;
    const content = await fsp.readFile(found.file, 'utf8');
    const sidecarFile = path.join(dir, `${id}.segments.json`);
    const known = await readSidecar(sidecarFile);
    const document = segmentDocument(id, content, found.format, known);
    const unchanged =
      known.length === document.segments.length && known.every((s, i) => s.id === document.segments[i].id && s.text === document.segments[i].text);
    if (!unchanged) {
      const sidecar: Sidecar = { document: id, segments: document.segments.map(({ id: segmentId, kind, text }) => ({ id: segmentId, kind, text })) };
      await writeFileAtomic(sidecarFile, `${JSON.stringify(sidecar, null, 1)}\n`);
    }
    cache.set(id, { stamp: found.stamp, document });
    return document;
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
    load(id) {
      // One load per document at a time: two requests must not write the sidecar twice.
      const running = pending.get(id);
      if (running) return running;
      const promise = loadFresh(id).finally(() => pending.delete(id));
      pending.set(id, promise);
      return promise;
    },
  };
}
