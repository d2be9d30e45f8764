import { Router } from 'express';
import type { Project } from '../application/createWorkbench';
import { BODIES, parseBody } from '../http/parseBody';
import { permit } from '../http/permit';
import { searchQueryOf } from '../http/searchQueryOf';

/** Search across the project, and search and replace in a language. */
export function searchApi(project: Project): Router {
  const router = Router();
  const { search, workbench } = project;

  router.get('/search', async (req, res) => {
    res.json(await search.search(searchQueryOf(req.query)));
  });

  router.post('/documents/:doc/locales/:lang/replace', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = parseBody(BODIES.replace, req);
    res.json(await workbench.translations.replace(req.params.doc, req.params.lang, { ...body, mode: body.mode ?? 'phrase' }, actor.name));
  });

  return router;
}
