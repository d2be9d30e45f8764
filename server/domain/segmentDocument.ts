import { assignIds, type KnownSegment } from './assignIds';
import { parseFrontMatter } from './parseFrontMatter';
import { segmentMarkdown, segmentPlainText } from './segmentMarkdown';
import type { SourceDocument } from './types';

export type SourceFormat = 'markdown' | 'text';

/** Segments a source text (Markdown with optional YAML front matter, or plain text) into a document with stable segment ids. */
export function segmentDocument(id: string, content: string, format: SourceFormat, known: KnownSegment[] = []): SourceDocument {
  const normalised = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const { meta, body } = parseFrontMatter(normalised, id);
  const blocks = format === 'markdown' ? segmentMarkdown(body) : segmentPlainText(body);
  return { id, meta, segments: assignIds(blocks, known) };
}
