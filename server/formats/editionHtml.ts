import type { Edition } from '../domain/edition';
import { renderEditionTemplate } from './editionTemplates';
import { editionView } from './editionView';

/** Renders an edition as one standalone HTML page (title page, contents, chapters, provenance). */
export function renderEditionHtml(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): string {
  return renderEditionTemplate(ctx.appRoot, 'html', editionView(edition, 'html', options));
}

/**
 * renderEditionHtml as the file's bytes, its steps apart: for a book each one (the view, the
 * template, the encoding) is a tenth of a second or less of the server's thread, and the saves
 * that come meanwhile are served in between instead of after the whole page.
 */
export async function writeEditionHtml(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): Promise<Uint8Array> {
  const view = editionView(edition, 'html', options);
  await nextTurn();
  const html = renderEditionTemplate(ctx.appRoot, 'html', view);
  await nextTurn();
  return Buffer.from(html, 'utf8');
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
