import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { parse as parseYaml } from 'yaml';
import { main } from '../scripts/workbench';
import { segmentMarkdown } from '../server/domain/segmentMarkdown';
import { requireEpubcheck, runEpubcheck } from './helpers/epubcheck';
import { makeProject, type TestProject } from './helpers/project';

// Parts of a Markdown source that the stored document and every edition must keep (issue 14, point 9).

const WITH_REFERENCES = `---
title: Notes on the Commune
language: en
subtitle: A reader's companion
publisher: A collective press
tags: [history, "1871"]
---

# Sources

The [Journal officiel][jo] printed the decrees; see also [the archive].

[jo]: https://example.org/journal-officiel "Journal officiel de la Commune"
[the archive]: <https://example.org/archive>

## Further

A [link to the sources](#sources) of this very book.
`;

let project: TestProject;
beforeEach(() => {
  project = makeProject({ 'notes.md': WITH_REFERENCES });
});
afterEach(() => project.cleanup());

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main([...args, '--data', project.dir], { out: (s) => (out += s), err: (s) => (err += s), env: { USER: 'editor' } });
  return { code, out, err };
}

async function exported(format: string, doc = 'notes'): Promise<string> {
  const out = path.join(project.dir, `out.${format}`);
  const run = await cli('export', '--doc', doc, '--locale', 'es', '--format', format, '--draft', '--out', out);
  expect(run).toMatchObject({ code: 0 });
  return format === 'epub' ? out : readFileSync(out, 'utf8');
}

describe('link reference definitions', () => {
  it('are kept as a verbatim block of the document, not dropped', () => {
    const blocks = segmentMarkdown(WITH_REFERENCES.replace(/^---[\s\S]*?---\n/, ''));
    expect(blocks.find((b) => b.kind === 'definition')).toEqual({
      kind: 'definition',
      text: '[jo]: https://example.org/journal-officiel "Journal officiel de la Commune"\n[the archive]: <https://example.org/archive>',
      translatable: false,
    });
    // Nothing else is lost: the paragraph around them is whole.
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'definition', 'heading', 'paragraph']);
  });

  it('are in the Markdown edition, and the links that name them work in the HTML and the EPUB', async () => {
    expect((await cli('new-locale', 'es')).code).toBe(0);
    const markdown = await exported('md');
    expect(markdown).toContain('[jo]: https://example.org/journal-officiel "Journal officiel de la Commune"\n[the archive]: <https://example.org/archive>');
    expect(markdown).toContain('[Journal officiel][jo]');

    const html = await exported('html');
    expect(html).toContain('<a href="https://example.org/journal-officiel" title="Journal officiel de la Commune">Journal officiel</a>');
    expect(html).toContain('<a href="https://example.org/archive">the archive</a>');
    expect(html).not.toContain('[jo]');

    const epub = unzipSync(readFileSync(await exported('epub')));
    const chapters = Object.entries(epub).filter(([name]) => /chapter-\d+\.xhtml$/.test(name)).map(([, bytes]) => strFromU8(bytes)).join('\n');
    expect(chapters).toContain('<a href="https://example.org/journal-officiel" title="Journal officiel de la Commune">Journal officiel</a>');
  });
});

describe('in-document links', () => {
  it('go to the heading they name, in the HTML and across the EPUB\'s chapter files, by the source heading\'s name', async () => {
    expect((await cli('new-locale', 'es')).code).toBe(0);
    const sidecar = JSON.parse(readFileSync(path.join(project.dir, 'source', 'notes.segments.json'), 'utf8')) as { segments: { id: string; kind: string }[] };
    const [heading] = sidecar.segments.filter((s) => s.kind === 'heading');
    expect(heading).toBeDefined();
    const html = await exported('html');
    expect(html).toContain(`<a href="#b-${heading.id}">link to the sources</a>`);
    const epub = unzipSync(readFileSync(await exported('epub')));
    const chapters = Object.entries(epub).filter(([name]) => /chapter-\d+\.xhtml$/.test(name)).map(([, bytes]) => strFromU8(bytes)).join('\n');
    expect(chapters).toContain(`<a href="chapter-1.xhtml#b-${heading.id}">link to the sources</a>`);
  });
});

describe('front matter', () => {
  it('keeps the keys the workbench does not read in the Markdown edition', async () => {
    expect((await cli('new-locale', 'es')).code).toBe(0);
    const markdown = await exported('md');
    const data = parseYaml(/^---\n([\s\S]*?)\n---/.exec(markdown)?.[1] ?? '') as Record<string, unknown>;
    expect(data).toMatchObject({ subtitle: "A reader's companion", publisher: 'A collective press', tags: ['history', '1871'], language: 'es', sourceTitle: 'Notes on the Commune' });
  });
});

/** A plain-text book in Project Gutenberg's manner: a licence with backticks and stars, parts and chapters, an underlined title. */
const PLAIN_BOOK = `The Story of a Night
====================

Use \`make\` to *build* it; the word \`free\` matters, and so does 2 * 3.

BOOK I. THE CITY

CHAPTER I.

It was a dark night.

CHAPTER II. MORNING

Morning came.
Chapter one was over.

BOOK II

CHAPTER III.

The end.
`;

describe('a plain-text source', () => {
  it('is never read as Markdown: its backticks and stars are in every edition; headings by the documented rule give the EPUB its chapters', async () => {
    const book = makeProject({ 'night.txt': PLAIN_BOOK });
    try {
      const run = (...args: string[]) => main([...args, '--data', book.dir], { out: () => undefined, err: () => undefined, env: { USER: 'editor' } });
      expect(await run('new-locale', 'es')).toBe(0);
      const exportTo = async (format: string): Promise<string> => {
        const out = path.join(book.dir, `night.${format}`);
        expect(await run('export', '--doc', 'night', '--locale', 'es', '--format', format, '--draft', '--out', out)).toBe(0);
        return out;
      };
      const text = readFileSync(await exportTo('txt'), 'utf8');
      expect(text).toContain('Use `make` to *build* it; the word `free` matters, and so does 2 * 3.');
      const html = readFileSync(await exportTo('html'), 'utf8');
      expect(html).toContain('Use `make` to *build* it; the word `free` matters, and so does 2 * 3.');
      expect(html).not.toContain('<code>make</code>');
      const markdown = readFileSync(await exportTo('md'), 'utf8');
      // Escaped, so that the Markdown edition shows the same characters.
      expect(markdown).toContain('Use \\`make\\` to \\*build\\* it;');

      const epub = unzipSync(readFileSync(await exportTo('epub')));
      const chapters = Object.keys(epub).filter((name) => /chapter-\d+\.xhtml$/.test(name));
      // The underlined title, BOOK I and BOOK II: three chapters; the CHAPTER lines are their sections.
      expect(chapters).toHaveLength(3);
      const second = strFromU8(epub[chapters.sort()[1]]);
      // (A draft: each heading after its "not yet translated" mark.)
      const heading = (level: number, text: string) => new RegExp(`<h${level}[^>]*>(?:<span class="mark-label">[^<]*</span> )?${text.replace(/\./g, '\\.')}</h${level}>`);
      expect(second).toMatch(heading(1, 'BOOK I. THE CITY'));
      expect(second).toMatch(heading(2, 'CHAPTER I.'));
      expect(second).toMatch(heading(2, 'CHAPTER II. MORNING'));
      // A line that only mentions a chapter inside a paragraph is not a heading.
      expect(second).toContain('Morning came.\nChapter one was over.');
    } finally {
      book.cleanup();
    }
  });
});

const WITH_FOOTNOTES = `---
title: Annotated
language: en
---

# One

The decree was signed.[^decree] It was read aloud.[^2]

# Notes

[^decree]: Of 16 April 1871, on abandoned workshops.

[^2]: In every arrondissement.

    Its second paragraph.
`;

describe('footnotes', () => {
  it('are translatable blocks with their label, exported as footnotes: Markdown definitions, marks linked to the note in the HTML and across EPUB chapters', async () => {
    const book = makeProject({ 'annotated.md': WITH_FOOTNOTES });
    try {
      const blocks = segmentMarkdown(WITH_FOOTNOTES.replace(/^---[\s\S]*?---\n/, ''));
      expect(blocks.filter((b) => b.kind === 'footnote')).toEqual([
        { kind: 'footnote', label: 'decree', continued: undefined, text: 'Of 16 April 1871, on abandoned workshops.', translatable: true },
        { kind: 'footnote', label: '2', continued: undefined, text: 'In every arrondissement.', translatable: true },
        { kind: 'footnote', label: '2', continued: true, text: 'Its second paragraph.', translatable: true },
      ]);
      const run = (...args: string[]) => main([...args, '--data', book.dir], { out: () => undefined, err: () => undefined, env: { USER: 'editor' } });
      expect(await run('new-locale', 'es')).toBe(0);
      // Each note is a paragraph to translate.
      const xliff = readFileSync(path.join(book.dir, 'locales', 'es', 'annotated.xlf'), 'utf8');
      expect(xliff).toContain('<source>Of 16 April 1871, on abandoned workshops.</source>');
      const exportTo = async (format: string): Promise<string> => {
        const out = path.join(book.dir, `annotated.${format}`);
        expect(await run('export', '--doc', 'annotated', '--locale', 'es', '--format', format, '--draft', '--out', out)).toBe(0);
        return out;
      };
      const markdown = readFileSync(await exportTo('md'), 'utf8');
      expect(markdown).toContain('[^decree]: ');
      expect(markdown).not.toContain('\\[^');
      expect(markdown).toMatch(/\[\^2\]: [^\n]*In every arrondissement\.\n\n {4}[^\n]*Its second paragraph\./);
      // The Markdown edition segments back into the same notes.
      expect(segmentMarkdown(markdown.replace(/^---[\s\S]*?---\n/, '')).filter((b) => b.kind === 'footnote').map((b) => [b.label, b.continued ?? false])).toEqual([
        ['decree', false],
        ['2', false],
        ['2', true],
      ]);

      const html = readFileSync(await exportTo('html'), 'utf8');
      expect(html).toContain('<sup class="footnote-ref"><a href="#fn-decree" role="doc-noteref">decree</a></sup>');
      expect(html).toMatch(/<aside class="footnote[^"]*" role="doc-footnote" id="fn-decree">/);
      const text = readFileSync(await exportTo('txt'), 'utf8');
      expect(text).toContain('signed.[decree]');
      expect(text).toMatch(/\[decree\] [^\n]*Of 16 April 1871/);

      const epubPath = await exportTo('epub');
      const epub = unzipSync(readFileSync(epubPath));
      // The mark is in chapter 1, the note in chapter 2.
      expect(strFromU8(epub['OEBPS/chapter-1.xhtml'])).toContain('<a href="chapter-2.xhtml#fn-decree" role="doc-noteref" epub:type="noteref">decree</a>');
      expect(strFromU8(epub['OEBPS/chapter-2.xhtml'])).toContain('id="fn-decree"');
      requireEpubcheck();
      const checked = await runEpubcheck(epubPath);
      expect(checked.problems).toEqual([]);
      expect(checked.status).toBe(0);
    } finally {
      book.cleanup();
    }
  });
});
