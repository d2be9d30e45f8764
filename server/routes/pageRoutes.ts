import { checkParams } from '../http/checkParams';
import { Router, type Request, type Response } from 'express';
import { MAX_SOURCE_BYTES } from '../domain/decodeSourceUpload';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { allowSelfApproval, autoPropagate, permit, permitTranslatorOrReviewer } from '../http/permit';
import { queryInt, queryString } from '../http/queryValues';
import { buildEditorPage, readerPage } from '../http/buildEditorPage';
import { fileUpload } from '../http/fileUpload';
import { segmentsOf } from '../application/localeTally';
import type { Workbench } from '../application/workbench';
import type { XliffImports } from '../application/xliffImports';
import { checksByCheck } from '../application/segmentViews';
import { actorOf } from '../auth/authenticate';
import { can } from '../auth/permissions';
import { similarParagraphs } from '../domain/similarParagraphs';
import { workflowState } from '../domain/workflowState';

/** The HTML pages: dashboard, source reader, editor, and the no-JavaScript form posts. */
export function pageRoutes(workbench: Workbench, machines?: { configured: boolean }, staging?: Pick<XliffImports, 'stage' | 'staged' | 'unstage'>): Router {
  const router = Router();
  checkParams(router);
  const reader = (req: Request) => req.language ?? 'en';

  const renderDashboard = async (req: Request, res: Response, formError?: { document: string; code: string; message: string }) => {
    const documents = await workbench.listDocuments(reader(req));
    res.render('dashboard', { documents, formError });
  };

  router.get('/', async (req, res) => renderDashboard(req, res));

  router.post('/documents/:doc/locales', async (req, res) => {
    const code = (req.body as { code?: unknown }).code;
    try {
      permit(res, 'start-locale', code);
      const locale = await workbench.startLocale(req.params.doc, code, reader(req));
      res.redirect(303, `/documents/${req.params.doc}/locales/${locale.code}`);
    } catch (err) {
      // A bad tag or an existing locale: show the dashboard again with the message beside the form.
      if (!isWorkbenchError(err) || (err.status !== 400 && err.status !== 409 && err.status !== 403)) throw err;
      res.status(err.status);
      await renderDashboard(req, res, { document: req.params.doc, code: typeof code === 'string' ? code : '', message: err.message });
    }
  });

  const renderDocument = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const document = await workbench.document(String(req.params.doc));
    const versions = await workbench.versions(document.id);
    const shown = queryInt(req.query.version, 'version') ?? versions[versions.length - 1]?.number;
    const page = readerPage(document, queryInt(req.query.section, 'section'));
    const removed = await workbench.removedCounts(document.id);
    res.render('document', { document, ...page, versions, shownVersion: versions.find((v) => v.number === shown), uploadError: undefined, removed, ...extra });
  };

  router.get('/documents/:doc', async (req, res) => renderDocument(req, res));

  // Only an admin's upload is read at all.
  // A new source text is shown as a preview first (what it changes, what it does to each
  // language), kept for its confirmation; nothing is written before "Apply".
  router.post('/documents/:doc/source', ...fileUpload('admin', MAX_SOURCE_BYTES), async (req, res) => {
    const actor = permit(res, 'admin');
    try {
      if (!req.file) throw new WorkbenchError(400, 'source-missing', 'Choose the file of the new source text.');
      if (!staging) throw new WorkbenchError(500, 'no-staging', 'This server keeps no uploads for a preview.');
      const name = req.file.originalname || 'source.md';
      const preview = await workbench.previewSourceUpdate(String(req.params.doc), req.file.buffer, { name, who: actor.name });
      const staged = preview.changed ? await staging.stage(req.file.buffer, { document: preview.document, locale: '', name, who: actor.name }) : undefined;
      res.render('sourcePreview', { document: await workbench.document(preview.document), preview, staged, name, applyError: undefined });
    } catch (err) {
      // A bad file: the page again, with the reason beside the form.
      if (!isWorkbenchError(err) || err.status >= 500 || err.status === 404) throw err;
      res.status(err.status);
      await renderDocument(req, res, { uploadError: { message: err.message } });
    }
  });

  router.post('/documents/:doc/source/:stage', async (req, res) => {
    const actor = permit(res, 'admin');
    if (!staging) throw new WorkbenchError(404, 'import-not-found', 'This upload is no longer waiting.');
    const { entry, bytes } = await staging.staged(String(req.params.stage), actor.name);
    if (entry.document !== req.params.doc || entry.locale !== '') throw new WorkbenchError(404, 'import-not-found', 'This upload belongs to another document.');
    if ((req.body as { action?: unknown }).action !== 'apply') {
      await staging.unstage(entry.id);
      res.redirect(303, `/documents/${entry.document}#versions`);
      return;
    }
    const force = (req.body as { force?: unknown }).force === 'yes';
    try {
      // Planned again against the source as it is now: what is applied is this text on the current version.
      const report = await workbench.updateSource(entry.document, bytes, { name: entry.name, force, who: actor.name });
      await staging.unstage(entry.id);
      res.redirect(303, `/documents/${entry.document}?version=${report.version.number}#versions`);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status >= 500 || err.status === 404) throw err;
      // Refused (it takes most translations out of a language, and force was not ticked): the preview again, with the reason.
      res.status(err.status);
      const preview = await workbench.previewSourceUpdate(entry.document, bytes, { name: entry.name, who: actor.name });
      res.render('sourcePreview', { document: await workbench.document(entry.document), preview, staged: entry, name: entry.name, applyError: err.message });
    }
  });

  router.get('/documents/:doc/locales/:lang', async (req, res) => {
    const context = await workbench.withSpeller(await workbench.locale(req.params.doc, req.params.lang, reader(req)), { wait: false });
    const filter = queryString(req.query.filter, 'filter');
    // The checks are worked out for the whole document only when asked for (a book's take a moment).
    const failing = filter === 'checks' ? new Set((await workbench.translations.openChecks(context)).keys()) : undefined;
    const page = buildEditorPage(workbench, context, { section: queryInt(req.query.section, 'section'), page: queryInt(req.query.page, 'page'), filter }, failing);
    // Machine suggestions are offered to the language's translators and reviewers, when a provider is configured.
    const actor = actorOf(res);
    const machine = !!machines?.configured && !!actor && (can(actor, 'translate', context.locale.code) || can(actor, 'review', context.locale.code));
    res.render('editor', { ...page, machine, discussion: await workbench.discussions.discussion(context) });
  });

  // The checks page of a locale: every failing paragraph, by check (errors first), with a link to it in the editor.
  router.get('/documents/:doc/locales/:lang/checks', async (req, res) => {
    const context = await workbench.withSpeller(await workbench.locale(req.params.doc, req.params.lang, reader(req)));
    const open = await workbench.translations.openChecks(context);
    const texts = segmentsOf(context.document);
    const groups = checksByCheck(open).map(({ id, severity, failing }) => ({
      id,
      severity,
      segments: failing.map(({ segment, check }) => ({ id: segment, source: texts.get(segment)?.text ?? '', target: context.units.get(segment)?.target ?? '', check })),
    }));
    res.render('checks', { context, groups, spelling: !!context.speller });
  });

  const editorAt = (req: Request, id: string) => `/documents/${req.params.doc}/locales/${req.params.lang}${editorForm(req.body).back}#seg-${id}`;

  router.post('/documents/:doc/locales/:lang/segments/:id/suggest', async (req, res) => {
    const { actor, canReview } = permitTranslatorOrReviewer(res, req.params.lang);
    await workbench.discussions.suggest(req.params.doc, req.params.lang, req.params.id, { text: (req.body as { text?: unknown }).text }, actor.name, canReview);
    res.redirect(303, editorAt(req, req.params.id));
  });

  router.post('/documents/:doc/locales/:lang/suggestions/:sid/:decision', async (req, res, next) => {
    if (req.params.decision !== 'accept' && req.params.decision !== 'decline') return next();
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    const { baseRevision } = editorForm(req.body);
    await workbench.discussions.decideSuggestion(req.params.doc, req.params.lang, req.params.sid, { accept: req.params.decision === 'accept', baseRevision }, actor.name);
    res.redirect(303, editorAt(req, String((req.body as { segment?: unknown }).segment ?? '')));
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/comment', async (req, res) => {
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    const body = req.body as { text?: unknown; thread?: unknown };
    await workbench.discussions.comment(req.params.doc, req.params.lang, req.params.id, { text: body.text, thread: body.thread }, actor.name);
    res.redirect(303, editorAt(req, req.params.id));
  });

  router.post('/documents/:doc/locales/:lang/threads/:tid/resolve', async (req, res) => {
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    const thread = await workbench.discussions.resolveThread(req.params.doc, req.params.lang, req.params.tid, actor.name);
    res.redirect(303, editorAt(req, thread.segment));
  });

  // The review queue, each paragraph with the checks it fails (less those dismissed); `refused`: an approval refused, said at its paragraph.
  const renderReview = async (req: Request, res: Response, refused?: { segment: string; message: string }) => {
    const context = await workbench.withSpeller(await workbench.locale(String(req.params.doc), String(req.params.lang), reader(req)));
    const queue = workbench.segmentsInState(context, 'translated', true);
    const page = queryInt(req.query.page, 'page') ?? 0;
    const pages = Math.max(1, Math.ceil(queue.length / 100));
    const shown = queue.slice(page * 100, (page + 1) * 100);
    const open = await workbench.translations.openChecks(context, shown);
    const segments = workbench.viewOf(context, shown).map((view) => ({ ...view, checks: open.get(view.id) ?? [] }));
    res.render('review', { context, segments, page: Math.min(page, pages - 1), pages, total: queue.length, refused });
  };

  router.get('/documents/:doc/locales/:lang/review', async (req, res) => renderReview(req, res));

  // The translations of paragraphs a source update deleted, each with the paragraphs of the text
  // now that are most like its old source, to put it back into one of them.
  router.get('/documents/:doc/locales/:lang/removed', async (req, res) => {
    const context = await workbench.locale(String(req.params.doc), String(req.params.lang), reader(req));
    const archived = (await workbench.removedUnits(context.document.id, context.locale.code)).filter((unit) => unit.target);
    const shown = archived.slice(0, 100).map((unit) => ({
      unit,
      places: similarParagraphs(unit.source, context.document.segments).map(({ segment, score }) => ({ segment, score, state: workflowState(segment, context.units.get(segment.id)) })),
    }));
    res.render('removed', { context, shown, total: archived.length });
  });

  router.post('/documents/:doc/locales/:lang/removed/restore', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = (req.body ?? {}) as { unit?: unknown; segment?: unknown };
    const context = await workbench.locale(String(req.params.doc), String(req.params.lang));
    const archived = (await workbench.removedUnits(context.document.id, context.locale.code)).find((unit) => unit.id === body.unit && unit.target);
    if (!archived?.target) throw new WorkbenchError(404, 'removed-not-found', 'There is no such translation of a deleted paragraph.');
    const segment = context.document.segments.find((s) => s.id === body.segment && s.translatable);
    if (!segment) throw new WorkbenchError(400, 'segment-not-found', 'Choose the paragraph to put the translation into.');
    const current = context.units.get(segment.id);
    // Into an untranslated paragraph it becomes the translation; over one, it is offered as a suggestion (nothing is overwritten).
    if (current?.target) {
      await workbench.discussions.suggest(context.document.id, context.locale.code, segment.id, { text: archived.target }, actor.name, can(actor, 'review', context.locale.code));
    } else {
      await workbench.translations.saveTarget(context.document.id, context.locale.code, segment.id, { target: archived.target, baseRevision: current?.revision ?? 0 }, actor.name);
    }
    // The paragraph where it went, in its section.
    res.redirect(303, `/documents/${context.document.id}/locales/${context.locale.code}/paragraph/${segment.id}`);
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/history', async (req, res) => {
    res.render('history', await workbench.translations.history(req.params.doc, req.params.lang, req.params.id));
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/revert', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { baseRevision } = editorForm(req.body);
    const entry = Number((req.body as { entry?: unknown }).entry);
    await workbench.translations.revert(req.params.doc, req.params.lang, req.params.id, { entry, baseRevision }, actor.name);
    res.redirect(303, `/documents/${req.params.doc}/locales/${req.params.lang}/segments/${req.params.id}/history`);
  });

  router.get('/documents/:doc/locales/:lang/activity', async (req, res) => {
    res.render('activity', { ...(await workbench.activity.activity(req.params.doc, req.params.lang, { who: queryString(req.query.who, 'who') })), who: queryString(req.query.who, 'who') });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/:decision', async (req, res, next) => {
    if (req.params.decision !== 'approve' && req.params.decision !== 'reject') return next();
    const actor = permit(res, 'review', req.params.lang);
    const { baseRevision } = editorForm(req.body);
    const comment = (req.body as { comment?: unknown }).comment;
    if (req.params.decision === 'approve') {
      try {
        await workbench.translations.approve(req.params.doc, req.params.lang, req.params.id, { baseRevision }, actor.name, { allowSelfApproval: allowSelfApproval(res) });
      } catch (err) {
        // An open error (or a translation changed meanwhile): the review page again, the reason at the paragraph.
        if (!isWorkbenchError(err) || (err.code !== 'checks-open' && err.code !== 'revision-conflict' && err.code !== 'own-translation')) throw err;
        res.status(err.status);
        await renderReview(req, res, { segment: String(req.params.id), message: err.code === 'checks-open' && req.t ? String(req.t('review.checksOpen')) : err.message });
        return;
      }
    } else {
      await workbench.translations.reject(req.params.doc, req.params.lang, req.params.id, { baseRevision, comment }, actor.name);
    }
    res.redirect(303, `/documents/${req.params.doc}/locales/${req.params.lang}/review`);
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/still-correct', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { back, baseRevision } = editorForm(req.body);
    await workbench.translations.confirmCurrent(req.params.doc, req.params.lang, req.params.id, { baseRevision }, actor.name);
    res.redirect(303, `/documents/${req.params.doc}/locales/${req.params.lang}${back}#seg-${req.params.id}`);
  });

  router.post('/documents/:doc/locales/:lang/segments/:id', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { back, baseRevision, target } = editorForm(req.body);
    const editorUrl = `/documents/${req.params.doc}/locales/${req.params.lang}${back}`;
    try {
      const { segment } = await workbench.translations.saveTarget(req.params.doc, req.params.lang, req.params.id, { target, baseRevision }, actor.name);
      // With "propagate": "auto", the translation also goes to the paragraphs with the same source that have none.
      if (autoPropagate(res) && segment.state === 'translated') await workbench.translations.propagate(req.params.doc, req.params.lang, req.params.id, actor.name);
      res.redirect(303, `${editorUrl}#seg-${req.params.id}`);
    } catch (err) {
      if (!isWorkbenchError(err) || err.status !== 409) throw err;
      const current = (err.details as { current: { target: string | null; revision: number } }).current;
      const context = await workbench.locale(req.params.doc, req.params.lang, reader(req));
      const segment = segmentsOf(context.document).get(req.params.id);
      res.status(409).render('conflict', { context, segment, mine: target, current, editorUrl, back });
    }
  });

  return router;
}

/** The fields of an editor form: where to go back to (a query string only), the base revision, the translation. */
function editorForm(body: unknown): { back: string; baseRevision: unknown; target: unknown } {
  const fields = (body ?? {}) as { target?: unknown; baseRevision?: unknown; back?: unknown };
  const back = typeof fields.back === 'string' && /^\?[\w=&%-]*$/.test(fields.back) ? fields.back : '';
  const baseRevision = typeof fields.baseRevision === 'string' && /^\d{1,9}$/.test(fields.baseRevision) ? Number(fields.baseRevision) : fields.baseRevision;
  // Browsers send textarea line breaks as CRLF; the stored text uses LF like the source.
  const target = typeof fields.target === 'string' ? fields.target.replace(/\r\n/g, '\n') : fields.target;
  return { back, baseRevision, target };
}
