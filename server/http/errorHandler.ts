import type { NextFunction, Request, Response } from 'express';
import { errorMessage } from '../errorMessage';
import { isWorkbenchError, WorkbenchError } from '../errors';

/** Turns what body-parser throws (too large, malformed JSON) into the workbench's error type. */
function fromParser(err: unknown): WorkbenchError | undefined {
  const parserError = err as { type?: string; status?: number; message?: string; limit?: number };
  if (parserError?.type === 'entity.too.large') {
    const limit = Math.round((parserError.limit ?? 1024 * 1024) / 1024 / 1024);
    return new WorkbenchError(413, 'body-too-large', `The request body is larger than ${limit} MB.`);
  }
  if ((err as { name?: string; code?: string })?.name === 'MulterError') {
    const code = (err as { code?: string }).code;
    if (code === 'LIMIT_FILE_SIZE') return new WorkbenchError(413, 'file-too-large', 'The file is larger than 50 MB: an uploaded file may be at most 50 MB.');
    return new WorkbenchError(400, 'bad-upload', `The upload was refused: ${parserError.message ?? code}.`);
  }
  // Express could not decode a percent-encoded part of the path (`/api/documents/%ZZ`).
  if (err instanceof URIError) {
    return new WorkbenchError(400, 'path-malformed', 'The address holds a malformed percent-encoding (a "%" not followed by two hexadecimal digits).');
  }
  if (parserError?.type === 'entity.parse.failed') {
    return new WorkbenchError(400, 'malformed-json', `The request body is not valid JSON: ${parserError.message ?? ''}`.trim());
  }
  // What body-parser refuses: its own errors (a type), or a stream's it wraps as a 400 (a body that
  // does not inflate, a length that does not match), marked as safe to show.
  const exposed = (err as { expose?: unknown })?.expose === true;
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500 && (parserError.type || exposed)) {
    return new WorkbenchError(parserError.status, 'bad-request', `The request body could not be read: ${parserError.message ?? 'bad request'}.`);
  }
  return undefined;
}

/** The system error at the root of a chain of causes (`Cannot write x`, cause: ENOSPC), if any. */
function systemCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (/^E[A-Z]+$/.test(code) || code.startsWith('SQLITE_'))) return code;
  }
  return undefined;
}

/** A full disk or quota is said as it is (507), not as "something went wrong". */
function fromSystem(err: unknown): WorkbenchError | undefined {
  const code = systemCode(err);
  // SQLITE_FULL: the database could not grow (the disk, or its size limit).
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') {
    return new WorkbenchError(507, 'disk-full', 'The server\'s disk is full: nothing was saved by this request. Tell whoever runs the workbench; try again once there is room.');
  }
  return undefined;
}

/** An error's message in the interface language of the request (see errorMessage). */
function messageFor(req: Request, error: WorkbenchError): string {
  return errorMessage(error, req.t, req.language);
}

/** 404 for everything no route answered. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new WorkbenchError(404, 'not-found', `Nothing is at ${req.path}.`, { params: { path: req.path } }));
}

/** The one error handler: JSON for the API (and clients asking for JSON), an HTML page for browsers. Unknown errors are logged and answered with a generic 500. */
export function errorHandler(log: (message: string, err: unknown) => void = (m, e) => console.error(m, e)) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    let error = isWorkbenchError(err) ? err : (fromParser(err) ?? fromSystem(err));
    if (!error) {
      log(`Unexpected error on ${req.method} ${req.originalUrl}`, err);
      error = new WorkbenchError(500, 'internal', 'Something went wrong on the server. Nothing was saved by this request; try again.');
    } else if (error.status >= 500) {
      log(`Error on ${req.method} ${req.originalUrl}`, err);
    }
    const message = messageFor(req, error);
    const body = { error: { code: error.code, message, ...(error.details ?? {}) } };
    res.status(error.status);
    if (req.path.startsWith('/api/')) {
      res.json(body);
      return;
    }
    const text = () => res.type('text/plain').send(`${message}\n`);
    res.format({
      json: () => res.json(body),
      // A request refused before the page's locals were set (a body that does not parse) gets the message as text.
      html: () => res.render('error', { error, message }, (renderError: Error | null, html: string) => (renderError ? text() : res.send(html))),
      default: text,
    });
  };
}
