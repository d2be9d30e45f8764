import { WorkbenchError } from '../../errors';
import { transitionResult, type TransitionInput, type TransitionResult } from './transition';

/** The longest comment the workbench keeps. */
export const MAX_COMMENT_LENGTH = 5000;

/** A reviewer sends a translation back with a comment (an XLIFF `<note from>`): it needs work. */
export function sendBack(input: TransitionInput, comment: string): TransitionResult {
  const text = comment.trim();
  if (text === '') throw new WorkbenchError(400, 'comment-required', 'Say what needs to change: a rejection needs a comment.');
  if (text.length > MAX_COMMENT_LENGTH) throw new WorkbenchError(413, 'comment-too-long', 'A comment may have at most 5,000 characters.');
  if (input.unit.target === undefined) throw new WorkbenchError(409, 'not-translated', 'There is no translation to reject.');
  const result = transitionResult(input, 'reject', { approved: false, state: 'needs-translation', notes: [...input.unit.notes, { text, from: input.who, annotates: 'target' }] });
  // The comment is part of what happened: the history says it even once it is settled.
  if (result.entry.after) result.entry.after.comment = text;
  return result;
}
