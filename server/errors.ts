/** The workbench's one error type: an HTTP status, a stable machine code, and a message for people. */
export class WorkbenchError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: Record<string, unknown>;
  /**
   * The values of the message's i18next key `errorDetails.<code>` (with its context, when given):
   * an error that has them is said in the interface language of whoever gets it, `message` being
   * its English text for logs and for the code that throws it.
   */
  readonly params?: Record<string, string | number> & { context?: string };

  constructor(status: number, code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown>; params?: Record<string, string | number> & { context?: string } }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WorkbenchError';
    this.status = status;
    this.code = code;
    this.details = options?.details;
    this.params = options?.params;
  }
}

/** True when `err` is a WorkbenchError (also across module copies in tests). */
export function isWorkbenchError(err: unknown): err is WorkbenchError {
  return err instanceof WorkbenchError || (err instanceof Error && err.name === 'WorkbenchError' && 'status' in err && 'code' in err);
}

/**
 * Runs the reading of an uploaded file: a file that does not read is the sender's mistake (400),
 * where the same fault in one of the project's own files is a broken file (422).
 */
export function readUpload<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (isWorkbenchError(err) && err.status === 422) throw new WorkbenchError(400, err.code, err.message, { cause: err, details: err.details, params: err.params });
    throw err;
  }
}
