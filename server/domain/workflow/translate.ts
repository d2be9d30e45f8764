import { diffPackage } from '../../lazyPackages';
import type { MachineUse } from '../historyEntry';
import { currentTranslation, transitionResult, type TransitionInput, type TransitionResult } from './transition';

/**
 * A translator saves a translation: it is translated and current, not approved; an empty text
 * clears it. Made from a machine's suggestion (`machine`), it stays the machine's (XLIFF
 * `state-qualifier="mt-suggestion"`) when saved as the machine gave it, and the entry records how
 * much the person changed of it. A changed text settles the review comments on the translation.
 */
export function translate(input: TransitionInput, target: string, machine?: { provider: string; text: string }): TransitionResult {
  if (target === '') {
    return transitionResult(input, 'save', { target: undefined, source: input.segment.text, state: 'needs-translation', approved: false, previous: undefined, sourceVersion: input.version, machine: undefined });
  }
  // A new version answers the review comments on the translation (XLIFF notes annotating the
  // target): they are settled, taken off the paragraph and kept in its history with this save.
  const comments = input.unit.notes.filter((note) => note.annotates === 'target');
  const settled = comments.length > 0 && target !== input.unit.target;
  const result = transitionResult(input, 'save', {
    ...currentTranslation(input, target),
    machine: machine && machine.text === target ? true : undefined,
    ...(settled ? { notes: input.unit.notes.filter((note) => note.annotates !== 'target') } : {}),
  });
  if (machine && result.entry.after) result.entry.after.machine = machineUse(machine, target);
  if (settled && result.entry.after) result.entry.after.settled = comments.map((note) => (note.from ? `${note.from}: ${note.text}` : note.text));
  return result;
}

/** How much of a machine's text a person changed: characters inserted and deleted. */
export function machineUse(machine: { provider: string; text: string }, target: string): MachineUse {
  let edits = 0;
  for (const part of diffPackage().diffChars(machine.text, target)) if (part.added || part.removed) edits += part.value.length;
  return { provider: machine.provider, edits, length: machine.text.length };
}
