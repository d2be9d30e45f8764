import { alignVersions, type AlignOptions } from './alignVersions';
import type { KnownSegment } from './assignIds';
import { readSource, type SourceFormat } from './segmentDocument';
import type { SourceChange, SourceVersion } from './sourceVersion';
import type { Segment, SourceDocument } from './types';

/** A source update, aligned but not yet written: what the checks before it is written look at. */
export interface SourceUpdatePlan {
  previous: SourceDocument;
  document: SourceDocument;
  version: SourceVersion;
  /** False when the new text is the same as the current one: nothing is written. */
  changed: boolean;
}

/**
 * What a new text of a document makes of it: the text is segmented, its blocks aligned with the
 * current segments (ids kept for unchanged, moved, edited, split and merged paragraphs, see
 * alignVersions), and the next version recorded with every paragraph's label and the counts.
 * `known` are the current segments as the sidecar remembers them (id and text).
 */
export function planSourceUpdate(
  current: { document: SourceDocument; known: readonly KnownSegment[] },
  text: string,
  options: { format: SourceFormat; hash: string; who: string; date: Date; align?: AlignOptions },
): SourceUpdatePlan {
  const { meta, blocks } = readSource(current.document.id, text, options.format);
  const alignment = alignVersions(blocks, [...current.known], options.align);
  const changes: SourceChange[] = alignment.segments
    .filter((s) => s.label !== 'unchanged')
    .map((s) => ({ id: s.id, label: s.label as SourceChange['label'], from: s.from, text: s.text }));
  const segments: Segment[] = alignment.segments.map(({ label: _label, from: _from, ...segment }) => segment);
  const number = current.document.version + 1;
  const version: SourceVersion = { number, date: options.date.toISOString(), hash: options.hash, who: options.who, counts: alignment.counts, changes, deleted: alignment.deleted };
  return { previous: current.document, document: { id: current.document.id, meta, segments, version: number }, version, changed: true };
}
