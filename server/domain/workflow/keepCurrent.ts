import { WorkbenchError } from '../../errors';
import { transitionResult, type TransitionInput, type TransitionResult } from './transition';

/** A translator's decision that a drifted translation is still correct for the new source: it becomes current as it is. */
export function keepCurrent(input: TransitionInput): TransitionResult {
  const { unit, segment } = input;
  if (unit.target === undefined) throw new WorkbenchError(409, 'not-translated', 'This paragraph has no translation to keep.');
  if (unit.source === segment.text && unit.state !== 'needs-review-translation') throw new WorkbenchError(409, 'not-drifted', 'This translation is already current.');
  return transitionResult(input, 'still-correct', { source: segment.text, state: 'translated', previous: undefined, sourceVersion: input.version });
}
