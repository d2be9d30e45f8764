import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AlignmentAdjustment } from '../application/alignments';
import type { Project } from '../application/createWorkbench';
import { actorOf } from '../auth/authenticate';
import { checkParams } from '../http/checkParams';
import { fileUpload } from '../http/fileUpload';
import { parseBody } from '../http/parseBody';
import { permit } from '../http/permit';
import { queryFlag } from '../http/queryValues';
import { WorkbenchError } from '../errors';

/** The largest translation an alignment takes (a book's text). */
const MAX_TEXT_BYTES = 50 * 1024 * 1024;
/** Media types a script may send a translation's text as. */
const TEXT_TYPES = ['text/plain', 'text/markdown', 'text/x-markdown', 'application/octet-stream'];

const ADJUST = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('merge'), link: z.coerce.number().int().min(0) }),
  z.strictObject({ action: z.literal('split'), link: z.coerce.number().int().min(0) }),
  z.strictObject({ action: z.literal('shift'), link: z.coerce.number().int().min(0), side: z.enum(['source', 'target']), by: z.coerce.number().pipe(z.union([z.literal(1), z.literal(-1)])) }),
]);
const CONFIRM = z.strictObject({ overwrite: z.union([z.array(z.string().max(64)).max(100_000), z.string().max(64)]).optional() });

/** A form's fields without its CSRF token (checked before the route), for the same schemas as the API's bodies. */
function formFields(req: Request): { body: unknown } {
  const fields = { ...((req.body ?? {}) as Record<string, unknown>) };
  delete fields._csrf;
  return { body: fields };
}

const overwriteOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Aligning an existing translation (see Alignments): the API (`POST …/align[?dryRun=1]`,
 * `GET|POST /api/alignments/:id…`) and the pages (the form of the Edition page, the preview where
 * a reviewer adjusts and confirms). Translators of the language only.
 */
export function alignRoutes(project: Project): Router {
  const router = Router();
  checkParams(router);
  const { alignments } = project;
  const raw = express.raw({ type: TEXT_TYPES, limit: MAX_TEXT_BYTES });
  const fileOf = [...fileUpload('translate', MAX_TEXT_BYTES), raw];
  const bytesOf = (req: Request): { bytes: Uint8Array; name: string } => {
    if (req.file) return { bytes: req.file.buffer, name: req.file.originalname || 'translation.md' };
    if (Buffer.isBuffer(req.body) && req.body.byteLength > 0) {
      const fallback = String(req.headers['content-type'] ?? '').startsWith('text/plain') ? 'translation.txt' : 'translation.md';
      return { bytes: req.body, name: typeof req.query.name === 'string' ? req.query.name.slice(0, 200) : fallback };
    }
    throw new WorkbenchError(400, 'file-missing', 'Send the translation as the request body (Content-Type: text/markdown or text/plain) or as a multipart field "file".');
  };

  router.post('/api/documents/:doc/locales/:lang/align', ...fileOf, async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const { bytes, name } = bytesOf(req);
    if (queryFlag(req.query.dryRun)) {
      res.json(await alignments.preview(String(req.params.doc), req.params.lang, bytes, { name, who: actor.name }));
      return;
    }
    res.json(await alignments.alignNow(String(req.params.doc), req.params.lang, bytes, { name, who: actor.name }));
  });

  router.get('/api/alignments/:id', async (req, res) => {
    const preview = await alignments.staged(String(req.params.id), permitOf(res));
    res.json(preview);
  });

  router.post('/api/alignments/:id/adjust', async (req, res) => {
    res.json(await alignments.adjust(String(req.params.id), permitOf(res), parseBody(ADJUST, req) as AlignmentAdjustment));
  });

  router.post('/api/alignments/:id/confirm', async (req, res) => {
    const who = permitOf(res);
    res.json(await alignments.confirm(String(req.params.id), who, { overwrite: overwriteOf(parseBody(CONFIRM, req).overwrite) }));
  });

  // The pages: the Edition page's form, the preview, its adjustments and its confirmation.
  router.post('/documents/:doc/locales/:lang/align', ...fileUpload('translate', MAX_TEXT_BYTES), async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    if (!req.file || req.file.size === 0) throw new WorkbenchError(400, 'file-missing', 'Choose the file of the translation to align.');
    const preview = await alignments.preview(String(req.params.doc), req.params.lang, req.file.buffer, { name: req.file.originalname || 'translation.md', who: actor.name });
    res.redirect(303, `/alignments/${preview.id}`);
  });

  router.get('/alignments/:id', async (req, res) => {
    const preview = await alignments.staged(String(req.params.id), permitOf(res));
    res.render('alignPreview', { preview, all: queryFlag(req.query.all) });
  });

  router.post('/alignments/:id/adjust', async (req, res) => {
    const adjustment = parseBody(ADJUST, formFields(req)) as AlignmentAdjustment;
    await alignments.adjust(String(req.params.id), permitOf(res), adjustment);
    res.redirect(303, `/alignments/${String(req.params.id)}#link-${adjustment.link}`);
  });

  router.post('/alignments/:id/confirm', async (req, res) => {
    const result = await alignments.confirm(String(req.params.id), permitOf(res), { overwrite: overwriteOf(parseBody(CONFIRM, formFields(req)).overwrite) });
    res.redirect(303, `/documents/${result.document}/locales/${result.lang}?aligned=${result.written}`);
  });

  return router;
}

/** Who asks (a staged alignment is its uploader's only): 401 without a login. */
function permitOf(res: express.Response): string {
  const actor = actorOf(res);
  if (!actor) throw new WorkbenchError(401, 'login-required', 'Log in to make changes.', { params: {} });
  return actor.name;
}
