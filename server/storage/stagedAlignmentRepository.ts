import type { AlignBlock } from '../domain/alignBlocks';
import type { StagedImport } from './stagedImportRepository';

/** A link as kept: source blocks (by position among the document's translatable paragraphs) with target blocks. */
export interface StagedLink {
  source: number[];
  target: number[];
}

/**
 * An uploaded translation aligned with its source, waiting for a reviewer to adjust and confirm it:
 * an upload kept between its preview and its confirmation, as an XLIFF import is (its `name`, the
 * uploaded file's, is named in the history of what it fills).
 */
export interface StagedAlignment extends StagedImport {
  /** The translation's blocks, as segmented. */
  blocks: AlignBlock[];
  links: StagedLink[];
  /** The revision of each paragraph when the preview was made: one saved since is a conflict, never overwritten. */
  revisions: Record<string, number>;
  /**
   * The links as the aligner made them, with its confidence in each: what the preview scores its
   * links by after adjustments. Absent for a preview staged by an older workbench.
   */
  scored?: ScoredLink[];
}

/** A link as the aligner made it, with its confidence (0 to 1). */
export interface ScoredLink extends StagedLink {
  confidence: number;
}

/** Alignments between their preview and their confirmation. */
export interface StagedAlignmentRepository {
  add(alignment: StagedAlignment): Promise<void>;
  get(id: string): Promise<StagedAlignment | undefined>;
  /** Keeps the links a reviewer adjusted. */
  setLinks(id: string, links: StagedLink[]): Promise<void>;
  remove(id: string): Promise<void>;
  /** Forgets every alignment staged before `before` (ISO 8601); how many. */
  sweep(before: string): Promise<number>;
}
