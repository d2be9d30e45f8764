/** Where a unit stands, as far as an import cares: needs-review covers fuzzy, sent-back and drifted translations. */
export type InterchangeStatus = 'untranslated' | 'translated' | 'approved' | 'needs-review';

/** One translation unit read from another tool's XLIFF (1.x or 2.0). */
export interface InterchangeUnit {
  id: string;
  /** 1.x `resname`, 2.0 `name`. */
  resname?: string;
  source: string;
  target?: string;
  status: InterchangeStatus;
  /** The state attribute as the file wrote it. */
  rawState?: string;
  notes: string[];
  /** 1.x context groups, each context as "context-type: value". */
  contexts: string[];
  /** The workbench revision the unit was exported at (files the workbench wrote). */
  revision?: number;
  line?: number;
  /** The state the file gives the unit when the mapping tables do not hold it (see UnmappedState). */
  unmappedState?: string;
  /** In a file of several `<file>`s, the `original` of the one it is in: ids are unique only per `<file>`. */
  original?: string;
}

/** An XLIFF file as the workbench imports it. */
export interface InterchangeFile {
  version: string;
  sourceLanguage?: string;
  targetLanguage?: string;
  original?: string;
  units: InterchangeUnit[];
  skipped: { id: string; reason: string }[];
  /** States the file gives that the mapping tables do not hold, each with how many units have it and how they were read. */
  unmappedStates?: UnmappedState[];
}

/** A state another tool wrote that has no meaning here: reported in the import's preview with how it was read. */
export interface UnmappedState {
  /** As the file writes it: `state="x-custom"`, `mq:status="…"`, `sdl:seg conf="…"`. */
  state: string;
  units: number;
  readAs: InterchangeStatus;
}
