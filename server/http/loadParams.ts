import type { NextFunction, Request, Response, Router } from 'express';
import { canonicalLocale } from '../domain/localeTag';
import type { Workbench } from '../application/workbench';

/**
 * The path parameters every route shares, checked once where they enter: `:doc` is loaded (404 for
 * a document the project does not have, 400 for an id that could name a path) into
 * `res.locals.document`; `:lang` becomes its canonical BCP 47 tag (400 for one that is not a tag),
 * so that `es-es`, `ES-ES` and `es-ES` name one locale everywhere after this.
 */
export function loadParams(router: Router, workbench: Workbench): void {
  router.param('doc', (_req: Request, res: Response, next: NextFunction, id: string) => {
    workbench.document(id).then((document) => {
      res.locals.document = document;
      next();
    }, next);
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
