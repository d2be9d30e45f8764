import iconv from 'iconv-lite';
import { WorkbenchError } from '../errors';

/** The largest translation file an alignment takes (as a source file). */
const MAX_TEXT_BYTES = 50 * 1024 * 1024;

/**
 * An uploaded text (Markdown or plain text) decoded: UTF-8, or UTF-16 (little or big endian) by
 * its byte order mark, or the encoding its front matter declares (`encoding: windows-1252`, read
 * through iconv-lite); anything else must be UTF-8. Refused with the reason: too large, an
 * encoding nobody can decode, bytes that are not text in the encoding read, or nothing but
 * whitespace (400 'align-empty').
 */
export function decodeTextUpload(bytes: Uint8Array, name: string): string {
  if (bytes.byteLength > MAX_TEXT_BYTES) throw new WorkbenchError(413, 'source-too-large', `${name} is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB: a file may be at most 50 MB.`, { params: { name, size: (bytes.byteLength / 1024 / 1024).toFixed(1) } });
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  if (buffer[0] === 0xff && buffer[1] === 0xfe) text = decodeWith('utf-16le', buffer.subarray(2), name);
  else if (buffer[0] === 0xfe && buffer[1] === 0xff) text = decodeWith('utf-16be', buffer.subarray(2), name);
  else {
    const start = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    // A declaration in the front matter, read in ASCII (every encoding it may name agrees on it).
    const head = buffer.subarray(start, start + 2048).toString('latin1');
    const declared = /^---\r?\n(?:[^\n]*\n)*?\s*(?:encoding|charset)\s*:\s*["']?([A-Za-z0-9_.:-]+)["']?\s*\r?\n/.exec(head)?.[1];
    if (declared && !/^utf-?8$/i.test(declared)) {
      if (!iconv.encodingExists(declared)) throw new WorkbenchError(400, 'text-encoding-unsupported', `${name} declares the encoding "${declared}", which the workbench cannot read: save it as UTF-8.`, { params: { name, encoding: declared } });
      text = iconv.decode(buffer.subarray(start), declared);
    } else {
      if (buffer.indexOf(0) >= 0) throw new WorkbenchError(400, 'source-binary', `${name} looks like a binary file (a NUL byte), not a text: save it as UTF-8 or UTF-16 with a byte order mark.`, { params: { name, offset: buffer.indexOf(0) } });
      text = decodeWith('utf-8', buffer.subarray(start), name);
    }
  }
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new WorkbenchError(400, 'align-empty', `${name} is empty: there is no translation in it to align.`, { params: { name } });
  return text.replace(/^\uFEFF/, '');
}

function decodeWith(encoding: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Buffer, name: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new WorkbenchError(400, 'source-not-utf8', `${name} is not valid ${encoding.toUpperCase()} text: save it as UTF-8 and try again.`, { params: { name } });
  }
}
