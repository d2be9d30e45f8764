import { copyUnit } from '../domain/copyUnit';
import type { Unit } from '../domain/types';
import { sameUnit } from './xliff12Unit';

/** How many units one change of several files remembers (about 3 KB each): a source update that rewrites more writes the rest as it would without. */
const WRITES_KEPT = 20_000;

/**
 * The units written in one change of several locale files: a source update brings every locale of
 * a document to the new version, and a paragraph edited in the source that no locale has
 * translated yet is the same unit, in the same bytes, in each of them. Writing a unit held as
 * spans depends only on its bytes, the whitespace before it, the context it is parsed in (the
 * namespaces in scope, the indentation of `<body>`) and the unit written (as `sameUnit` compares
 * units: the fields the writer uses); the same write in another file of the change takes the text
 * and the unit read back from the first one, instead of parsing, writing and serializing the unit
 * again. Made for one change, and dropped with it. A unit in the writer's plain form is written as
 * text, without a DOM (see writePlainUnitText), which costs less than this lookup: what is kept
 * here are the writes of the other units (with notes, another tool's markup).
 */
export class UnitWrites {
  private readonly done = new Map<string, { unit: Unit; text: string; written: Unit }>();

  /** What writing `unit` over `bytes` (undefined: a new unit) after `gap`, in `context`, gave, if this change did it before. */
  find(context: string, gap: string, bytes: string | undefined, unit: Unit): { text: string; unit: Unit } | undefined {
    const found = this.done.get(keyOf(context, gap, bytes, unit));
    if (!found || !sameUnit(found.unit, unit)) return undefined;
    return { text: found.text, unit: copyUnit(found.written) };
  }

  /** Remembers that writing `unit` as above gave `text`, read back as `written`. */
  keep(context: string, gap: string, bytes: string | undefined, unit: Unit, text: string, written: Unit): void {
    if (this.done.size >= WRITES_KEPT) return;
    this.done.set(keyOf(context, gap, bytes, unit), { unit: copyUnit(unit), text, written: copyUnit(written) });
  }

  get size(): number {
    return this.done.size;
  }
}

/** The unit's id is in its bytes, but a new unit has none. */
const keyOf = (context: string, gap: string, bytes: string | undefined, unit: Unit): string =>
  `${context}\u0000${gap}\u0000${unit.id}\u0000${bytes === undefined ? '\u0001' : `\u0002${bytes}`}`;
