import { WorkbenchError } from '../errors';

/**
 * A locale file found at another source version than the document a change was planned on (a
 * source update came in between): the change is planned again on the current document.
 */
export class SourceMovedOn extends WorkbenchError {
  constructor(planned: number, found: number) {
    super(409, 'source-changed', `The source changed while this change was made (version ${planned}, now ${found}): reload and make it again.`);
  }
}
