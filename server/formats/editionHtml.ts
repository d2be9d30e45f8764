import type { Edition } from '../domain/edition';
import { renderEditionTemplate } from './editionTemplates';
import { editionView } from './editionView';

/** Renders an edition as one standalone HTML page (title page, contents, chapters, provenance). */
export function renderEditionHtml(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): string {
  return [...pageParts(editionView(edition, 'html', options), ctx.appRoot)].join('');
}

/** The page's parts, each rendered when asked for: what comes before the chapters, each chapter, what comes after. */
function* pageParts(view: ReturnType<typeof editionView>, appRoot: string): Generator<string> {
  yield renderEditionTemplate(appRoot, 'html', { ...view, part: 'head' });
  for (const chapter of view.chapters) yield renderEditionTemplate(appRoot, 'html-chapter', { ...view, chapter });
  yield renderEditionTemplate(appRoot, 'html', { ...view, part: 'tail' });
}

/** Parts of the page (chapters, mostly) rendered between two turns of the event loop (see writeEditionHtml). */
const PARTS_PER_TURN = 100;

/**
 * renderEditionHtml as the file's bytes, its steps apart: for a book each one (the view, the
 * chapters, a hundred at a time) is a tenth of a second or less of the server's thread, and the
 * saves that come meanwhile are served in between instead of after the whole page.
 *
 * Each part of the page (see pageParts) is encoded as soon as it is rendered. A template's output
 * is a string made of many small pieces; a book's page rendered whole is ten million characters in
 * a million pieces, which live through several collections of the young generation and are then
 * copied into one piece of 20 MB before being encoded: on the 2-core machine of `npm run bench`,
 * most of a second.
 */
export async function writeEditionHtml(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): Promise<Uint8Array> {
  const view = editionView(edition, 'html', options);
  await nextTurn();
  const out = new Utf8Chunks(expectedBytes(edition, options.bilingual === true));
  let rendered = 0;
  for (const part of pageParts(view, ctx.appRoot)) {
    out.write(part);
    if (++rendered % PARTS_PER_TURN === 0) await nextTurn();
  }
  await nextTurn();
  return out.bytes();
}

/**
 * About how many bytes an edition's page takes: its texts, with a little over one byte a character,
 * and its markup. The page's bytes are gathered in one buffer of this size (memory not written to
 * is not taken), and returned without a copy when they fit.
 */
function expectedBytes(edition: Edition, bilingual: boolean): number {
  let chars = 0;
  let blocks = 0;
  for (const chapter of edition.chapters) {
    for (const block of chapter.blocks) {
      chars += block.text.length + (bilingual ? (block.sourceText?.length ?? 0) : 0);
      blocks++;
    }
  }
  return Math.ceil(chars * 1.1) + blocks * 200 + 256 * 1024;
}

/** Texts encoded as UTF-8 one after the other into one buffer (then chunks of a megabyte or more when they do not fit, joined at the end). */
class Utf8Chunks {
  private readonly full: Buffer[] = [];
  private chunk: Buffer;
  private used = 0;

  constructor(firstBytes: number) {
    this.chunk = Buffer.allocUnsafe(firstBytes);
  }

  write(text: string): void {
    const room = this.chunk.byteLength - this.used;
    // A UTF-16 code unit is at most three bytes of UTF-8: with that much room, it fits.
    if (room >= text.length * 3) {
      this.used += this.chunk.write(text, this.used, 'utf8');
      return;
    }
    // Perhaps it fits: a write cut short leaves less than four bytes (a character's most) unwritten.
    const written = room >= 4 ? this.chunk.write(text, this.used, 'utf8') : 0;
    if (room - written >= 4) {
      this.used += written;
      return;
    }
    if (this.used > 0) this.full.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, text.length * 3));
    this.used = this.chunk.write(text, 0, 'utf8');
  }

  bytes(): Buffer {
    const last = this.chunk.subarray(0, this.used);
    return this.full.length === 0 ? last : Buffer.concat([...this.full, last]);
  }
}

const CHUNK_BYTES = 1024 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
