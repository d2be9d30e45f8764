import type { Segment, Unit, WorkflowState } from './types';

/** The workflow state of a segment's translation, from its unit (if any) and the current source text. */
export function workflowState(segment: Segment, unit: Readonly<Pick<Unit, 'source' | 'target' | 'state' | 'approved'>> | undefined): WorkflowState {
  if (!unit || unit.target === undefined || unit.target === '') return 'untranslated';
  // The unit remembers the source it was translated from: if the source has changed since, the
  // translation is drifted whatever its recorded state (a restored or hand-edited file included).
  if (unit.source !== segment.text) return 'drifted';
  if (unit.state === 'needs-review-translation') return 'drifted';
  if (unit.approved || unit.state === 'signed-off' || unit.state === 'final') return 'approved';
  if (unit.state === 'needs-translation' || unit.state === 'new') return 'needs-work';
  return 'translated';
}

/** Every workflow state, in the order people read them. */
export const WORKFLOW_STATES: readonly WorkflowState[] = ['untranslated', 'translated', 'approved', 'drifted', 'needs-work'];
