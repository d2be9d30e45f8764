import { Router } from 'express';
import type { Project } from '../application/createWorkbench';
import { checkParams } from '../http/checkParams';
import { permitTranslatorOrReviewer } from '../http/permit';

/** Machine suggestions for a paragraph, for the translators and reviewers of its language (a provider may cost money). */
export function machineApi(project: Project): Router {
  const router = Router();
  checkParams(router);

  router.get('/documents/:doc/locales/:lang/segments/:id/machine', async (req, res) => {
    permitTranslatorOrReviewer(res, req.params.lang);
    const { suggestions, notes } = await project.machine.suggest(req.params.doc, req.params.lang, req.params.id);
    res.json({ configured: project.machine.configured, suggestions, notes });
  });

  return router;
}
