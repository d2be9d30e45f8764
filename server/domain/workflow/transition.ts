import type { HistoryEntry } from '../historyEntry';
import type { Segment, Unit } from '../types';

/** What every change to one paragraph's translation starts from. */
export interface TransitionInput {
  /** The unit as stored (never changed: a transition returns a new one). */
  unit: Readonly<Unit>;
  /** The paragraph as the source has it now. */
  segment: Segment;
  /** The document's current source version. */
  version: number;
  who: string;
  at: string;
}

/** A change's outcome: the new unit (revision bumped) and the history entry it implies. */
export interface TransitionResult {
  unit: Unit;
  entry: HistoryEntry;
}

/** Builds the result of a transition from the changed fields: the revision goes up by one, the entry records before and after. */
export function transitionResult(input: TransitionInput, action: string, changes: Partial<Unit>, credit: { suggestedBy?: string } = {}): TransitionResult {
  const unit: Unit = { ...input.unit, ...changes, revision: input.unit.revision + 1 };
  return {
    unit,
    entry: {
      at: input.at,
      who: input.who,
      segment: input.segment.id,
      action,
      before: { target: input.unit.target, state: input.unit.state },
      after: { target: unit.target, state: unit.state },
      version: input.version,
      ...credit,
    },
  };
}

/** The fields of a unit whose translation is (again) made from the current source: translated, not approved, current. */
export function currentTranslation(input: TransitionInput, target: string): Partial<Unit> {
  return { target, source: input.segment.text, state: 'translated', approved: false, previous: undefined, sourceVersion: input.version, machine: undefined };
}
