import { WorkbenchError } from '../../server/errors';

/** The WorkbenchError `fn` throws; fails the test when it throws nothing or something else. */
export function catchWorkbenchError(fn: () => unknown): WorkbenchError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(WorkbenchError);
    return err as WorkbenchError;
  }
  throw new Error('expected a WorkbenchError, nothing was thrown');
}
