import type { Edition } from '../domain/edition';
import { renderEditionTemplate } from './editionTemplates';
import { editionView } from './editionView';

/** Renders an edition as one standalone HTML page (title page, contents, chapters, provenance). */
export function renderEditionHtml(edition: Edition, ctx: { appRoot: string }, options: { bilingual?: boolean } = {}): string {
  return renderEditionTemplate(ctx.appRoot, 'html', editionView(edition, 'html', options));
}
