import { Router, type Response } from 'express';
import type { Project } from '../application/createWorkbench';
import { actorOf } from '../auth/authenticate';
import { requirePermission } from '../auth/permissions';
import { isWorkbenchError } from '../errors';

/** Each conflict with its paragraph's source text and document title (undefined when the paragraph is gone from the source). */
async function withSources<T extends { document: string; unit: string }>(project: Project, conflicts: T[]): Promise<(T & { source?: string; title?: string })[]> {
  const out: (T & { source?: string; title?: string })[] = [];
  for (const c of conflicts) {
    const document = await project.workbench.document(c.document).catch(() => undefined);
    out.push({ ...c, source: document?.segments.find((s) => s.id === c.unit)?.text, title: document?.meta.title });
  }
  return out;
}

/**
 * The project in git: `POST /api/sync` (administrators) and `GET /api/conflicts`; the Conflicts page
 * (`/conflicts`: the paragraphs a merge found changed on both sides, each with the text it did not
 * keep, now a suggestion), with the Sync panel for administrators (`POST /sync`).
 */
export function gitRoutes(project: Project): Router {
  const router = Router();
  const git = project.git;

  router.post('/api/sync', async (_req, res) => {
    const actor = requirePermission(actorOf(res), 'admin');
    res.json(await git.sync(actor.name));
  });

  router.get('/api/conflicts', async (_req, res) => {
    res.json({ git: Boolean(await git.repository()), conflicts: await git.openConflicts() });
  });

  const render = async (res: Response, extra: Record<string, unknown> = {}) => {
    const repo = await git.repository();
    res.render('conflicts', {
      git: Boolean(repo),
      remote: repo ? await repo.remote() : undefined,
      branch: repo ? await repo.branch() : undefined,
      last: git.last,
      conflicts: await withSources(project, await git.openConflicts()),
      syncError: undefined,
      ...extra,
    });
  };

  router.get('/conflicts', async (_req, res) => {
    await render(res);
  });

  router.post('/sync', async (_req, res) => {
    const actor = requirePermission(actorOf(res), 'admin');
    try {
      await git.sync(actor.name);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status === 401 || err.status === 403) throw err;
      res.status(err.status >= 500 ? 502 : err.status);
      await render(res, { syncError: err.message });
      return;
    }
    res.redirect(303, '/conflicts#sync');
  });

  return router;
}
