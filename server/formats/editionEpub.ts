import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Edition } from '../domain/edition';
import { renderEditionTemplate } from './editionTemplates';
import { chapterFile, editionView } from './editionView';

const XHTML = 'application/xhtml+xml';

interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}

/** Renders an edition as an EPUB 3 book: a title page, the contents, one file per chapter, a provenance page. */
export function renderEditionEpub(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): Uint8Array {
  const view = editionView(edition, 'epub', options);
  const render = (name: Parameters<typeof renderEditionTemplate>[1], data: Record<string, unknown>): Uint8Array => strToU8(renderEditionTemplate(ctx.appRoot, name, data));
  const modified = epubDateTime(edition.exportedAt);

  const files: Record<string, Uint8Array> = {
    'title.xhtml': render('epub-title', view),
    'nav.xhtml': render('epub-nav', { ...view, chapterFile }),
  };
  view.chapters.forEach((chapter, i) => {
    files[chapterFile(chapter.number)] = render('epub-chapter', { ...view, chapter, label: view.toc[i].label });
  });
  files['provenance.xhtml'] = render('epub-provenance', view);
  files['style.css'] = render('epub-style', { bilingual: view.bilingual });

  const items: ManifestItem[] = Object.keys(files).map((href) => ({
    id: href.replace(/\.\w+$/, ''),
    href,
    mediaType: href.endsWith('.css') ? 'text/css' : XHTML,
    properties: href === 'nav.xhtml' ? 'nav' : undefined,
  }));
  const spine = items.filter((item) => item.mediaType === XHTML).map((item) => item.id);
  const packageDocument = render('epub-package', { edition, modified, date: modified.slice(0, 10), items, spine });

  const entries: Zippable = {
    // The OCF rule: `mimetype` first, stored (not compressed), so a reader can sniff the type at a fixed offset.
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': render('epub-container', { packagePath: 'OEBPS/package.opf' }),
    'OEBPS/package.opf': packageDocument,
  };
  for (const [name, data] of Object.entries(files)) entries[`OEBPS/${name}`] = data;
  // Every entry dated at the export, not at the moment of zipping: an edition's bytes follow from it.
  return zipSync(entries, { level: 6, mtime: new Date(edition.exportedAt) });
}

/** An ISO 8601 date-time as EPUB's dcterms:modified wants it: CCYY-MM-DDThh:mm:ssZ, in UTC. */
function epubDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new Error(`The edition's export time is not a date: ${iso}`);
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
