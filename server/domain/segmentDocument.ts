import { assignIds, type KnownSegment } from './assignIds';
import { parseFrontMatter } from './parseFrontMatter';
import { segmentMarkdown, segmentPlainText, type Block } from './segmentMarkdown';
import type { SourceDocument } from './types';

export type SourceFormat = 'markdown' | 'text' | 'xliff';

/** A reader of another tool's XLIFF file as a document: its metadata and a block per segment. */
export type BilingualReader = (content: string, id: string) => { meta: SourceDocument['meta']; blocks: Block[] };
let readBilingual: BilingualReader | undefined;

/** Puts the reader of XLIFF source documents in place: a format adapter, which the domain does not import (the application wires it, see createWorkbench). */
export function useBilingualReader(reader: BilingualReader): void {
  readBilingual = reader;
}

/** Cuts a source text into blocks (no ids yet) and reads its front matter. */
export function readSource(id: string, content: string, format: SourceFormat): { meta: SourceDocument['meta']; blocks: Block[] } {
  const unmarked = content.replace(/^\uFEFF/, '');
  const normalised = unmarked.includes('\r') ? unmarked.replace(/\r\n?/g, '\n') : unmarked;
  // Another tool's XLIFF file: its segments are the paragraphs, read by the reader the application puts in place (formats/xliffDocument).
  if (format === 'xliff') {
    if (!readBilingual) throw new Error('No reader of XLIFF source documents is in place (see useBilingualReader).');
    return readBilingual(unmarked, id);
  }
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
