import type { AlignmentLabel } from './alignVersions';
import type { KnownSegment } from './assignIds';

/** What one source update did to one segment (unchanged segments are not listed). */
export interface SourceChange {
  /** The segment's id in the new version. */
  id: string;
  label: Exclude<AlignmentLabel, 'unchanged'>;
  /** The old ids it comes from (none for new). */
  from: string[];
  /** Its text in the new version. */
  text: string;
}

/** A recorded version of a source document: when, by whom, and what changed from the one before. */
export interface SourceVersion {
  number: number;
  /** ISO date and time of the update. */
  date: string;
  /** SHA-256 of the source file's content. */
  hash: string;
  who: string;
  /** Segments per alignment label, and deleted ones. */
  counts: Record<AlignmentLabel | 'deleted', number>;
  changes: SourceChange[];
  /** Old segments that have no counterpart any more. */
  deleted: KnownSegment[];
}
