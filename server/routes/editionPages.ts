import { checkParams } from '../http/checkParams';
import { Router, type Request, type Response } from 'express';
import { actorOf } from '../auth/authenticate';
import { splitSections } from '../domain/splitSections';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { fileUpload } from '../http/fileUpload';
import { permit } from '../http/permit';
import { queryFlag, queryString } from '../http/queryValues';
import { sendExport } from '../http/sendExport';
import type { Project } from '../application/createWorkbench';
import { MAX_XLIFF_BYTES } from '../application/xliffImports';

/** The Edition page of a locale: checklist, title, exports, and XLIFF/TMX uploads (forms work without JavaScript). */
export function editionPages(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { editions, imports, memories, workbench } = project;
  const reader = (req: Request) => req.language ?? 'en';
  const base = (req: Request) => `/documents/${req.params.doc}/locales/${req.params.lang}`;
  // Only someone who may translate the locale has an upload read at all.
  const upload = fileUpload('translate', MAX_XLIFF_BYTES);

  const renderEdition = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const checklist = await editions.checklist(String(req.params.doc), String(req.params.lang), reader(req));
    const memoryList = await memories.list(checklist.context.locale.code);
    res.render('edition', { ...checklist, memories: memoryList, base: base(req), formError: undefined, exportError: undefined, notice: undefined, ...extra });
  };

  router.get('/documents/:doc/locales/:lang/edition', async (req, res) => {
    // After a memory upload (see below): said by the memory's id, so the notice is one the page can vouch for.
    const imported = queryString(req.query.imported, 'imported');
    if (imported === undefined) return renderEdition(req, res);
    const memory = (await memories.list(String(req.params.lang))).find((m) => m.id === imported);
    await renderEdition(req, res, memory ? { notice: { key: 'edition.memoryImported', values: { name: memory.name, pairs: memory.pairs } } } : {});
  });

  // A link to one paragraph: the editor page (section) that holds it.
  router.get('/documents/:doc/locales/:lang/paragraph/:id', async (req, res) => {
    const context = await workbench.locale(req.params.doc, req.params.lang, reader(req));
    const index = context.document.segments.findIndex((s) => s.id === req.params.id);
    if (index < 0) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${req.params.id}".`, { params: { title: context.document.meta.title, id: String(req.params.id) } });
    const section = splitSections(context.document.segments).find((s) => s.start <= index && index < s.end);
    res.redirect(302, `${base(req)}?section=${section?.index ?? 0}#seg-${context.document.segments[index].id}`);
  });

  router.get('/documents/:doc/locales/:lang/export/:format', async (req, res) => {
    try {
      const exported = await editions.export(req.params.doc, req.params.lang, req.params.format, { draft: queryFlag(req.query.draft), who: actorOf(res)?.name });
      sendExport(res, exported);
    } catch (err) {
      // An incomplete edition: the page again, with what is missing.
      if (!isWorkbenchError(err) || err.code !== 'edition-incomplete') throw err;
      res.status(409);
      await renderEdition(req, res, { exportError: { message: err.message, format: req.params.format } });
    }
  });

  router.post('/documents/:doc/locales/:lang/edition/title', async (req, res) => {
    permit(res, 'translate', req.params.lang);
    try {
      await editions.setTitle(req.params.doc, req.params.lang, (req.body as { title?: unknown }).title);
      res.redirect(303, `${base(req)}/edition`);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status !== 400) throw err;
      res.status(400);
      await renderEdition(req, res, { formError: { form: 'title', message: err.message } });
    }
  });

  router.post('/documents/:doc/locales/:lang/import', ...upload, async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    try {
      if (!req.file) throw new WorkbenchError(400, 'file-missing', 'Choose the XLIFF file to import.');
      const name = req.file.originalname || 'upload.xlf';
      const result = await imports.run(String(req.params.doc), String(req.params.lang), req.file.buffer, { name, who: actor.name, dryRun: true });
      const staged = await imports.stage(req.file.buffer, { document: result.context.document.id, locale: result.context.locale.code, name, who: actor.name });
      res.render('importPreview', { ...result, staged, name, base: base(req), applied: false });
    } catch (err) {
      if (!isWorkbenchError(err) || err.status >= 500 || err.status === 404 || err.status === 401 || err.status === 403) throw err;
      res.status(err.status);
      await renderEdition(req, res, { formError: { form: 'import', message: err.message } });
    }
  });

  router.post('/documents/:doc/locales/:lang/import/:stage', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { entry, bytes } = await imports.staged(req.params.stage, actor.name);
    if (entry.document !== req.params.doc || entry.locale !== req.params.lang) throw new WorkbenchError(404, 'import-not-found', 'This upload belongs to another locale.');
    if ((req.body as { action?: unknown }).action !== 'apply') {
      await imports.unstage(entry.id);
      res.redirect(303, `${base(req)}/edition`);
      return;
    }
    const result = await imports.run(entry.document, entry.locale, bytes, { name: entry.name, who: actor.name });
    await imports.unstage(entry.id);
    res.render('importPreview', { ...result, staged: entry, name: entry.name, base: base(req), applied: true });
  });

  router.post('/documents/:doc/locales/:lang/memories', ...upload, async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    try {
      if (!req.file) throw new WorkbenchError(400, 'file-missing', 'Choose the TMX file to import.');
      const context = await workbench.locale(String(req.params.doc), String(req.params.lang));
      const info = await memories.import(context.locale.code, context.document.meta.language, req.file.buffer, { name: req.file.originalname || 'memory.tmx', who: actor.name });
      // Back to the page's own address (the upload's carries the form's token), with what was imported.
      res.redirect(303, `${base(req)}/edition?imported=${encodeURIComponent(info.id)}`);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status >= 500 || err.status === 404 || err.status === 401 || err.status === 403) throw err;
      res.status(err.status);
      await renderEdition(req, res, { formError: { form: 'memory', message: err.message } });
    }
  });

  return router;
}
