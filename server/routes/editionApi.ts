import { checkParams } from '../http/checkParams';
import express, { Router, type Request } from 'express';
import { actorOf } from '../auth/authenticate';
import type { Project } from '../application/createWorkbench';
import { paragraphLink } from '../application/editions';
import { WorkbenchError } from '../errors';
import { fileUpload } from '../http/fileUpload';
import { BODIES, parseBody } from '../http/parseBody';
import { permit } from '../http/permit';
import { queryFlag } from '../http/queryValues';
import { sendExport } from '../http/sendExport';
import type { ImportResult } from '../application/xliffImports';
import { MAX_XLIFF_BYTES } from '../application/xliffImports';

/** Media types a script may send an XLIFF or TMX file as. */
const XML_TYPES = ['application/xml', 'text/xml', 'application/xliff+xml', 'application/x-xliff+xml', 'application/x-tmx+xml', 'application/octet-stream'];

/** The JSON API of editions and interchange, under /api (documented in the README). */
export function editionApi(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { editions, imports, memories, memory, workbench } = project;
  const raw = express.raw({ type: XML_TYPES, limit: MAX_XLIFF_BYTES });
  // The file of an upload: a multipart field "file", or the whole body sent as XML. Only read for someone who may translate.
  const fileOf = [...fileUpload('translate', MAX_XLIFF_BYTES), raw];
  const bytesOf = (req: Request): { bytes: Uint8Array; name: string } => {
    if (req.file) return { bytes: req.file.buffer, name: req.file.originalname || 'upload' };
    if (Buffer.isBuffer(req.body) && req.body.byteLength > 0) return { bytes: req.body, name: typeof req.query.name === 'string' ? req.query.name.slice(0, 200) : 'upload' };
    throw new WorkbenchError(400, 'file-missing', `Send the file as the request body (Content-Type: ${XML_TYPES[2]}) or as a multipart field "file".`);
  };

  router.get('/documents/:doc/locales/:lang/edition', async (req, res) => {
    const { context, completeness, missing, openErrors, requireApproval, record } = await editions.checklist(req.params.doc, req.params.lang);
    res.json({
      document: context.document.id,
      locale: context.locale.code,
      sourceVersion: context.document.version,
      title: record.title ?? null,
      complete: missing.length === 0,
      requireApproval,
      completeness,
      missing: missing.map((m) => ({ id: m.id, reason: m.reason, link: paragraphLink(context, m.id) })),
      openErrors: openErrors.map((e) => ({ id: e.id, checks: e.checks.map((c) => c.id), link: paragraphLink(context, e.id) })),
      exports: record.exports,
    });
  });

  router.put('/documents/:doc/locales/:lang/edition/title', async (req, res) => {
    permit(res, 'translate', req.params.lang);
    const record = await editions.setTitle(req.params.doc, req.params.lang, parseBody(BODIES.title, req).title);
    res.json({ title: record.title ?? null });
  });

  router.get('/documents/:doc/locales/:lang/export/:format', async (req, res) => {
    const draft = queryFlag(req.query.draft);
    sendExport(res, await editions.export(req.params.doc, req.params.lang, req.params.format, { draft, force: queryFlag(req.query.force), who: actorOf(res)?.name }));
  });

  router.post('/documents/:doc/locales/:lang/import', ...fileOf, async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { bytes, name } = bytesOf(req);
    const dryRun = queryFlag(req.query.dryRun);
    res.json(importJson(await imports.run(String(req.params.doc), String(req.params.lang), bytes, { name, who: actor.name, dryRun }), dryRun));
  });

  router.post('/documents/:doc/locales/:lang/memories', ...fileOf, async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { bytes, name } = bytesOf(req);
    const context = await workbench.locale(String(req.params.doc), String(req.params.lang));
    res.status(201).json({ memory: await memories.import(context.locale.code, context.document.meta.language, bytes, { name, who: actor.name }) });
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/memory', async (req, res) => {
    res.json({ matches: await memory.matches(req.params.doc, req.params.lang, req.params.id) });
  });

  return router;
}

/** An import's plan (and what was written) as JSON. */
function importJson(result: ImportResult, dryRun: boolean): Record<string, unknown> {
  const { plan } = result;
  return {
    dryRun,
    written: result.written,
    fileVersion: plan.fileVersion,
    newTranslations: plan.newTranslations.map(({ segment, fileId, matchedBy, target }) => ({ segment, fileId, matchedBy, target })),
    changed: plan.changed.map(({ segment, fileId, matchedBy, before, target, diff }) => ({ segment, fileId, matchedBy, before, target, diff })),
    conflicts: [...plan.conflicts, ...result.changedMeanwhile.map((c) => ({ segment: c.segment, fileId: c.fileId, reason: 'edited-here', here: c.before ?? '', theirs: c.target }))],
    unchanged: plan.unchanged,
    emptyInFile: plan.emptyInFile,
    unknown: plan.unknown,
    skipped: plan.skipped,
    unmappedStates: plan.unmappedStates ?? [],
  };
}
