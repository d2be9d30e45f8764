import { WorkbenchError } from '../../errors';
import type { Suggestion } from '../discussion';
import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/** A translator or reviewer takes a suggestion: the translation becomes its text, credited to both. */
export function acceptSuggestion(input: TransitionInput, suggestion: Pick<Suggestion, 'text' | 'author' | 'status'>): TransitionResult {
  if (suggestion.status !== 'open') throw new WorkbenchError(409, 'suggestion-decided', 'This suggestion has already been decided.');
  return transitionResult(input, 'suggestion-accepted', currentTranslation(input, suggestion.text), { suggestedBy: suggestion.author });
}
