import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Action } from '../auth/permissions';
import { WorkbenchError } from '../errors';
import { permit } from './permit';

/**
 * The middlewares of a form upload: the permission for `action` (on the route's `:lang` for the
 * per-locale actions; or a check of its own) is checked before the body, so nobody without the right makes the server read
 * an upload at all; then one multipart field "file" is read into memory, up to `maxBytes` (413 above).
 */
export function fileUpload(action: Action | ((req: Request, res: Response) => void), maxBytes: number): RequestHandler[] {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  const permitFirst = (req: Request, res: Response, next: NextFunction): void => {
    if (typeof action === 'function') action(req, res);
    else permit(res, action, action === 'admin' ? undefined : req.params.lang);
    next();
  };
  const single = upload.single('file');
  // A multipart body that stops short or is malformed is the sender's mistake, not the server's.
  const read = (req: Request, res: Response, next: NextFunction): void => {
    single(req, res, (err?: unknown) => {
      if (err && !(err instanceof multer.MulterError)) {
        next(new WorkbenchError(400, 'upload-malformed', `The upload did not arrive whole (${(err as Error).message}): send the file again.`, { cause: err }));
        return;
      }
      next(err);
    });
  };
  return [permitFirst, read];
}
