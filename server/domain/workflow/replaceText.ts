import { transitionResult, type TransitionInput, type TransitionResult } from './transition';

/**
 * A translation changed by a search and replace: the new text, the paragraph otherwise as it was
 * (a drifted translation stays drifted: nobody looked at the new source), except that an approved
 * one is translated again (its text changed since the approval).
 */
export function replaceText(input: TransitionInput, target: string): TransitionResult {
  const wasApproved = input.unit.approved || input.unit.state === 'signed-off' || input.unit.state === 'final';
  return transitionResult(input, 'replace', { target, ...(wasApproved ? { approved: false, state: 'translated' } : {}) });
}
