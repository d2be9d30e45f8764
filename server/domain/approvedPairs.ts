import type { HistoryEntry } from './historyEntry';
import type { SourceDocument, Unit } from './types';

/** A source paragraph and its approved translation, with who changed it last and when. */
export interface ApprovedPair {
  id: string;
  source: string;
  target: string;
  changedAt?: string;
  changedBy?: string;
}

/**
 * What a translation memory for other tools holds: the approved, current pairs of a locale, in
 * document order — the pairs other tools can trust (a drifted or unreviewed one is not offered).
 */
export function approvedPairs(document: SourceDocument, units: ReadonlyMap<string, Unit>, history: readonly HistoryEntry[]): ApprovedPair[] {
  const lastChange = new Map<string, HistoryEntry>();
  for (const entry of history) lastChange.set(entry.segment, entry);
  return document.segments.flatMap((segment) => {
    const unit = units.get(segment.id);
    if (!segment.translatable || !unit || unit.target === undefined || unit.source !== segment.text) return [];
    if (!(unit.approved || unit.state === 'signed-off' || unit.state === 'final')) return [];
    const last = lastChange.get(segment.id);
    return [{ id: segment.id, source: segment.text, target: unit.target, changedAt: last?.at, changedBy: last?.who }];
  });
}
