import type { LocaleFile, SourceDocument, Unit } from './types';

/**
 * Brings a locale file's units in line with the document: one unit per translatable segment, in
 * document order; untranslated units carry the current source. Units the document no longer has
 * are kept after them (their translations are never dropped here).
 */
export function completeUnits(document: SourceDocument, file: LocaleFile): void {
  const existing = new Map(file.units.map((unit) => [unit.id, unit]));
  const ordered: Unit[] = [];
  for (const segment of document.segments) {
    if (!segment.translatable) continue;
    const unit = existing.get(segment.id) ?? { id: segment.id, source: segment.text, approved: false, revision: 0, notes: [] };
    if (unit.target === undefined) unit.source = segment.text;
    if (unit.target === undefined && !unit.state) unit.state = 'needs-translation';
    existing.delete(segment.id);
    ordered.push(unit);
  }
  file.units = [...ordered, ...existing.values()];
}
