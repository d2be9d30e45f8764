import { assignIds, type KnownSegment } from './assignIds';
import { readXliffDocument } from '../formats/xliffDocument';
import { parseFrontMatter } from './parseFrontMatter';
import { segmentMarkdown, segmentPlainText, type Block } from './segmentMarkdown';
import type { SourceDocument } from './types';

export type SourceFormat = 'markdown' | 'text' | 'xliff';

/** Cuts a source text into blocks (no ids yet) and reads its front matter. */
export function readSource(id: string, content: string, format: SourceFormat): { meta: SourceDocument['meta']; blocks: Block[] } {
  const unmarked = content.replace(/^\uFEFF/, '');
  const normalised = unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
  // Another tool's XLIFF file: its segments are the paragraphs (see xliffDocument).
  if (format === 'xliff') return readXliffDocument(unmarked, id);
  const { meta, body } = parseFrontMatter(normalised, id);
  if (format === 'markdown') return { meta, blocks: segmentMarkdown(body) };
  // A plain-text source's paragraphs are text, never Markdown: its editions print them as written.
  return { meta: { ...meta, plainText: true }, blocks: segmentPlainText(body) };
}

/** Segments a source text (Markdown with optional YAML front matter, or plain text) into a document with stable segment ids. */
export function segmentDocument(id: string, content: string, format: SourceFormat, known: KnownSegment[] = []): SourceDocument {
  const { meta, blocks } = readSource(id, content, format);
  return { id, meta, segments: assignIds(blocks, known), version: 0 };
}
