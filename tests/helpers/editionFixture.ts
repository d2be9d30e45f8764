import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assignIds } from '../../server/domain/assignIds';
import type { Completeness, DraftMark, Edition, EditionBlock, EditionChapter, EditionLabels } from '../../server/domain/edition';
import { readSource } from '../../server/domain/segmentDocument';
import { segmentMarkdown, type Block } from '../../server/domain/segmentMarkdown';
import { REPO_ROOT } from './project';

/** English labels, as the workbench's catalog words them (version and date already filled in). */
export const ENGLISH_LABELS: EditionLabels = {
  contents: 'Contents',
  provenance: 'About this edition',
  opening: 'Opening',
  draft: 'DRAFT',
  draftNotice: 'Draft: 62% complete. Marked paragraphs are not finished.',
  markUntranslated: 'Not translated yet: the original text',
  markDrifted: 'The original has changed since this was translated',
  markUnapproved: 'Not reviewed yet',
  sourceTitle: 'Original title',
  authors: 'Authors',
  sourceLanguage: 'Translated from',
  sourceVersion: 'Source version 2 of March 12, 2024',
  originalTranslation: 'Source translation',
  translators: 'Translators',
  reviewers: 'Reviewers',
  completeness: 'Completeness',
  license: 'Licence',
  exportedAt: 'Exported',
  madeWith: 'Made with the translation workbench from version 2 of the source.',
};

/** Spanish labels, for an edition whose words and dates are not English. */
export const SPANISH_LABELS: EditionLabels = {
  contents: 'Índice',
  provenance: 'Sobre esta edición',
  opening: 'Inicio',
  draft: 'BORRADOR',
  draftNotice: 'Borrador: 62 % completo. Los párrafos marcados no están terminados.',
  markUntranslated: 'Aún sin traducir: texto original',
  markDrifted: 'El original ha cambiado desde que se tradujo',
  markUnapproved: 'Aún sin revisar',
  sourceTitle: 'Título original',
  authors: 'Autores',
  sourceLanguage: 'Traducido del',
  sourceVersion: 'Versión 2 del original, del 12 de marzo de 2024',
  originalTranslation: 'Traducción de origen',
  translators: 'Traducción',
  reviewers: 'Revisión',
  completeness: 'Completitud',
  license: 'Licencia',
  exportedAt: 'Exportado',
  madeWith: 'Hecho con el banco de traducción a partir de la versión 2 del original.',
};

const ARABIC_LABELS: EditionLabels = {
  contents: 'المحتويات',
  provenance: 'عن هذه الطبعة',
  opening: 'البداية',
  draft: 'مسودة',
  draftNotice: 'مسودة: اكتمل منها 100٪.',
  markUntranslated: 'لم يُترجم بعد: النص الأصلي',
  markDrifted: 'تغيّر الأصل منذ ترجمة هذا',
  markUnapproved: 'لم يُراجع بعد',
  sourceTitle: 'العنوان الأصلي',
  authors: 'المؤلفون',
  sourceLanguage: 'مترجم عن',
  sourceVersion: 'النسخة 2 من الأصل بتاريخ 12 مارس 2024',
  originalTranslation: 'ترجمة المصدر',
  translators: 'الترجمة',
  reviewers: 'المراجعة',
  completeness: 'الاكتمال',
  license: 'الرخصة',
  exportedAt: 'تاريخ التصدير',
  madeWith: 'صُنعت بمنضدة الترجمة انطلاقًا من النسخة 2 من الأصل.',
};

/** A block of a test edition before it has an id (or with one). */
export type TestBlock = Block & { id?: string; mark?: DraftMark };

/** Cuts blocks into chapters at the highest heading level used, as the edition builder does. */
export function chaptersOf(blocks: EditionBlock[]): EditionChapter[] {
  const top = Math.min(7, ...blocks.filter((b) => b.kind === 'heading').map((b) => b.level ?? 1));
  const chapters: EditionChapter[] = [];
  for (const block of blocks) {
    const opens = block.kind === 'heading' && (block.level ?? 1) === top;
    if (opens) chapters.push({ number: chapters.length + 1, title: block.text, blocks: [] });
    else if (chapters.length === 0) chapters.push({ number: 1, blocks: [] });
    chapters[chapters.length - 1].blocks.push(block);
  }
  return chapters;
}

/** Completeness counted from the blocks' marks (a block without one is done). */
function completenessOf(blocks: EditionBlock[]): Completeness {
  const translatable = blocks.filter((b) => b.translatable);
  const count = (mark: DraftMark): number => translatable.filter((b) => b.mark === mark).length;
  const done = translatable.filter((b) => b.mark === undefined).length;
  const total = translatable.length;
  return { total, done, percent: total === 0 ? 100 : Math.floor((done * 100) / total), untranslated: count('untranslated'), drifted: count('drifted'), unapproved: count('unapproved') };
}

/** An edition of the given blocks (ids given where missing), with English metadata unless overridden. */
export function buildTestEdition(blocks: TestBlock[], overrides: Partial<Omit<Edition, 'chapters' | 'completeness'>> = {}): Edition {
  const withIds = assignIds(blocks.filter((b) => b.id === undefined)).map((b) => b.id);
  let next = 0;
  const editionBlocks: EditionBlock[] = blocks.map((block) => ({ ...block, id: block.id ?? withIds[next++] }));
  return {
    document: 'test-document',
    title: 'A test edition',
    sourceTitle: 'A test source',
    authors: ['A collective'],
    sourceLanguage: 'es',
    language: 'en',
    languageName: 'English',
    sourceLanguageName: 'Spanish',
    dir: 'ltr',
    sourceDir: 'ltr',
    sourceVersion: 2,
    sourceVersionDate: '2024-03-12T09:30:00.000Z',
    translators: ['Ana García', 'Joan Puig'],
    reviewers: ['Marta López'],
    draft: false,
    exportedAt: '2024-04-01T16:45:07.123Z',
    identifier: 'urn:uuid:9b2f4a57-5a43-4d3a-9c1e-3f6f2f3f7a10',
    labels: ENGLISH_LABELS,
    ...overrides,
    completeness: completenessOf(editionBlocks),
    chapters: chaptersOf(editionBlocks),
  };
}

/** An edition of Markdown text (front matter not read: give the metadata as overrides). */
export function editionOfMarkdown(markdown: string, overrides: Partial<Omit<Edition, 'chapters' | 'completeness'>> = {}): Edition {
  return buildTestEdition(segmentMarkdown(markdown), overrides);
}

/** The shipped manifesto, segmented as the workbench segments it. */
export function manifestoSource(): ReturnType<typeof readSource> {
  return readSource('communard-manifesto', readFileSync(path.join(REPO_ROOT, 'source', 'communard-manifesto.md'), 'utf8'), 'markdown');
}

/**
 * A Spanish edition of the manifesto, complete. The source text stands in for the translation: a
 * renderer never reads the language of the text, and the structure and length are the real book's.
 */
export function manifestoEdition(overrides: Partial<Omit<Edition, 'chapters' | 'completeness'>> = {}, marks?: (index: number) => DraftMark | undefined): Edition {
  const { meta, blocks } = manifestoSource();
  let translatable = 0;
  const marked: TestBlock[] = blocks.map((block) => {
    const mark = block.translatable && marks ? marks(translatable++) : undefined;
    return mark ? { ...block, mark } : block;
  });
  return buildTestEdition(marked, {
    document: 'communard-manifesto',
    title: 'El manifiesto comunero',
    sourceTitle: meta.title,
    authors: meta.authors ?? [],
    sourceLanguage: meta.language,
    language: 'es',
    languageName: 'español',
    sourceLanguageName: 'inglés',
    sourceDate: meta.date,
    originalTranslator: meta.translator,
    sourceUrl: meta.source,
    license: meta.license,
    labels: SPANISH_LABELS,
    ...overrides,
  });
}

/** A draft of the manifesto: some paragraphs untranslated, drifted or not approved, each marked. */
export function draftManifestoEdition(): Edition {
  return manifestoEdition({ draft: true }, (i) => (i % 5 === 0 ? 'untranslated' : i % 7 === 0 ? 'drifted' : i % 11 === 0 ? 'unapproved' : undefined));
}

/** A short Arabic edition (right to left), with lists, a quote and an inline link. */
export const ARABIC_MARKDOWN = `افتتاحية قصيرة قبل الفصل الأول.

# معضلة عصرنا

## الوفرة في المتناول

لم تكن القدرات التقنية في تاريخ البشرية قط بهذه القوة وهذه السهولة في متناول الناس العاديين كما هي اليوم.

- التطور الهائل للإنترنت في التسعينيات.
- ثروة صُنعت في أماكن هامشية.
  - بأيدي ملايين المنتجين الصغار.

> المعرفة خير مشترك.

## عدم المساواة والبطالة

اقرأ [النص الكامل](https://lasindias.blog/the-communard-manifesto) بالصيغة التي تفضلها.

# الرأسمالية ونقادها

كان هناك زمن غيّرت فيه الرأسمالية العالم.
`;

/** The Arabic edition of ARABIC_MARKDOWN. */
export function arabicEdition(overrides: Partial<Omit<Edition, 'chapters' | 'completeness'>> = {}): Edition {
  return editionOfMarkdown(ARABIC_MARKDOWN, {
    document: 'communard-manifesto',
    title: 'البيان الكوموني',
    sourceTitle: 'The Communard Manifesto',
    authors: ['Las Indias Cooperative Group'],
    sourceLanguage: 'en',
    language: 'ar',
    languageName: 'العربية',
    sourceLanguageName: 'الإنجليزية',
    dir: 'rtl',
    translators: ['ليلى حداد'],
    reviewers: ['سمير خوري'],
    sourceUrl: 'https://lasindias.blog/the-communard-manifesto-html',
    license: 'Anti-Copyright',
    labels: ARABIC_LABELS,
    ...overrides,
  });
}

/** A document with every kind of block: nested and continued list items, nested quotes, code, a table, raw HTML, a rule. */
export const NESTED_MARKDOWN = [
  'Before the first heading, a paragraph',
  'on two lines, with *emphasis* and `code`.',
  '',
  '# Lists',
  '',
  '- A bullet item',
  '- Another, with a nested list:',
  '  - nested one',
  '  - nested two',
  '    1. deeper, ordered',
  '    2. deeper again',
  '',
  '  A further paragraph of the second item.',
  '- Back at the top level',
  '',
  '1. first',
  '2. second',
  '3. third',
  '4. fourth',
  '5. fifth',
  '6. sixth',
  '7. seventh',
  '8. eighth',
  '9. ninth',
  '10. tenth, with a wider marker',
  '    - nested under the tenth',
  '',
  '## Quotes',
  '',
  '> A quote',
  '> on two lines.',
  '>',
  '> > A quote in the quote.',
  '',
  '> A second quote.',
  '',
  '### Code and tables',
  '',
  '```js',
  'const answer = 42; // <kept> & "verbatim"',
  '```',
  '',
  '    indented code',
  '',
  '| Left | Right |',
  '|:-----|------:|',
  '| a    | 1     |',
  '| b    | 2     |',
  '',
  '<div class="note"><p>Raw HTML</div>',
  '',
  '---',
  '',
  '# After the rule',
  '',
  'The last paragraph.',
].join('\n');
