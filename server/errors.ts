/** The workbench's one error type: an HTTP status, a stable machine code, and a message for people. */
export class WorkbenchError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WorkbenchError';
    this.status = status;
    this.code = code;
    this.details = options?.details;
  }
}

/** True when `err` is a WorkbenchError (also across module copies in tests). */
export function isWorkbenchError(err: unknown): err is WorkbenchError {
  return err instanceof WorkbenchError || (err instanceof Error && err.name === 'WorkbenchError' && 'status' in err && 'code' in err);
}
