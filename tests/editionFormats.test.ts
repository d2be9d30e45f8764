import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import fc from 'fast-check';
import { unzipSync, strFromU8 } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { APP_ROOT } from '../server/appRoot';
import type { Edition, EditionBlock } from '../server/domain/edition';
import { readSource } from '../server/domain/segmentDocument';
import { segmentMarkdown } from '../server/domain/segmentMarkdown';
import { renderEditionEpub } from '../server/formats/editionEpub';
import { renderEditionHtml, writeEditionHtml } from '../server/formats/editionHtml';
import { inlineText } from '../server/formats/editionInline';
import { renderEditionMarkdown } from '../server/formats/editionMarkdown';
import { renderEditionText } from '../server/formats/editionText';
import {
  arabicEdition,
  buildTestEdition,
  draftManifestoEdition,
  editionOfMarkdown,
  ENGLISH_LABELS,
  manifestoEdition,
  manifestoSource,
  NESTED_MARKDOWN,
  SPANISH_LABELS,
  type TestBlock,
} from './helpers/editionFixture';
import { requireEpubcheck, runEpubcheck } from './helpers/epubcheck';
import { makeTempDir, type TempDir } from './helpers/tempDir';

const ctx = { appRoot: APP_ROOT };
const XHTML_NS = 'http://www.w3.org/1999/xhtml';
const OPF_NS = 'http://www.idpf.org/2007/opf';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const OPS_NS = 'http://www.idpf.org/2007/ops';

/** Parses XML strictly: any error or warning of the parser fails the test. */
function parseXml(text: string, mimeType: 'application/xml' | 'application/xhtml+xml' = 'application/xml'): Document {
  return new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(text, mimeType);
}

function parseHtml(text: string): Document {
  // One test feeds characters XML forbids (a lone surrogate among them) on purpose; xmldom would warn about them on the console.
  return new DOMParser({ onError: (level, message) => { if (level !== 'warning') throw new Error(message); } }).parseFromString(text, 'text/html');
}

function elements(doc: Document | Element, name: string): Element[] {
  return Array.from(doc.getElementsByTagName(name));
}

function text(node: Element | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function allBlocks(edition: Edition): EditionBlock[] {
  return edition.chapters.flatMap((chapter) => chapter.blocks);
}

/** The edition's level-1 and level-2 headings, as plain text. */
function headings(edition: Edition, level: number): string[] {
  return allBlocks(edition)
    .filter((b) => b.kind === 'heading' && b.level === level)
    .map((b) => inlineText(b.text));
}

function unzipEpub(bytes: Uint8Array): Record<string, string> {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

/** The entries of a ZIP in stored order, read from their local headers. */
function zipEntries(bytes: Uint8Array): { name: string; method: number; extra: number; offset: number }[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = [];
  let offset = 0;
  while (view.getUint32(offset, true) === 0x04034b50) {
    const method = view.getUint16(offset + 8, true);
    const compressedSize = view.getUint32(offset + 18, true);
    const nameLength = view.getUint16(offset + 26, true);
    const extra = view.getUint16(offset + 28, true);
    const name = strFromU8(bytes.subarray(offset + 30, offset + 30 + nameLength));
    entries.push({ name, method, extra, offset });
    offset += 30 + nameLength + extra + compressedSize;
  }
  return entries;
}

function opfOf(files: Record<string, string>): { doc: Document; dc: (name: string) => string[]; meta: (property: string, refines?: string) => string[] } {
  const doc = parseXml(files['OEBPS/package.opf']);
  const metas = Array.from(doc.getElementsByTagNameNS(OPF_NS, 'meta'));
  return {
    doc,
    dc: (name) => Array.from(doc.getElementsByTagNameNS(DC_NS, name)).map((e) => e.textContent ?? ''),
    meta: (property, refines) =>
      metas.filter((m) => m.getAttribute('property') === property && (refines === undefined || m.getAttribute('refines') === refines)).map((m) => m.textContent ?? ''),
  };
}

/** The content documents of an EPUB in spine order (file name → parsed XHTML). */
function spineDocuments(files: Record<string, string>): { href: string; doc: Document }[] {
  const { doc } = opfOf(files);
  const hrefById = new Map(Array.from(doc.getElementsByTagNameNS(OPF_NS, 'item')).map((item) => [item.getAttribute('id'), item.getAttribute('href') ?? '']));
  return Array.from(doc.getElementsByTagNameNS(OPF_NS, 'itemref')).map((ref) => {
    const href = hrefById.get(ref.getAttribute('idref')) ?? '';
    return { href, doc: parseXml(files[`OEBPS/${href}`], 'application/xhtml+xml') };
  });
}

describe('writeEditionHtml', () => {
  // It encodes each part of the page (before the chapters, each chapter, after them) as it comes,
  // into one buffer or more: the bytes are those of the page as one text, in every kind of edition.
  it.each([
    ['the manifesto', () => manifestoEdition(), {}],
    ['a draft with marks', () => draftManifestoEdition(), {}],
    ['a bilingual edition from right to left', () => arabicEdition(), { bilingual: true }],
  ])('gives the bytes of the whole page: %s', async (_name, make, options) => {
    const edition = make();
    expect(edition.chapters.length).toBeGreaterThan(1);
    const whole = renderEditionHtml(edition, ctx, options);
    expect([...whole].some((c) => c.charCodeAt(0) > 0xff)).toBe(true); // characters of three bytes in UTF-8
    const bytes = await writeEditionHtml(edition, ctx, options);
    expect(Buffer.from(bytes).equals(Buffer.from(whole, 'utf8'))).toBe(true);
  });

  it('gives the bytes of a page without chapters, of one chapter larger than a chunk, and of a page larger than its texts foretold', async () => {
    const empty = buildTestEdition([]);
    expect(Buffer.from(await writeEditionHtml(empty, ctx)).equals(Buffer.from(renderEditionHtml(empty, ctx), 'utf8'))).toBe(true);
    // One chapter of 1.5 million characters: more than the megabyte the bytes are gathered in.
    const large = buildTestEdition(Array.from({ length: 300 }, (_, i) => ({ kind: 'paragraph' as const, text: `${i} ¿Qué? ${'palabra — '.repeat(500)}`, translatable: true })));
    const whole = renderEditionHtml(large, ctx);
    expect(whole.length).toBeGreaterThan(1_500_000);
    expect(Buffer.from(await writeEditionHtml(large, ctx)).equals(Buffer.from(whole, 'utf8'))).toBe(true);
    // Three bytes a character: more than the buffer sized for the texts, the rest in further chunks.
    const wide = buildTestEdition(Array.from({ length: 400 }, (_, i) => ({ kind: i % 50 === 0 ? ('heading' as const) : ('paragraph' as const), level: 1, text: `${i} ${'翻訳の言葉。'.repeat(300)}`, translatable: true })));
    const wideWhole = Buffer.from(renderEditionHtml(wide, ctx), 'utf8');
    expect(wideWhole.byteLength).toBeGreaterThan(2 * 1.1 * 400 * 1800);
    expect(Buffer.from(await writeEditionHtml(wide, ctx)).equals(wideWhole)).toBe(true);
  });
});

describe('renderEditionHtml', () => {
  const edition = manifestoEdition();
  const html = renderEditionHtml(edition, ctx);
  const doc = parseHtml(html);

  it('is one page in the edition language and direction, styled inline, that fetches nothing', () => {
    const root = elements(doc, 'html')[0];
    expect(root.getAttribute('lang')).toBe('es');
    expect(root.getAttribute('dir')).toBe('ltr');
    expect(text(elements(doc, 'title')[0])).toBe('El manifiesto comunero');
    expect(elements(doc, 'style')).toHaveLength(1);
    for (const tag of ['link', 'script', 'img', 'iframe', 'object', 'embed', 'video', 'audio', 'source']) expect(elements(doc, tag)).toHaveLength(0);
    expect(html).not.toMatch(/\bsrc=|@import|url\(|@font-face/);
    const css = text(elements(doc, 'style')[0]);
    expect(css).toMatch(/@media print/);
    expect(css).toMatch(/@page/);
    expect(css).toMatch(/break-before: page/);
  });

  it('opens with a title page and a table of contents linking to every chapter and level-2 heading', () => {
    const header = elements(doc, 'header')[0];
    expect(text(elements(header, 'h1')[0])).toBe('El manifiesto comunero');
    expect(text(header)).toContain('Las Indias Cooperative Group');
    const toc = elements(doc, 'nav')[0];
    const links = elements(toc, 'a');
    const labels = links.map((a) => text(a));
    expect(labels).toEqual([
      SPANISH_LABELS.opening,
      ...edition.chapters.filter((c) => c.title).flatMap((c) => [inlineText(c.title ?? ''), ...c.blocks.filter((b) => b.kind === 'heading' && b.level === 2).map((b) => inlineText(b.text))]),
      SPANISH_LABELS.provenance,
    ]);
    expect(labels).toEqual(expect.arrayContaining([...headings(edition, 1), ...headings(edition, 2)]));
    const ids = new Set(elements(doc, '*').map((e) => e.getAttribute('id')));
    for (const a of links) expect(ids).toContain((a.getAttribute('href') ?? '').replace(/^#/, ''));
  });

  it('prints every heading of the source at its level, one section per chapter', () => {
    expect(elements(doc, 'h1').slice(1).map((h) => text(h))).toEqual(headings(edition, 1));
    expect(elements(doc, 'h2').map((h) => text(h))).toEqual([SPANISH_LABELS.contents, ...headings(edition, 2), SPANISH_LABELS.provenance]);
    const chapters = elements(doc, 'section').filter((s) => s.getAttribute('class') === 'chapter');
    expect(chapters.map((s) => s.getAttribute('id'))).toEqual(edition.chapters.map((c) => `chapter-${c.number}`));
    const paragraphs = allBlocks(edition).filter((b) => b.kind === 'paragraph').length;
    expect(chapters.reduce((n, s) => n + elements(s, 'p').length, 0)).toBe(paragraphs + allBlocks(edition).filter((b) => b.kind === 'list-item').length);
  });

  it('nests lists and quotes, renders code and tables with Markdown, shows raw HTML as code and rules as <hr/>', () => {
    const nested = parseHtml(renderEditionHtml(editionOfMarkdown(NESTED_MARKDOWN), ctx));
    const main = elements(nested, 'main')[0];
    const topLists = elements(main, '*').filter((e) => ['ul', 'ol'].includes(e.tagName) && e.parentNode && (e.parentNode as Element).tagName === 'section');
    expect(topLists.map((l) => l.tagName)).toEqual(['ul', 'ol']);
    const [bullets, numbers] = topLists;
    expect(Array.from(bullets.childNodes).filter((n) => (n as Element).tagName === 'li')).toHaveLength(3);
    const second = elements(bullets, 'li')[1];
    expect(elements(second, 'p').map((p) => text(p))).toEqual(['Another, with a nested list:', 'nested one', 'nested two', 'deeper, ordered', 'deeper again', 'A further paragraph of the second item.']);
    expect(elements(second, 'ul')).toHaveLength(1);
    expect(elements(elements(second, 'ul')[0], 'ol')).toHaveLength(1);
    expect(Array.from(numbers.childNodes).filter((n) => (n as Element).tagName === 'li')).toHaveLength(10);
    const quote = elements(main, 'blockquote')[0];
    expect(text(elements(elements(quote, 'blockquote')[0], 'p')[0])).toBe('A quote in the quote.');
    expect(text(elements(main, 'code').find((c) => c.getAttribute('class') === 'language-js'))).toBe('const answer = 42; // <kept> & "verbatim"');
    expect(elements(main, 'th').map((th) => text(th))).toEqual(['Left', 'Right']);
    expect(text(elements(main, 'pre').find((p) => p.getAttribute('class') === 'source-html'))).toBe('<div class="note"><p>Raw HTML</div>');
    expect(elements(main, 'div').filter((d) => d.getAttribute('class') === 'note')).toHaveLength(0);
    expect(elements(main, 'hr')).toHaveLength(1);
    expect(text(elements(main, 'em')[0])).toBe('emphasis');
  });

  it('shows an image as its alt text and never loads it', () => {
    const page = renderEditionHtml(buildTestEdition([{ kind: 'paragraph', text: 'See ![the cover](https://example.org/cover.png) here.', translatable: true }]), ctx);
    expect(page).not.toMatch(/<img|example\.org\/cover/);
    expect(text(elements(parseHtml(page), 'main')[0])).toBe('See the cover here.');
  });

  it('ends with the provenance: source, version, translators, completeness, licence, export date', () => {
    const provenance = elements(doc, 'section').find((s) => s.getAttribute('id') === 'provenance');
    const entries = new Map<string, string[]>();
    let current = '';
    for (const node of elements(provenance as Element, '*').filter((e) => e.tagName === 'dt' || e.tagName === 'dd')) {
      if (node.tagName === 'dt') entries.set((current = text(node)), []);
      else entries.get(current)?.push(text(node));
    }
    const es = (n: number) => new Intl.NumberFormat('es').format(n);
    const total = allBlocks(edition).filter((b) => b.translatable).length;
    expect(Object.fromEntries(entries)).toEqual({
      'Título original': ['The Communard Manifesto (2016-05-09)', SPANISH_LABELS.sourceVersion],
      Autores: ['Las Indias Cooperative Group'],
      'Traducido del': ['inglés'],
      'Traducción de origen': ['Level Translation'],
      Traducción: ['Ana García y Joan Puig'],
      Revisión: ['Marta López'],
      Completitud: [`100 % (${es(total)} / ${es(total)})`],
      Licencia: ['Anti-Copyright'],
      Exportado: ['1 de abril de 2024 a las 16:45 UTC'],
    });
    const sourceLink = elements(provenance as Element, 'a')[0];
    expect(sourceLink.getAttribute('href')).toBe('https://lasindias.blog/the-communard-manifesto-html');
    expect(text(provenance as Element)).toContain(SPANISH_LABELS.madeWith);
  });

  it('marks a draft on its title page and every unfinished block with a class and its label; a complete edition has neither', () => {
    const draft = draftManifestoEdition();
    const page = parseHtml(renderEditionHtml(draft, ctx));
    const header = elements(page, 'header')[0];
    expect(text(header)).toContain(SPANISH_LABELS.draft);
    expect(text(header)).toContain(SPANISH_LABELS.draftNotice);
    const marked = elements(page, '*').filter((e) => /\bmarked\b/.test(e.getAttribute('class') ?? ''));
    const expected = allBlocks(draft).filter((b) => b.mark);
    expect(marked.map((e) => e.getAttribute('class'))).toEqual(expected.map((b) => `marked marked-${b.mark}`));
    const labelFor = { untranslated: SPANISH_LABELS.markUntranslated, drifted: SPANISH_LABELS.markDrifted, unapproved: SPANISH_LABELS.markUnapproved };
    marked.forEach((e, i) => expect(text(elements(e, 'span')[0])).toBe(labelFor[expected[i].mark ?? 'untranslated']));
    expect(new Set(expected.map((b) => b.mark))).toEqual(new Set(['untranslated', 'drifted', 'unapproved']));
    expect(html).not.toMatch(/class="marked|class="draft/);
    expect(html).not.toContain(SPANISH_LABELS.draftNotice);
  });
});

describe('renderEditionEpub', () => {
  const edition = manifestoEdition();
  const epub = renderEditionEpub(edition, ctx);
  const files = unzipEpub(epub);

  it('is an OCF container: mimetype first, stored, without extra field; everything else deflated', () => {
    const entries = zipEntries(epub);
    expect(entries[0]).toEqual({ name: 'mimetype', method: 0, extra: 0, offset: 0 });
    expect(strFromU8(epub.subarray(38, 58))).toBe('application/epub+zip');
    expect(entries.slice(1).every((e) => e.method === 8)).toBe(true);
    expect(entries.map((e) => e.name).sort()).toEqual(Object.keys(files).sort());
    expect(parseXml(files['META-INF/container.xml']).getElementsByTagName('rootfile')[0].getAttribute('full-path')).toBe('OEBPS/package.opf');
  });

  it('has a title page, the contents, one XHTML file per chapter and a provenance page, in that reading order', () => {
    const spine = spineDocuments(files);
    expect(spine.map((s) => s.href)).toEqual(['title.xhtml', 'nav.xhtml', ...edition.chapters.map((c) => `chapter-${c.number}.xhtml`), 'provenance.xhtml']);
    for (const { doc } of spine) {
      const root = doc.documentElement as Element;
      expect(root.namespaceURI).toBe(XHTML_NS);
      expect([root.getAttribute('lang'), root.getAttribute('xml:lang'), root.getAttribute('dir')]).toEqual(['es', 'es', 'ltr']);
    }
    const chapterHeadings = spine.slice(2, -1).map(({ doc }) => elements(doc, 'h1').map((h) => text(h)));
    expect(chapterHeadings).toEqual(edition.chapters.map((c) => (c.title ? [inlineText(c.title)] : [])));
    expect(text(elements(spine[0].doc, 'h1')[0])).toBe('El manifiesto comunero');
    expect(text(spine[spine.length - 1].doc.documentElement as Element)).toContain('Level Translation');
  });

  it('has a navigation document listing the chapters and their level-2 sections, each link pointing at its heading', () => {
    const nav = parseXml(files['OEBPS/nav.xhtml'], 'application/xhtml+xml');
    const toc = elements(nav, 'nav').find((n) => n.getAttributeNS(OPS_NS, 'type') === 'toc') as Element;
    const top = Array.from((elements(toc, 'ol')[0] as Element).childNodes).filter((n) => (n as Element).tagName === 'li') as Element[];
    expect(top.map((li) => text(elements(li, 'a')[0]))).toEqual([SPANISH_LABELS.opening, ...headings(edition, 1), SPANISH_LABELS.provenance]);
    expect(elements(toc, 'a').slice(1, -1).filter((a) => (a.getAttribute('href') ?? '').includes('#')).map((a) => text(a))).toEqual(headings(edition, 2));
    for (const a of elements(toc, 'a')) {
      const [file, id] = (a.getAttribute('href') ?? '').split('#');
      expect(Object.keys(files)).toContain(`OEBPS/${file}`);
      if (id) expect(files[`OEBPS/${file}`]).toContain(`id="${id}"`);
    }
  });

  it('describes the book in package.opf: title, language, authors, translators, reviewers, dates, rights, source', () => {
    const { doc, dc, meta } = opfOf(files);
    expect(dc('title')).toEqual(['El manifiesto comunero']);
    expect(dc('language')).toEqual(['es']);
    expect(dc('identifier')).toEqual([edition.identifier]);
    expect(doc.documentElement?.getAttribute('unique-identifier')).toBe(Array.from(doc.getElementsByTagNameNS(DC_NS, 'identifier'))[0].getAttribute('id'));
    expect(dc('creator')).toEqual(['Las Indias Cooperative Group']);
    const roles = Array.from(doc.getElementsByTagNameNS(DC_NS, 'contributor')).map((c) => [c.textContent, meta('role', `#${c.getAttribute('id')}`)[0]]);
    expect(roles).toEqual([
      ['Ana García', 'trl'],
      ['Joan Puig', 'trl'],
      ['Marta López', 'rev'],
    ]);
    const roleMetas = Array.from(doc.getElementsByTagNameNS(OPF_NS, 'meta')).filter((m) => m.getAttribute('property') === 'role');
    expect(roleMetas.every((m) => m.getAttribute('scheme') === 'marc:relators')).toBe(true);
    expect(meta('dcterms:modified')).toEqual(['2024-04-01T16:45:07Z']);
    expect(dc('date')).toEqual(['2024-04-01']);
    expect(dc('rights')).toEqual(['Anti-Copyright']);
    expect(dc('source')).toEqual(['The Communard Manifesto', 'https://lasindias.blog/the-communard-manifesto-html']);
    expect(meta('schema:version', '#source')).toEqual(['2']);
    expect(dc('description')).toEqual([SPANISH_LABELS.madeWith]);
    expect(Array.from(doc.getElementsByTagNameNS(OPF_NS, 'spine'))[0].hasAttribute('page-progression-direction')).toBe(false);
  });

  it('reads right to left when the language does: dir on every document, rtl page progression', () => {
    const arabic = unzipEpub(renderEditionEpub(arabicEdition(), ctx));
    expect(Array.from(opfOf(arabic).doc.getElementsByTagNameNS(OPF_NS, 'spine'))[0].getAttribute('page-progression-direction')).toBe('rtl');
    const roots = spineDocuments(arabic).map(({ doc }) => doc.documentElement as Element);
    expect(roots.map((r) => [r.getAttribute('lang'), r.getAttribute('dir')])).toEqual(roots.map(() => ['ar', 'rtl']));
  });

  it('keeps links out of the book and turns links to files it does not hold into text', () => {
    const book = unzipEpub(
      renderEditionEpub(buildTestEdition([{ kind: 'paragraph', text: 'See [the site](https://example.org/), [a note](notes.md) and [above](#top).', translatable: true }]), ctx),
    );
    const p = elements(parseXml(book['OEBPS/chapter-1.xhtml'], 'application/xhtml+xml'), 'p')[0];
    expect(elements(p, 'a').map((a) => a.getAttribute('href'))).toEqual(['https://example.org/']);
    expect(text(p)).toBe('See the site, a note and above.');
  });

  it('marks a draft like the HTML does', () => {
    const draft = draftManifestoEdition();
    const book = unzipEpub(renderEditionEpub(draft, ctx));
    expect(text(parseXml(book['OEBPS/title.xhtml'], 'application/xhtml+xml').documentElement as Element)).toContain(SPANISH_LABELS.draftNotice);
    const marked = Object.entries(book)
      .filter(([name]) => /chapter-\d+\.xhtml$/.test(name))
      .flatMap(([, content]) => elements(parseXml(content, 'application/xhtml+xml'), '*').filter((e) => /\bmarked\b/.test(e.getAttribute('class') ?? '')));
    expect(marked).toHaveLength(allBlocks(draft).filter((b) => b.mark).length);
  });

  describe('epubcheck', () => {
    let temp: TempDir | undefined;
    let results: Record<string, Awaited<ReturnType<typeof runEpubcheck>>>;

    beforeAll(async () => {
      requireEpubcheck();
      const dir = (temp = makeTempDir('edition-epub')).dir;
      const books = { manifesto: edition, draft: draftManifestoEdition(), arabic: arabicEdition(), nested: editionOfMarkdown(NESTED_MARKDOWN) };
      // Each run starts a JVM (seconds): all at once.
      const checked = await Promise.all(
        Object.entries(books).map(async ([name, book]) => {
          const file = path.join(dir, `${name}.epub`);
          writeFileSync(file, renderEditionEpub(book, ctx));
          return [name, await runEpubcheck(file)] as const;
        }),
      );
      results = Object.fromEntries(checked);
    }, 180_000);

    afterAll(() => temp?.cleanup());

    it.each(['manifesto', 'draft', 'arabic', 'nested'])('passes epubcheck with no error and no warning: %s edition', (name) => {
      const result = results[name];
      expect(result.problems).toEqual([]);
      expect(result.output).toMatch(/No errors or warnings detected/);
      expect(result.status).toBe(0);
    });
  });
});

describe('renderEditionMarkdown', () => {
  /** The blocks a Markdown edition segments back into, without the provenance section at its end. */
  function readBack(markdown: string, edition: Edition) {
    const { meta, blocks } = readSource('edition', markdown, 'markdown');
    const count = allBlocks(edition).length;
    return { meta, blocks: blocks.slice(0, count), rest: blocks.slice(count) };
  }
  const shape = (blocks: { kind: string; level?: number; ordered?: boolean; continued?: boolean; text: string }[]) =>
    blocks.map(({ kind, level, ordered, continued, text: t }) => ({ kind, level, ordered, continued: continued || undefined, text: t }));

  it('segments back into the manifesto edition: same kinds, levels and texts, then the provenance', () => {
    const edition = manifestoEdition();
    const markdown = renderEditionMarkdown(edition);
    const { meta, blocks, rest } = readBack(markdown, edition);
    expect(shape(blocks)).toEqual(shape(allBlocks(edition)));
    expect(shape(blocks)).toEqual(shape(manifestoSource().blocks));
    expect(meta).toMatchObject({ title: 'El manifiesto comunero', authors: ['Las Indias Cooperative Group'], language: 'es', source: 'https://lasindias.blog/the-communard-manifesto-html', license: 'Anti-Copyright' });
    expect(rest[0]).toMatchObject({ kind: 'heading', level: 1, text: SPANISH_LABELS.provenance });
    expect(rest.map((b) => b.text).join('\n')).toContain('Level Translation');
  });

  it('segments back into a document with nested and continued list items, nested quotes, code, a table, raw HTML and a rule', () => {
    const edition = editionOfMarkdown(NESTED_MARKDOWN);
    const { blocks } = readBack(renderEditionMarkdown(edition), edition);
    expect(shape(blocks)).toEqual(shape(segmentMarkdown(NESTED_MARKDOWN)));
    expect(blocks.filter((b) => b.kind === 'list-item').map((b) => [b.level, b.ordered, b.continued ?? false])).toContainEqual([1, false, true]);
  });

  it('keeps a translation that looks like Markdown block syntax in its own block', () => {
    const tricky = [
      '1984. The year of the book',
      '# Not a heading',
      '- Not a list item',
      '> Not a quote',
      'A paragraph\n---\nthat is not a heading',
      'A line\n1. that is no list',
      '<div>not raw HTML</div>',
      '[note]: https://example.org',
      '    four spaces in',
      'A first paragraph\n\nand a blank line in the translation',
    ];
    const edition = buildTestEdition([
      ...tricky.map((t) => ({ kind: 'paragraph' as const, text: t, translatable: true })),
      { kind: 'list-item', level: 1, ordered: true, text: '2. Not a nested item', translatable: true },
      { kind: 'quote', level: 1, text: '## Not a heading in a quote', translatable: true },
      { kind: 'heading', level: 2, text: 'Written in C#', translatable: true },
      { kind: 'heading', level: 2, text: 'Ends with a hash #', translatable: true },
    ]);
    const { blocks, rest } = readBack(renderEditionMarkdown(edition), edition);
    expect(blocks.map((b) => [b.kind, b.level])).toEqual(allBlocks(edition).map((b) => [b.kind, b.level]));
    const plain = (t: string) => inlineText(t).replace(/\s+/g, ' ').trim();
    expect(blocks.map((b) => plain(b.text))).toEqual(allBlocks(edition).map((b) => plain(b.text)));
    expect(rest[0].kind).toBe('heading');
  });

  it('keeps every block of any translation: random texts of Markdown syntax segment back into the same blocks and words', () => {
    // Pieces of block syntax (headings, quotes, lists, rules, setext underlines, HTML, tables, references), in any order.
    const piece = fc.constantFrom('word', 'two words', '# ', '## x', '>', '> q', '- ', '- x', '+ y', '* z', '***', '---', '___', '===', '1. a', '2) b', '1984. y', '<div>', '<p>x</p>', '<span>', '</div>', '<!-- c -->', '<?x?>', '[a]: /u', '[a]', '    ', '  ', '\t', '| a | b |', '|---|---|', '\\', '*', '_', '`', 'C#', ' #', '<https://x.org>', '&amp;', '[x](y)');
    const line = fc.array(piece, { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    const textArb = fc
      .array(line, { minLength: 1, maxLength: 3 })
      .map((lines) => lines.join('\n'))
      .filter((t) => inlineText(t).trim() !== '' && !/\\\s*$/.test(t));
    const level = fc.integer({ min: 1, max: 3 });
    const blockArb: fc.Arbitrary<TestBlock> = fc.oneof(
      textArb.map((t) => ({ kind: 'paragraph' as const, text: t, translatable: true })),
      fc.tuple(textArb, level).map(([t, l]) => ({ kind: 'quote' as const, level: l, text: t, translatable: true })),
      fc.tuple(textArb, level, fc.boolean(), fc.boolean()).map(([t, l, ordered, continued]) => ({ kind: 'list-item' as const, level: l, ordered, continued: continued || undefined, text: t, translatable: true })),
      fc.tuple(line, fc.integer({ min: 1, max: 6 })).filter(([t]) => inlineText(t).trim() !== '').map(([t, l]) => ({ kind: 'heading' as const, level: l, text: t, translatable: true })),
    );
    // The words a reader sees: a paragraph's lines lose their leading blanks before inline parsing
    // (CommonMark), so a tab that starts a line is no text, however the line is indented.
    const words = (t: string) => inlineText(t.replace(/^[ \t]+/gm, '')).replace(/\s+/g, ' ').trim();
    fc.assert(
      fc.property(fc.array(blockArb, { minLength: 1, maxLength: 6 }), (blocks) => {
        const edition = buildTestEdition(blocks);
        const { blocks: back } = readBack(renderEditionMarkdown(edition), edition);
        expect(back.map((b) => [b.kind, b.level, words(b.text)])).toEqual(allBlocks(edition).map((b) => [b.kind, b.level, words(b.text)]));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('starts with YAML front matter holding the metadata', () => {
    const edition = manifestoEdition({ title: 'Ampersands & <angles>: "quoted"' });
    const markdown = renderEditionMarkdown(edition);
    const yaml = /^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? '';
    expect(parseYaml(yaml)).toEqual({
      title: 'Ampersands & <angles>: "quoted"',
      authors: ['Las Indias Cooperative Group'],
      language: 'es',
      translators: ['Ana García', 'Joan Puig'],
      reviewers: ['Marta López'],
      license: 'Anti-Copyright',
      draft: false,
      completeness: 100,
      sourceTitle: 'The Communard Manifesto',
      sourceLanguage: 'en',
      sourceVersion: 2,
      sourceVersionDate: '2024-03-12T09:30:00.000Z',
      sourceDate: '2016-05-09',
      originalTranslator: 'Level Translation',
      source: 'https://lasindias.blog/the-communard-manifesto-html',
      exportedAt: '2024-04-01T16:45:07.123Z',
      identifier: edition.identifier,
    });
  });

  it('prefixes each unfinished block of a draft with its label in brackets; a complete edition has none', () => {
    const draft = draftManifestoEdition();
    const markdown = renderEditionMarkdown(draft);
    const { blocks } = readBack(markdown, draft);
    const labelFor = { untranslated: SPANISH_LABELS.markUntranslated, drifted: SPANISH_LABELS.markDrifted, unapproved: SPANISH_LABELS.markUnapproved };
    allBlocks(draft).forEach((block, i) => {
      expect(blocks[i].text).toBe(block.mark ? `[${labelFor[block.mark]}] ${block.text}` : block.text);
    });
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(markdown)?.[1] ?? '')).toMatchObject({ draft: true, draftNotice: SPANISH_LABELS.draftNotice });
    expect(renderEditionMarkdown(manifestoEdition())).not.toMatch(/\[(Aún sin traducir|El original ha cambiado|Aún sin revisar)/);
  });
});

describe('renderEditionText', () => {
  const edition = editionOfMarkdown(NESTED_MARKDOWN, { sourceUrl: 'https://example.org/source', license: 'CC BY-SA 4.0' });
  const txt = renderEditionText(edition);

  it('underlines headings, bullets and numbers list items, indents quotes and code', () => {
    expect(txt).toContain('Lists\n=====\n');
    expect(txt).toContain('Quotes\n------\n');
    expect(txt).toContain('Code and tables\n~~~~~~~~~~~~~~~\n');
    expect(txt).toContain('• A bullet item\n• Another, with a nested list:\n  • nested one\n  • nested two\n    1. deeper, ordered\n    2. deeper again\n\n  A further paragraph of the second item.\n• Back at the top level\n');
    expect(txt).toContain('9. ninth\n10. tenth, with a wider marker\n    • nested under the tenth\n');
    expect(txt).toContain('    A quote on two lines.\n\n        A quote in the quote.\n');
    expect(txt).toContain('\n    const answer = 42; // <kept> & "verbatim"\n');
    expect(txt).not.toContain('```');
  });

  it('removes inline Markdown, keeping the words and the addresses of links', () => {
    const plain = renderEditionText(
      buildTestEdition([{ kind: 'paragraph', text: 'Some *emphasis*, **strong**, `code`, a [link](https://example.org/a), <https://example.org/b>, ![an image](x.png) and a\\*star.', translatable: true }]),
    );
    expect(plain).toContain('Some emphasis, strong, code, a link <https://example.org/a>, https://example.org/b, an image and a*star.');
  });

  it('opens with the title page and ends with the provenance', () => {
    expect(txt.startsWith('==============\nA test edition\n==============\n\nA collective\nEnglish\n')).toBe(true);
    const provenance = txt.slice(txt.indexOf('About this edition\n'));
    expect(provenance).toContain('Original title: A test source <https://example.org/source>\nSource version 2 of March 12, 2024\n');
    expect(provenance).toContain('Translators: Ana García and Joan Puig\nReviewers: Marta López\n');
    expect(provenance).toContain('Licence: CC BY-SA 4.0\nExported: April 1, 2024 at 4:45 PM UTC\n');
    expect(provenance).toMatch(/Completeness: 100% \(28 \/ 28\)/);
    expect(txt.trimEnd().endsWith('Made with the translation workbench from version 2 of the source.')).toBe(true);
  });

  it('gives the source version and its date after a label that does not hold them', () => {
    const bare = buildTestEdition([{ kind: 'paragraph', text: 'Text.', translatable: true }], { labels: { ...ENGLISH_LABELS, sourceVersion: 'Source version' } });
    expect(renderEditionText(bare)).toContain('\nSource version: 2 (March 12, 2024)\n');
  });

  it('says a draft is one and marks its unfinished blocks', () => {
    const draft = renderEditionText(draftManifestoEdition());
    expect(draft).toContain(`[${SPANISH_LABELS.draft}] ${SPANISH_LABELS.draftNotice}`);
    expect(draft).toContain(`[${SPANISH_LABELS.markUntranslated}] To the friends in the Club de las Indias`);
    expect(renderEditionText(manifestoEdition())).not.toContain(SPANISH_LABELS.markUntranslated);
  });
});

describe('escaping in every format', () => {
  const hostile = buildTestEdition(
    [
      { kind: 'heading', level: 1, text: 'A <b>heading</b> & more', translatable: true },
      { kind: 'paragraph', text: '<script>alert(1)</script>', translatable: true },
      { kind: 'paragraph', text: '"><img src=x onerror=alert(1)>', translatable: true },
      { kind: 'paragraph', text: '[x](javascript:alert(1)) and [y](JAVASCRIPT:alert(1))', translatable: true },
      { kind: 'paragraph', text: '![z](https://evil.example/pixel.png)', translatable: true },
      { kind: 'html', text: '<script>alert(2)</script>', translatable: false },
      { kind: 'list-item', level: 1, text: '<iframe src="https://evil.example"></iframe>', translatable: true, mark: 'untranslated' },
      { kind: 'paragraph', text: 'Pasted\u0008 from\u0000 another *program*\uFFFF, with a lone \uD800 surrogate', translatable: true },
    ],
    { title: 'Tom & Jerry <b>bold</b>', authors: ['A & B <c>'], translators: ['"><script>alert(3)</script>', 'Control\u000B Character'], draft: true },
  );

  function expectHarmless(doc: Document): void {
    for (const tag of ['script', 'img', 'iframe', 'b']) expect(elements(doc, tag)).toHaveLength(0);
    for (const a of elements(doc, 'a')) expect(a.getAttribute('href') ?? '').not.toMatch(/^\s*javascript:/i);
  }

  it('HTML: translations and metadata are text, never markup or script links', () => {
    const html = renderEditionHtml(hostile, ctx);
    const doc = parseHtml(html);
    expectHarmless(doc);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(text(elements(doc, 'title')[0])).toBe('Tom & Jerry <b>bold</b>');
    expect(html).toContain('<title>Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;</title>');
    expect(text(elements(doc, 'main')[0])).toContain('<script>alert(1)</script>');
    expect(text(elements(doc, 'main')[0])).toContain('"><img src=x onerror=alert(1)>');
  });

  it('EPUB: every document stays well-formed and harmless, and the package metadata holds the exact title', () => {
    const files = unzipEpub(renderEditionEpub(hostile, ctx));
    for (const { doc } of spineDocuments(files)) expectHarmless(doc);
    // Characters XML forbids (C0 controls, U+FFFF, unpaired surrogates) are left out, not written.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const notXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
    for (const [name, content] of Object.entries(files)) expect([name, notXml.test(content)]).toEqual([name, false]);
    expect(files['OEBPS/chapter-1.xhtml']).toContain('Pasted from another <em>program</em>, with a lone  surrogate');
    expect(opfOf(files).dc('contributor')).toContain('Control Character');
    expect(Object.values(files).join('\n')).not.toMatch(/href="javascript:/i);
    const { dc } = opfOf(files);
    expect(dc('title')).toEqual(['Tom & Jerry <b>bold</b>']);
    expect(dc('creator')).toEqual(['A & B <c>']);
    expect(files['OEBPS/package.opf']).toContain('Tom &amp; Jerry &lt;b&gt;bold&lt;/b&gt;');
  });

  it('Markdown and text: the title comes back exactly as it was', () => {
    const markdown = renderEditionMarkdown(hostile);
    expect(readSource('x', markdown, 'markdown').meta).toMatchObject({ title: 'Tom & Jerry <b>bold</b>', authors: ['A & B <c>'] });
    expect(renderEditionText(hostile)).toContain('\nTom & Jerry <b>bold</b>\n');
  });
});
