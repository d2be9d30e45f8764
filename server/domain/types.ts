/** The kinds of block a source document is cut into. */
/**
 * `definition`: Markdown link reference definitions ("[label]: https://…"), kept verbatim and used
 * by the links that name them. `footnote`: a paragraph of a footnote's text ("[^1]: …"), translated.
 */
export type SegmentKind = 'heading' | 'paragraph' | 'list-item' | 'quote' | 'code' | 'table' | 'html' | 'rule' | 'definition' | 'footnote';

/** A block of the source document: translatable prose, or a block kept verbatim. */
export interface Segment {
  /** Stable id: survives edits, inserts, deletes and moves of other segments. */
  id: string;
  kind: SegmentKind;
  /** Heading level (1-6) for headings, nesting depth (1-based) for list items and quotes. */
  level?: number;
  /** List items: whether the list is ordered. */
  ordered?: boolean;
  /** List items and footnotes: a further paragraph of the same item or note, not a new one. */
  continued?: boolean;
  /** Footnotes: the note's label, as the text's `[^label]` names it. */
  label?: string;
  /** The text to translate (inline Markdown), or the raw block for code/table/html. */
  text: string;
  /** False for code blocks, tables, HTML blocks and rules: kept in exports, never in XLIFF. */
  translatable: boolean;
}

/** Front matter of a source document. */
export interface DocumentMeta {
  title: string;
  authors?: string[];
  date?: string;
  translator?: string;
  source?: string;
  license?: string;
  /** BCP 47 tag of the source text. */
  language: string;
  /** Set for a plain-text source (.txt): its paragraphs hold no Markdown, and editions print them as written. */
  plainText?: boolean;
  /** Set for another tool's XLIFF file translated as a document: its paragraphs hold placeholders for the tool's codes, and it is given back as that file (export format `original`). */
  bilingual?: boolean;
  /** Front-matter keys the workbench does not read (subtitle, publisher, tags…), kept for the editions. */
  extra?: Record<string, unknown>;
}

/** A segmented source document: what the workbench translates. */
export interface SourceDocument {
  id: string;
  meta: DocumentMeta;
  segments: Segment[];
  /** The source version these segments are (1 for the first import); 0 before the document is stored. */
  version: number;
}

/** A document named by its id and its current version, without its text (what kept values are found by). */
export type DocumentVersion = Pick<SourceDocument, 'id' | 'version'>;

/** XLIFF 1.2 target states the workbench writes (the file may hold any state of the standard). */
export type XliffState =
  | 'new'
  | 'needs-translation'
  | 'needs-adaptation'
  | 'needs-l10n'
  | 'needs-review-adaptation'
  | 'needs-review-l10n'
  | 'needs-review-translation'
  | 'translated'
  | 'signed-off'
  | 'final';

/** The workflow state shown to people, derived from the XLIFF state. */
export type WorkflowState = 'untranslated' | 'translated' | 'approved' | 'drifted' | 'needs-work';

/** A note on a unit (XLIFF `<note>`). */
export interface UnitNote {
  text: string;
  from?: string;
  priority?: number;
  annotates?: 'source' | 'target' | 'general';
}

/** One translation unit of a locale file: a segment's translation. */
export interface Unit {
  id: string;
  /** The exact source text the translation was made from. */
  source: string;
  /** Undefined when not translated. */
  target?: string;
  state?: XliffState;
  approved: boolean;
  /** Optimistic-concurrency counter, bumped on every save. */
  revision: number;
  notes: UnitNote[];
  /** The source version the translation was made from. */
  sourceVersion?: number;
  /** When drifted: the previous source text and the translation made from it (XLIFF alt-trans previous-version). */
  previous?: { source: string; target?: string };
  /** The translation is a machine's as it gave it (XLIFF `state-qualifier="mt-suggestion"`), until a person changes it. */
  machine?: boolean;
}

/** One document's translation into one locale, as held in its XLIFF file. */
export interface LocaleFile {
  document: string;
  sourceLanguage: string;
  targetLanguage: string;
  /** Units in file order. */
  units: Unit[];
  /** The source version the file has been brought up to. */
  sourceVersion?: number;
  /** Write instruction, never read from a file: ids of units to take out of the file on this write (their translations are archived first by the caller). */
  removeUnits?: string[];
}
