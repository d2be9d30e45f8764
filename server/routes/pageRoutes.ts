import { Router, type Request, type Response } from 'express';
import { isWorkbenchError } from '../errors';
import { queryInt, queryString } from '../http/queryValues';
import { buildEditorPage } from '../http/buildEditorPage';
import type { Workbench } from '../workbench';

/** The HTML pages: dashboard, source reader, editor, and the no-JavaScript form posts. */
export function pageRoutes(workbench: Workbench): Router {
  const router = Router();
  const reader = (req: Request) => req.language ?? 'en';

  const renderDashboard = async (req: Request, res: Response, formError?: { document: string; code: string; message: string }) => {
    const documents = await workbench.listDocuments(reader(req));
    res.render('dashboard', { documents, formError });
  };

  router.get('/', async (req, res) => renderDashboard(req, res));

  router.post('/documents/:doc/locales', async (req, res) => {
    const code = (req.body as { code?: unknown }).code;
    try {
      const locale = await workbench.startLocale(req.params.doc, code, reader(req));
      res.redirect(303, `/documents/${req.params.doc}/locales/${locale.code}`);
    } catch (err) {
      // A bad tag or an existing locale: show the dashboard again with the message beside the form.
      if (!isWorkbenchError(err) || (err.status !== 400 && err.status !== 409)) throw err;
      res.status(err.status);
      await renderDashboard(req, res, { document: req.params.doc, code: typeof code === 'string' ? code : '', message: err.message });
    }
  });

  router.get('/documents/:doc', async (req, res) => {
    const document = await workbench.document(req.params.doc);
    res.render('document', { document });
  });

  router.get('/documents/:doc/locales/:lang', async (req, res) => {
    const context = await workbench.locale(req.params.doc, req.params.lang, reader(req));
    const page = buildEditorPage(workbench, context, {
      section: queryInt(req.query.section, 'section'),
      page: queryInt(req.query.page, 'page'),
      filter: queryString(req.query.filter, 'filter'),
    });
    res.render('editor', page);
  });

  router.post('/documents/:doc/locales/:lang/segments/:id', async (req, res) => {
    const body = req.body as { target?: unknown; baseRevision?: unknown; back?: unknown };
    const back = typeof body.back === 'string' && /^\?[\w=&%-]*$/.test(body.back) ? body.back : '';
    const baseRevision = typeof body.baseRevision === 'string' && /^\d{1,9}$/.test(body.baseRevision) ? Number(body.baseRevision) : body.baseRevision;
    // Browsers send textarea line breaks as CRLF; the stored text uses LF like the source.
    const target = typeof body.target === 'string' ? body.target.replace(/\r\n/g, '\n') : body.target;
    const editorUrl = `/documents/${req.params.doc}/locales/${req.params.lang}${back}`;
    try {
      await workbench.saveTarget(req.params.doc, req.params.lang, req.params.id, { target, baseRevision });
      res.redirect(303, `${editorUrl}#seg-${req.params.id}`);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status !== 409) throw err;
      const current = (err.details as { current: { target: string | null; revision: number } }).current;
      const context = await workbench.locale(req.params.doc, req.params.lang, reader(req));
      const segment = context.document.segments.find((s) => s.id === req.params.id);
      res.status(409).render('conflict', { context, segment, mine: target, current, editorUrl, back });
    }
  });

  return router;
}
