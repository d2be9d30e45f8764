import { WorkbenchError } from '../../errors';
import type { Suggestion } from '../discussion';
import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/**
 * A translator or reviewer takes someone else's suggestion: the translation becomes its text,
 * credited to both. Nobody accepts their own (a reviewer would rewrite a translation that way).
 */
export function acceptSuggestion(input: TransitionInput, suggestion: Pick<Suggestion, 'text' | 'author' | 'status'>): TransitionResult {
  if (suggestion.status !== 'open') throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
  if (suggestion.author === input.who) throw new WorkbenchError(403, 'own-suggestion', 'This is your own suggestion: someone else has to accept it (you may withdraw it by declining it).');
  return transitionResult(input, 'suggestion-accepted', currentTranslation(input, suggestion.text), { suggestedBy: suggestion.author });
}
