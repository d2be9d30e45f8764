import { Router } from 'express';
import type { Project } from '../application/createWorkbench';
import { WorkbenchError } from '../errors';
import { BODIES, parseBody } from '../http/parseBody';
import { permit } from '../http/permit';

const IN = ['source', 'target', 'both'] as const;
const MODES = ['words', 'phrase', 'regex'] as const;

/** One query-string value as text (a repeated parameter is refused), or undefined. */
function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new WorkbenchError(400, 'invalid-query', `"${name}" must be given once, as text.`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[], fallback: T): T {
  const given = text(value, name);
  if (given === undefined || given === '') return fallback;
  if (!(allowed as readonly string[]).includes(given)) throw new WorkbenchError(400, 'invalid-query', `"${name}" must be one of: ${allowed.join(', ')}.`);
  return given as T;
}

function whole(value: unknown, name: string, fallback: number, max: number): number {
  const given = text(value, name);
  if (given === undefined || given === '') return fallback;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n > max) throw new WorkbenchError(400, 'invalid-query', `"${name}" must be a whole number from 0 to ${max}.`);
  return n;
}

/** Search across the project, and search and replace in a language. */
export function searchApi(project: Project): Router {
  const router = Router();
  const { search, workbench } = project;

  router.get('/search', async (req, res) => {
    const lang = text(req.query.lang, 'lang');
    const doc = text(req.query.doc, 'doc');
    const limit = whole(req.query.limit, 'limit', 20, 100);
    res.json(
      await search.search({
        q: text(req.query.q, 'q') ?? '',
        in: oneOf(req.query.in, 'in', IN, 'both'),
        mode: oneOf(req.query.mode, 'mode', MODES, 'words'),
        ...(lang ? { lang } : {}),
        ...(doc ? { doc } : {}),
        offset: whole(req.query.offset, 'offset', 0, 1_000_000),
        limit: limit === 0 ? 20 : limit,
      }),
    );
  });

  router.post('/documents/:doc/locales/:lang/replace', async (req, res) => {
    const actor = permit(res, 'translate', req.params.lang);
    const body = parseBody(BODIES.replace, req);
    res.json(await workbench.translations.replace(req.params.doc, req.params.lang, { ...body, mode: body.mode ?? 'phrase' }, actor.name));
  });

  return router;
}
