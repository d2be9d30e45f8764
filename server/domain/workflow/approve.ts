import { WorkbenchError } from '../../errors';
import { transitionResult, type TransitionInput, type TransitionResult } from './transition';

/**
 * A reviewer approves a current translation (XLIFF `approved="yes"`, state `signed-off`). Nobody
 * approves their own translation unless the project allows it: a second pair of eyes.
 */
export function approve(input: TransitionInput, rules: { author: string | undefined; allowSelfApproval: boolean }): TransitionResult {
  const { unit, segment } = input;
  if (!rules.allowSelfApproval && rules.author !== undefined && rules.author === input.who) {
    throw new WorkbenchError(403, 'own-translation', 'You may not approve your own translation: another reviewer has to.');
  }
  if (unit.target === undefined) throw new WorkbenchError(409, 'not-translated', 'There is no translation to approve.');
  if (unit.source !== segment.text || unit.state === 'needs-review-translation') {
    throw new WorkbenchError(409, 'drifted', 'The source changed since this was translated: it must be brought up to date before it is approved.');
  }
  return transitionResult(input, 'approve', { approved: true, state: 'signed-off' });
}
