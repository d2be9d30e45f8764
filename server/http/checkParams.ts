import type { NextFunction, Request, Response, Router } from 'express';
import { canonicalLocale } from '../domain/localeTag';
import { checkDocumentId } from '../domain/documentId';

/**
 * The path parameters every route shares, checked once where they enter: `:doc` must be a document
 * id (400 for one that could name a path; an unknown one is the 404 of the use case, which loads it
 * anyway — loading it here too cost a fifth of the saves per second of 20 editors at once), and
 * `:lang` becomes its canonical BCP 47 tag (400 for one that is not a tag), so that `es-es`, `ES-ES`
 * and `es-ES` name one locale everywhere after this.
 */
export function checkParams(router: Router): void {
  router.param('doc', (_req: Request, _res: Response, next: NextFunction, id: string) => {
    try {
      checkDocumentId(id);
      next();
    } catch (err) {
      next(err);
    }
  });
  router.param('lang', (req: Request, _res: Response, next: NextFunction, tag: string) => {
    try {
      req.params.lang = canonicalLocale(tag);
      next();
    } catch (err) {
      next(err);
    }
  });
}
