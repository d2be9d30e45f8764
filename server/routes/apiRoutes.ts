import { checkParams } from '../http/checkParams';
import { Router, type Request } from 'express';
import { wordDiff } from '../domain/wordDiff';
import { isWorkbenchError, WorkbenchError } from '../errors';
import { actorOf } from '../auth/authenticate';
import { Presence } from '../http/presence';
import type { Workbench } from '../application/workbench';
import { checksByCheck } from '../application/segmentViews';
import type { MachineTranslation } from '../application/machineTranslation';
import { documentJson, localeCounts, progressJson } from '../application/presenters';
import { allowSelfApproval, autoPropagate, permit, permitTranslatorOrReviewer } from '../http/permit';
import { BODIES, parseBody } from '../http/parseBody';
import { segmentJson } from '../http/segmentJson';
import type { LiveEvents } from '../http/liveEvents';
import { queryInt, queryString } from '../http/queryValues';

/** A stale save's 409 also carries the word diff from the saved text to the one that was refused, so the editor can show both. */
async function withConflictDiff<T>(mine: unknown, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    if (isWorkbenchError(err) && err.code === 'revision-conflict' && typeof mine === 'string') {
      const current = (err.details as { current: { target: string | null } }).current;
      (err.details as Record<string, unknown>).diff = wordDiff(current.target ?? '', mine);
    }
    throw err;
  }
}

/** The JSON API under /api (documented in the README). */
export function apiRoutes(workbench: Workbench, machines?: Pick<MachineTranslation, 'served'>, live?: LiveEvents): Router {
  const router = Router();
  checkParams(router);
  const reader = (req: Request) => req.language ?? 'en';

  router.get('/documents', async (req, res) => {
    const documents = await workbench.listDocuments(reader(req));
    res.json({ documents: documents.map(documentJson) });
  });

  router.post('/documents/:doc/locales', async (req, res) => {
    const { code } = parseBody(BODIES.startLocale, req);
    permit(res, 'start-locale', code);
    const locale = await workbench.startLocale(req.params.doc, code, reader(req));
    res.status(201).location(`/api/documents/${req.params.doc}/locales/${locale.code}/segments`).json({ locale: localeCounts(locale) });
  });

  router.get('/documents/:doc/locales/:lang/segments', async (req, res) => {
    const page = await workbench.listSegments(req.params.doc, req.params.lang, {
      offset: queryInt(req.query.offset, 'offset'),
      limit: queryInt(req.query.limit, 'limit'),
      state: queryString(req.query.state, 'state'),
    });
    res.json({ ...page, segments: page.segments.map((segment) => segmentJson(req, segment)) });
  });

  router.put('/documents/:doc/locales/:lang/segments/:id', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = parseBody(BODIES.save, req);
    const lang = String(req.params.lang);
    const taken = body.machine?.provider;
    const machine = taken && machines ? (source: string) => machines.served(lang, source, taken) : undefined;
    const { segment, progress } = await withConflictDiff(body.target, () =>
      workbench.translations.saveTarget(req.params.doc, req.params.lang, req.params.id, { target: body.target, baseRevision: body.baseRevision, machine }, actor.name),
    );
    // With "propagate": "auto", the translation also goes to the paragraphs with the same source that have none.
    const propagated = autoPropagate(res) && segment.state === 'translated' ? await workbench.translations.propagate(req.params.doc, req.params.lang, req.params.id, actor.name) : undefined;
    res.json({ ...segmentJson(req, segment), progress: progressJson(progress), ...(propagated ? { propagated } : {}) });
  });

  // The locale's paragraphs as this server changes them, for the pages that have it open (see liveEvents).
  router.get('/documents/:doc/locales/:lang/events', async (req, res) => {
    if (!live) throw new WorkbenchError(404, 'no-live-events', 'This server sends no live events.');
    // The locale must exist: a stream of nothing is a mistake to say at once.
    await workbench.locale(req.params.doc, req.params.lang, reader(req));
    live.stream(req, res, req.params.doc, req.params.lang, actorOf(res)?.name);
  });

  router.get('/documents/:doc/locales/:lang/checks', async (req, res) => {
    const context = await workbench.locale(req.params.doc, req.params.lang);
    const open = await workbench.translations.openChecks(context);
    const segments = [...open].map(([id, checks]) => ({ id, checks: segmentJson(req, { checks } as Parameters<typeof segmentJson>[1]).checks }));
    // A check that could not run for this language is said, not silently left out.
    const skipped = context.speller ? [] : [{ id: 'spelling', reason: 'no-dictionary', message: req.t ? String(req.t('checks.noDictionary', { lang: context.locale.code })) : `No spelling dictionary for ${context.locale.code}.` }];
    res.json({ checks: checksByCheck(open).map(({ id, severity, failing }) => ({ id, severity, count: failing.length })), segments, skipped });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/checks/:check/dismiss', async (req, res) => {
    const { actor, canReview } = permitTranslatorOrReviewer(res, req.params.lang);
    res.json(await workbench.translations.dismissCheck(req.params.doc, req.params.lang, req.params.id, req.params.check, actor.name, canReview));
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/other-languages', async (req, res) => {
    res.json({ languages: await workbench.translations.otherLanguages(req.params.doc, req.params.lang, req.params.id) });
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/same-source', async (req, res) => {
    const { target, fill, differ } = await workbench.translations.sameSource(req.params.doc, req.params.lang, req.params.id);
    res.json({ target: target ?? null, fill, differ });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/propagate', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    res.json(await workbench.translations.propagate(req.params.doc, req.params.lang, req.params.id, actor.name));
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/still-correct', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = parseBody(BODIES.revision, req);
    const { segment, progress } = await workbench.translations.confirmCurrent(req.params.doc, req.params.lang, req.params.id, body, actor.name);
    res.json({ ...segmentJson(req, segment), progress: progressJson(progress) });
  });

  router.get('/documents/:doc/locales/:lang/removed', async (req, res) => {
    res.json({ units: await workbench.removedUnits(req.params.doc, req.params.lang) });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/approve', async (req, res) => {
    const actor = permit(res, 'review', req.params.lang);
    const body = parseBody(BODIES.revision, req);
    const { segment, progress } = await workbench.translations.approve(req.params.doc, req.params.lang, req.params.id, body, actor.name, { allowSelfApproval: allowSelfApproval(res) });
    res.json({ ...segmentJson(req, segment), progress: progressJson(progress) });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/reject', async (req, res) => {
    const actor = permit(res, 'review', req.params.lang);
    const body = parseBody(BODIES.reject, req);
    const { segment, progress } = await workbench.translations.reject(req.params.doc, req.params.lang, req.params.id, body, actor.name);
    res.json({ ...segmentJson(req, segment), progress: progressJson(progress) });
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/history', async (req, res) => {
    const { segment, entries } = await workbench.translations.history(req.params.doc, req.params.lang, req.params.id);
    res.json({ segment: segmentJson(req, segment), entries });
  });

  router.post('/documents/:doc/locales/:lang/segments/:id/revert', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = parseBody(BODIES.revert, req);
    const { segment } = await workbench.translations.revert(req.params.doc, req.params.lang, req.params.id, body, actor.name);
    res.json(segmentJson(req, segment));
  });

  router.get('/documents/:doc/locales/:lang/activity', async (req, res) => {
    const { feed, contributions } = await workbench.activity.activity(req.params.doc, req.params.lang, { who: queryString(req.query.who, 'who') });
    res.json({ feed, contributions });
  });

  const base = '/documents/:doc/locales/:lang';
  router.get(`${base}/discussion`, async (req, res) => {
    const context = await workbench.locale(req.params.doc, req.params.lang);
    const { suggestions, threads } = await workbench.discussions.discussion(context);
    res.json({ suggestions: [...suggestions.values()].flat(), threads: [...threads.values()].flat() });
  });

  router.post(`${base}/segments/:id/suggestions`, async (req, res) => {
    const { actor, canReview } = permitTranslatorOrReviewer(res, req.params.lang);
    res.status(201).json(await workbench.discussions.suggest(req.params.doc, req.params.lang, req.params.id, parseBody(BODIES.suggest, req), actor.name, canReview));
  });

  router.post(`${base}/suggestions/:sid`, async (req, res) => {
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    const result = await workbench.discussions.decideSuggestion(req.params.doc, req.params.lang, req.params.sid, parseBody(BODIES.decide, req), actor.name);
    res.json(result ? { ...segmentJson(req, result.segment), progress: progressJson(result.progress) } : { declined: true });
  });

  router.post(`${base}/segments/:id/comments`, async (req, res) => {
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    res.status(201).json(await workbench.discussions.comment(req.params.doc, req.params.lang, req.params.id, parseBody(BODIES.comment, req), actor.name));
  });

  router.post(`${base}/threads/:tid/resolve`, async (req, res) => {
    const { actor } = permitTranslatorOrReviewer(res, req.params.lang);
    parseBody(BODIES.empty, req);
    res.json(await workbench.discussions.resolveThread(req.params.doc, req.params.lang, req.params.tid, actor.name));
  });

  const presence = new Presence();
  router.post(`${base}/presence`, async (req, res) => {
    const actor = actorOf(res);
    if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to show where you are.');
    const { segment } = parseBody(BODIES.presence, req);
    const context = await workbench.locale(req.params.doc, req.params.lang);
    const known = typeof segment === 'string' && context.document.segments.some((s) => s.id === segment);
    const at = known ? (segment as string) : null;
    // Told at once to the others' pages over the live stream; the answer says where they are now.
    live?.send(context.document.id, context.locale.code, 'presence', { who: actor.name, segment: at });
    res.json({ others: presence.report(`${context.document.id}/${context.locale.code}`, actor.name, at) });
  });

  router.get('/documents/:doc/versions', async (req, res) => {
    res.json({ versions: await workbench.versions(req.params.doc) });
  });

  router.get('/documents/:doc/drift', async (req, res) => {
    res.json(await workbench.driftReport(req.params.doc, queryString(req.query.locale, 'locale')));
  });

  return router;
}
