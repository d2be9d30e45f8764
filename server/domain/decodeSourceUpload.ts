import { WorkbenchError } from '../errors';
import type { SourceFormat } from './segmentDocument';

/** The largest source file the workbench takes. */
export const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

/** The format of a source file, from its name: Markdown unless it is plain text or another tool's XLIFF file (.xlf, .xliff, .mqxliff, .sdlxliff). */
export function formatOfName(name: string): SourceFormat {
  if (/\.txt$/i.test(name)) return 'text';
  if (/\.(xlf|xliff|mqxliff|sdlxliff)$/i.test(name)) return 'xliff';
  return 'markdown';
}

/**
 * Checks an uploaded source file and decodes it: refused when empty, larger than 50 MB, binary
 * (a NUL byte) or not UTF-8, each with a message that says which, before anything is changed.
 */
export function decodeSourceUpload(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > MAX_SOURCE_BYTES) {
    throw new WorkbenchError(413, 'source-too-large', `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: a source file may be at most 50 MB.`, { params: { name, size: (bytes.byteLength / 1024 / 1024).toFixed(1) } });
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new WorkbenchError(400, 'source-binary', `${name} looks like a binary file (a NUL byte at offset ${nul}), not a text.`, { params: { name, offset: nul } });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new WorkbenchError(400, 'source-not-utf8', `${name} is not valid UTF-8 text: save it as UTF-8 and try again.`, { params: { name } });
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new WorkbenchError(400, 'source-empty', `${name} is empty: there is nothing to translate.`, { params: { name } });
  return text;
}

/**
 * Whether `bytes`, which decodeSourceUpload took, are as they are the UTF-8 of the text it gave:
 * unless they begin with a byte-order mark, which the decoding drops.
 */
export function isTextAsDecoded(bytes: Uint8Array): boolean {
  return !(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf);
}
