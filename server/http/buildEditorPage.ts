import type { Section } from '../domain/splitSections';
import { splitSections } from '../domain/splitSections';
import { sectionOutline, type OutlineGroup } from '../domain/sectionOutline';
import { pageNumbers } from './pageNumbers';
import type { Segment, SourceDocument, WorkflowState } from '../domain/types';
import { WORKFLOW_STATES } from '../domain/workflowState';
import { WorkbenchError } from '../errors';
import type { LocaleContext, SegmentView, Workbench } from '../application/workbench';

/** Segments per page when a filter lists matches across the whole document. */
const FILTERED_PAGE_SIZE = 100;

/** What the editor template needs for one page. */
export interface EditorPage {
  context: LocaleContext;
  sections: Section[];
  /** The outline beside the text: the run of sections the page is in, one by one, and the other runs (see sectionOutline). */
  outline: OutlineGroup[];
  /** The section shown, when not filtering. */
  section?: Section;
  filter: string;
  segments: SegmentView[];
  page: number;
  pages: number;
  /** The numbers of the pages the pager links to, with gaps (see pageNumbers). */
  pageNumbers: (number | undefined)[];
  /** Query string that brings the translator back to this very page after a form post. */
  back: string;
}

/** Section `index` of a document (undefined when it has none at all); 404 for one it lacks. */
function sectionAt(sections: Section[], index: number): Section | undefined {
  const section = sections[index];
  if (!section && sections.length > 0) throw new WorkbenchError(404, 'section-not-found', `This document has no section ${index}.`, { params: { section: String(index) } });
  return section;
}

/**
 * Chooses the segments of one editor page: a section of the document, or, with a filter
 * (untranslated, translated, ...), the matching paragraphs of the whole document, 100 a page.
 */
export function buildEditorPage(
  workbench: Workbench,
  context: LocaleContext,
  query: { section?: number; page?: number; filter?: string },
  /** With the `checks` filter: the paragraphs that fail a check not dismissed. */
  failing?: ReadonlySet<string>,
): EditorPage {
  const sections = splitSections(context.document.segments);
  const filter = query.filter ?? 'all';
  if (filter !== 'all' && filter !== 'checks' && !(WORKFLOW_STATES as readonly string[]).includes(filter)) {
    throw new WorkbenchError(400, 'invalid-filter', `filter must be all, checks or one of: ${WORKFLOW_STATES.join(', ')}.`);
  }
  if (filter === 'all') {
    const index = query.section ?? 0;
    const section = sectionAt(sections, index);
    const segments = section ? workbench.viewOf(context, context.document.segments.slice(section.start, section.end)) : [];
    return { context, sections, outline: sectionOutline(sections, index), section, filter, segments, page: 0, pages: 1, pageNumbers: [0], back: `?section=${index}` };
  }
  const matching = filter === 'checks' ? context.document.segments.filter((segment) => failing?.has(segment.id)) : workbench.segmentsInState(context, filter as WorkflowState);
  const pages = Math.max(1, Math.ceil(matching.length / FILTERED_PAGE_SIZE));
  const page = Math.min(query.page ?? 0, pages - 1);
  const segments = workbench.viewOf(context, matching.slice(page * FILTERED_PAGE_SIZE, (page + 1) * FILTERED_PAGE_SIZE));
  return {
    context,
    sections,
    outline: sectionOutline(sections, undefined),
    section: undefined,
    filter,
    segments,
    page,
    pages,
    pageNumbers: pageNumbers(page, pages),
    back: `?filter=${filter}&page=${page}`,
  };
}

/** What the reading page of a source document shows: one section of it, with the outline and where each paragraph is. */
export interface ReaderPage {
  sections: Section[];
  section?: Section;
  outline: OutlineGroup[];
  segments: Segment[];
  /** The section each paragraph is in, by id (for links to a paragraph on another page). */
  sectionOf: (id: string) => number | undefined;
}

/**
 * The reading page of a document, paged by section as the editor is (a book's whole text was an
 * 8 MB page): section `index` (the first by default); 404 for a section the document lacks.
 */
export function readerPage(document: SourceDocument, index = 0): ReaderPage {
  const sections = splitSections(document.segments);
  const section = sectionAt(sections, index);
  let where: Map<string, number> | undefined;
  const sectionOf = (id: string): number | undefined => {
    where ??= new Map(sections.flatMap((s) => document.segments.slice(s.start, s.end).map((segment) => [segment.id, s.index] as const)));
    return where.get(id);
  };
  return { sections, section, outline: sectionOutline(sections, index), segments: section ? document.segments.slice(section.start, section.end) : [], sectionOf };
}
