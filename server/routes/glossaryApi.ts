import express, { Router, type Request, type Response } from 'express';
import { sendExport } from '../http/sendExport';
import type { Project } from '../application/createWorkbench';
import { MAX_GLOSSARY_BYTES, type GlossaryTerm } from '../application/glossary';
import { checkParams } from '../http/checkParams';
import { fileUpload } from '../http/fileUpload';
import { BODIES, parseBody } from '../http/parseBody';
import { permitTranslatorOrReviewer } from '../http/permit';
import { queryFlag, queryString } from '../http/queryValues';
import { WorkbenchError } from '../errors';
import { segmentsOf } from '../application/localeTally';
import { termsOf } from '../application/segmentViews';

/** The media types a glossary file may be sent as, as the whole body. */
const FILE_TYPES = ['application/xml', 'text/xml', 'application/x-tbx+xml', 'application/tbx+xml', 'text/csv', 'text/plain', 'application/octet-stream'];

/** A term as the API gives it. */
export function termJson(term: GlossaryTerm) {
  const { id, source, sourceLanguage, translations, forbidden, partOfSpeech, note, caseSensitive, revision, who, at } = term;
  return { id, source, sourceLanguage, translations, forbidden, partOfSpeech, note, caseSensitive, revision, who, at };
}

/** A term's fields from a request body, defaults filled in. */
function termInput(body: ReturnType<typeof BODIES.term.parse>) {
  return {
    source: body.source,
    translations: body.translations ?? [],
    forbidden: body.forbidden ?? [],
    partOfSpeech: body.partOfSpeech ?? '',
    note: body.note ?? '',
    caseSensitive: body.caseSensitive ?? false,
  };
}

/** The glossaries' JSON API, under /api (documented in the README): terms, import and export, and the terms of a paragraph. */
export function glossaryApi(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { glossary, workbench } = project;
  const editor = (req: Request, res: Response) => permitTranslatorOrReviewer(res, req.params.lang).actor;
  const raw = express.raw({ type: FILE_TYPES, limit: MAX_GLOSSARY_BYTES });
  const bytesOf = (req: Request): { bytes: Uint8Array; name: string } => {
    if (req.file) return { bytes: req.file.buffer, name: req.file.originalname || 'glossary' };
    if (Buffer.isBuffer(req.body) && req.body.byteLength > 0) return { bytes: req.body, name: queryString(req.query.name, 'name')?.slice(0, 200) ?? (req.is('text/csv') ? 'glossary.csv' : 'glossary') };
    throw new WorkbenchError(400, 'file-missing', 'Send the TBX or CSV file as the request body (Content-Type: application/x-tbx+xml or text/csv) or as a multipart field "file".');
  };

  router.get('/glossary/:lang/terms', async (req, res) => {
    res.json({ terms: (await glossary.list(req.params.lang, queryString(req.query.q, 'q') ?? '')).map(termJson) });
  });

  router.post('/glossary/:lang/terms', async (req, res) => {
    const actor = editor(req, res);
    const body = parseBody(BODIES.term, req);
    res.status(201).json({ term: termJson(await glossary.add(req.params.lang, { ...termInput(body), sourceLanguage: body.sourceLanguage }, actor.name)) });
  });

  router.get('/glossary/:lang/terms/:id', async (req, res) => {
    res.json({ term: termJson(await glossary.get(req.params.lang, req.params.id)) });
  });

  router.put('/glossary/:lang/terms/:id', async (req, res) => {
    const actor = editor(req, res);
    const body = parseBody(BODIES.term, req);
    if (body.revision === undefined) throw new WorkbenchError(400, 'revision-required', 'revision must be the revision of the term you changed (a whole number).');
    res.json({ term: termJson(await glossary.update(req.params.lang, req.params.id, { ...termInput(body), revision: body.revision }, actor.name)) });
  });

  router.delete('/glossary/:lang/terms/:id', async (req, res) => {
    editor(req, res);
    const revision = Number(queryString(req.query.revision, 'revision') ?? (req.body as { revision?: unknown } | undefined)?.revision);
    if (!Number.isInteger(revision) || revision < 1) throw new WorkbenchError(400, 'revision-required', 'revision must be the revision of the term you remove (?revision=N).');
    await glossary.remove(req.params.lang, req.params.id, revision);
    res.status(204).end();
  });

  router.post('/glossary/:lang/import', ...fileUpload(editor, MAX_GLOSSARY_BYTES), raw, async (req, res) => {
    const actor = editor(req, res);
    const { bytes, name } = bytesOf(req);
    res.json(
      await glossary.import(req.params.lang, bytes, {
        name,
        format: queryString(req.query.format, 'format'),
        sourceLanguage: queryString(req.query.sourceLanguage, 'sourceLanguage'),
        who: actor.name,
        dryRun: queryFlag(req.query.dryRun),
      }),
    );
  });

  router.get('/glossary/:lang/export', async (req, res) => {
    const lang = String(req.params.lang);
    sendExport(res, await glossary.export(lang, req.query.format ?? 'tbx', { sourceLanguage: queryString(req.query.sourceLanguage, 'sourceLanguage'), title: `Glossary (${lang})`, tool: 'Translation workbench' }));
  });

  router.get('/documents/:doc/locales/:lang/segments/:id/terms', async (req, res) => {
    const context = await workbench.locale(req.params.doc, req.params.lang);
    const segment = segmentsOf(context.document).get(req.params.id);
    if (!segment) throw new WorkbenchError(404, 'segment-not-found', `"${context.document.meta.title}" has no paragraph "${req.params.id}".`, { params: { title: context.document.meta.title, id: String(req.params.id) } });
    res.json({ terms: context.glossary ? termsOf(context.glossary, segment.text) : [] });
  });

  return router;
}
