import { createHash } from 'node:crypto';
import type { SourceDocument } from '../domain/types';
import type { SourceRepository } from './sourceRepository';

/**
 * The paragraphs' texts of one version of a document, under a key that names exactly those texts
 * (the document, its version and a SHA-256 of every id and text in order). A locale's snapshot
 * leaves out the source texts of its units that are their paragraphs' own and names the key it
 * was made with: it is read back only by a process holding the very same texts, which fills them
 * in. A book's five locales otherwise repeat its 7.5 MB of text five times, and a command reading
 * them decodes and collects every copy.
 */
export interface SourceTexts {
  readonly key: string;
  textOf(id: string): string | undefined;
}

const known = new WeakMap<SourceDocument, SourceTexts>();

/** The texts of `document` (worked out once per document: a version is never changed, a new one is a new object). */
export function sourceTextsOf(document: SourceDocument): SourceTexts {
  let texts = known.get(document);
  if (texts) return texts;
  const hash = createHash('sha256');
  for (const segment of document.segments) hash.update(segment.id).update('\0').update(segment.text).update('\0');
  texts = textsUnder(document, `${document.id}@${document.version}:${hash.digest('hex')}`);
  known.set(document, texts);
  return texts;
}

/**
 * Says that `key` is the key sourceTextsOf gives `document`: for a document read from a snapshot
 * that was kept with its key (see the source repository), made of the very same document by the
 * same build. Its 16,000 texts are then not hashed again by every command that reads a locale.
 */
export function knownSourceTexts(document: SourceDocument, key: string): void {
  if (!known.has(document)) known.set(document, textsUnder(document, key));
}

/** The texts of `document` under `key`, looked up by id through a map made at the first lookup. */
function textsUnder(document: SourceDocument, key: string): SourceTexts {
  let byId: Map<string, string> | undefined;
  return {
    key,
    textOf(id) {
      byId ??= new Map(document.segments.map((segment) => [segment.id, segment.text]));
      return byId.get(id);
    },
  };
}

/** What a locale store takes the texts of a document's current version from (see createFileLocaleStore's sourceTexts). */
export interface SourceTextsOf {
  /** The texts of the version this process holds, never waiting. */
  held(document: string): SourceTexts | undefined;
  /** The texts of the version held, or read from its own snapshot, never behind a lock. */
  kept(document: string): Promise<SourceTexts | undefined>;
}

/** The texts of the documents of `sources` (see SourceRepository.held and kept). */
export function sourceTextsFrom(sources: Pick<SourceRepository, 'held' | 'kept'>): SourceTextsOf {
  return {
    held(document) {
      const held = sources.held(document);
      return held && sourceTextsOf(held.document);
    },
    async kept(document) {
      const kept = await sources.kept(document);
      return kept && sourceTextsOf(kept.document);
    },
  };
}
