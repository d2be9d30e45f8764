import { Router, type Request, type Response } from 'express';
import type { Project } from '../application/createWorkbench';
import { actorOf } from '../auth/authenticate';
import { can } from '../auth/permissions';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { checkParams } from '../http/checkParams';
import { permit } from '../http/permit';
import { searchQueryOf } from '../http/searchQueryOf';

/** Results on one page of the search page. */
const PAGE_SIZE = 50;

/** The search page: search the project, and (for a translator of the language) search and replace in a document's translations, previewed first. */
export function searchPages(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { search, workbench } = project;

  const render = async (req: Request, res: Response, extra: Record<string, unknown> = {}, within: Record<string, string> = {}) => {
    const documents = await workbench.listDocuments(req.language ?? 'en');
    const languages = [...new Map(documents.flatMap((d) => d.locales.map((l) => [l.code, l] as const))).values()];
    const raw = { ...(req.query as Record<string, unknown>), ...within };
    const asked = typeof raw.q === 'string' && raw.q !== '';
    let found: Awaited<ReturnType<typeof search.search>> | undefined;
    let error: string | undefined;
    const query = searchQueryOf({ ...raw, limit: String(PAGE_SIZE), offset: String(PAGE_SIZE * Number(/^\d{1,6}$/.test(String(raw.page ?? '')) ? raw.page : 0)) }, { limit: PAGE_SIZE });
    if (asked) {
      try {
        found = await search.search(query);
      } catch (err) {
        if (!isWorkbenchError(err) || err.status >= 500) throw err;
        res.status(err.status);
        error = err.message;
      }
    }
    const actor = actorOf(res);
    const canReplace = !!(actor && query.doc && query.lang && can(actor, 'translate', query.lang));
    res.render('search', { query, documents, languages, found, error, page: query.offset / PAGE_SIZE, pageSize: PAGE_SIZE, canReplace, preview: undefined, replaced: undefined, ...extra });
  };

  router.get('/search', async (req, res) => render(req, res));

  router.post('/documents/:doc/locales/:lang/replace', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = req.body as Record<string, unknown>;
    const field = (name: string): string => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const mode = field('mode') === 'regex' ? 'regex' : 'phrase';
    let revisions: Record<string, number> | undefined;
    if (field('revisions') !== '') {
      try {
        revisions = JSON.parse(field('revisions')) as Record<string, number>;
      } catch {
        throw new WorkbenchError(400, 'invalid-body', 'The preview this replacement was made from is not readable: preview it again.');
      }
    }
    // The page keeps the search it came from (the query string of the form's action), in this document and language.
    const within = { doc: req.params.doc, lang: req.params.lang };
    const dryRun = field('apply') !== '1';
    try {
      const result = await workbench.translations.replace(req.params.doc, req.params.lang, { find: field('find'), replace: field('replace'), mode, dryRun, ...(revisions ? { revisions } : {}) }, actor.name);
      await render(req, res, dryRun ? { preview: { ...result, find: field('find'), replace: field('replace'), mode } } : { replaced: result }, within);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status >= 500) throw err;
      res.status(err.status);
      await render(req, res, { error: err.message }, within);
    }
  });

  return router;
}
