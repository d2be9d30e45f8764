import type { Segment } from './types';

/** A page of the editor: a top-level section of the document (or part of a long one). */
export interface Section {
  /** 0-based page number. */
  index: number;
  /** The heading that opens the section, or undefined for text before the first heading. */
  title?: string;
  /** Part number when a long section spans several pages (1-based), else undefined. */
  part?: number;
  /** Subsection headings (level 2) on this page, for navigation within it. */
  subsections: { id: string; title: string }[];
  /** Half-open range into the document's segments. */
  start: number;
  end: number;
}

/**
 * Cuts a document into editor pages: a page starts at every level-1 heading, and a section
 * longer than `maxPerPage` segments is cut into parts, so no page renders a whole book.
 */
export function splitSections(segments: Segment[], maxPerPage = 100): Section[] {
  const sections: Section[] = [];
  let start = 0;
  const close = (end: number): void => {
    if (end <= start) return;
    const first = segments[start];
    const title = first.kind === 'heading' && (first.level ?? 1) === 1 ? first.text : undefined;
    const parts = Math.ceil((end - start) / maxPerPage);
    for (let part = 0; part < parts; part++) {
      const from = start + part * maxPerPage;
      const to = Math.min(end, from + maxPerPage);
      const subsections = segments
        .slice(from, to)
        .filter((s) => s.kind === 'heading' && s.level === 2)
        .map((s) => ({ id: s.id, title: s.text }));
      sections.push({ index: sections.length, title, part: parts > 1 ? part + 1 : undefined, subsections, start: from, end: to });
    }
    start = end;
  };
  segments.forEach((segment, i) => {
    if (segment.kind === 'heading' && (segment.level ?? 1) === 1) close(i);
  });
  close(segments.length);
  return sections;
}
