import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/**
 * The translation of another paragraph with the same source text, applied to this one (see
 * Translations.propagate): translated and current, not approved, its own history entry
 * (`propagate`) credited to whoever applied it.
 */
export function propagate(input: TransitionInput, target: string): TransitionResult {
  return transitionResult(input, 'propagate', currentTranslation(input, target));
}
