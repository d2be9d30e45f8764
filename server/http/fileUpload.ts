import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Action } from '../auth/permissions';
import { permit } from './permit';

/**
 * The middlewares of a form upload: the permission for `action` (on the route's `:lang` for the
 * per-locale actions) is checked before the body, so nobody without the right makes the server read
 * an upload at all; then one multipart field "file" is read into memory, up to `maxBytes` (413 above).
 */
export function fileUpload(action: Action, maxBytes: number): RequestHandler[] {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxBytes, files: 1, fields: 5 } });
  const permitFirst = (req: Request, res: Response, next: NextFunction): void => {
    permit(res, action, action === 'admin' ? undefined : req.params.lang);
    next();
  };
  return [permitFirst, upload.single('file')];
}
