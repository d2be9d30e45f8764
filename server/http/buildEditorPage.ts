import type { Section } from '../domain/splitSections';
import { splitSections } from '../domain/splitSections';
import type { WorkflowState } from '../domain/types';
import { WORKFLOW_STATES } from '../domain/workflowState';
import { WorkbenchError } from '../errors';
import type { LocaleContext, SegmentView, Workbench } from '../application/workbench';

/** Segments per page when a filter lists matches across the whole document. */
const FILTERED_PAGE_SIZE = 100;

/** What the editor template needs for one page. */
export interface EditorPage {
  context: LocaleContext;
  sections: Section[];
  /** The section shown, when not filtering. */
  section?: Section;
  filter: string;
  segments: SegmentView[];
  page: number;
  pages: number;
  /** Query string that brings the translator back to this very page after a form post. */
  back: string;
}

/**
 * Chooses the segments of one editor page: a section of the document, or, with a filter
 * (untranslated, translated, ...), the matching paragraphs of the whole document, 100 a page.
 */
export function buildEditorPage(
  workbench: Workbench,
  context: LocaleContext,
  query: { section?: number; page?: number; filter?: string },
): EditorPage {
  const sections = splitSections(context.document.segments);
  const filter = query.filter ?? 'all';
  if (filter !== 'all' && !(WORKFLOW_STATES as readonly string[]).includes(filter)) {
    throw new WorkbenchError(400, 'invalid-filter', `filter must be all or one of: ${WORKFLOW_STATES.join(', ')}.`);
  }
  if (filter === 'all') {
    const index = query.section ?? 0;
    const section = sections[index];
    if (!section && sections.length > 0) throw new WorkbenchError(404, 'section-not-found', `This document has no section ${index}.`);
    const segments = section ? workbench.viewOf(context, context.document.segments.slice(section.start, section.end)) : [];
    return { context, sections, section, filter, segments, page: 0, pages: 1, back: `?section=${index}` };
  }
  const matching = workbench.segmentsInState(context, filter as WorkflowState);
  const pages = Math.max(1, Math.ceil(matching.length / FILTERED_PAGE_SIZE));
  const page = Math.min(query.page ?? 0, pages - 1);
  const segments = workbench.viewOf(context, matching.slice(page * FILTERED_PAGE_SIZE, (page + 1) * FILTERED_PAGE_SIZE));
  return { context, sections, section: undefined, filter, segments, page, pages, back: `?filter=${filter}&page=${page}` };
}
