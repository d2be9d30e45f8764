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

/** How many times a change is planned before a source update that keeps coming in between is let through as 409. */
const PLANS = 3;

/** Runs `plan` (plan and write a change) again while it ends in SourceMovedOn, up to PLANS times in all. */
export async function planAgainOnSourceMovedOn<T>(plan: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await plan();
    } catch (err) {
      if (!(err instanceof SourceMovedOn) || attempt >= PLANS) throw err;
    }
  }
}
