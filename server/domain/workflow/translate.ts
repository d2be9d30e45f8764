import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/** A translator saves a translation: it is translated and current, not approved; an empty text clears it. */
export function translate(input: TransitionInput, target: string): TransitionResult {
  if (target === '') {
    return transitionResult(input, 'save', { target: undefined, source: input.segment.text, state: 'needs-translation', approved: false, previous: undefined, sourceVersion: input.version });
  }
  return transitionResult(input, 'save', currentTranslation(input, target));
}
