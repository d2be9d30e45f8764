import type { Element } from '@xmldom/xmldom';
import type { InterchangeStatus } from '../domain/interchange';
import { XLIFF_STATES } from './xliff12Vocabulary';

/** SDL Trados Studio's namespace (`sdl:seg conf`), and memoQ's (`mq:status`). */
export const SDL_NS = 'http://sdl.com/FileTypes/SdlXliff/1.0';
export const MEMOQ_NS = 'MQXliff';
/** Phrase's (Memsource's) `.mxliff` namespace (`m:confirmed` on a `<trans-unit>`: 0 not confirmed, 1 or more confirmed at that workflow step). */
export const PHRASE_NS = 'http://www.memsource.com/mxlf/2.0';

/**
 * Trados confirmation levels (`<sdl:seg conf="…">` in a unit's `<sdl:seg-defs>`) onto the
 * workbench's states. A unit of several segments takes its least advanced one.
 */
const TRADOS: Record<string, InterchangeStatus> = {
  Draft: 'needs-review',
  Translated: 'translated',
  RejectedTranslation: 'needs-review',
  ApprovedTranslation: 'approved',
  RejectedSignOff: 'needs-review',
  ApprovedSignOff: 'approved',
};

/** memoQ's row statuses (`mq:status` on a `<trans-unit>`) onto the workbench's states. */
const MEMOQ: Record<string, InterchangeStatus> = {
  NotStarted: 'untranslated',
  PartiallyEdited: 'needs-review',
  Edited: 'needs-review',
  Pretranslated: 'needs-review',
  Rejected: 'needs-review',
  ManuallyConfirmed: 'translated',
  Confirmed: 'translated',
  Reviewer1Confirmed: 'approved',
  Reviewer2Confirmed: 'approved',
  Proofread: 'approved',
};

/** From least to most advanced: a unit of several segments is as advanced as its least one. */
const RANK: InterchangeStatus[] = ['untranslated', 'needs-review', 'translated', 'approved'];

/**
 * What a CAT tool's own markup says of a unit's state, when it says something (Trados' confirmation
 * levels, memoQ's statuses): it wins over XLIFF's `state`, which these tools do not keep up to date.
 * Undefined when the unit carries neither, or only values not in the tables (then XLIFF's state is used).
 */
export function toolStatus(tu: Element): InterchangeStatus | undefined {
  const memoq = tu.getAttributeNS(MEMOQ_NS, 'status');
  if (memoq && MEMOQ[memoq]) return MEMOQ[memoq];
  // Phrase: a target not confirmed is a draft; confirmed at a step, a translation (approval is ours).
  const phrase = tu.getAttributeNS(PHRASE_NS, 'confirmed');
  if (phrase && /^\d+$/.test(phrase)) return phrase === '0' ? 'needs-review' : 'translated';
  const levels: InterchangeStatus[] = [];
  for (const seg of Array.from(tu.getElementsByTagNameNS(SDL_NS, 'seg'))) {
    const conf = seg.getAttribute('conf');
    // A segment with no confirmation level has not been confirmed: not translated yet.
    levels.push(conf ? (TRADOS[conf] ?? 'needs-review') : 'untranslated');
  }
  if (levels.length === 0) return undefined;
  return RANK.find((status) => levels.includes(status));
}

/** Whether a target read as text holds any: whitespace alone (an empty Trados segment marker, memoQ's `<target> </target>`) is none. */
export function hasText(target: string | undefined): target is string {
  return target !== undefined && /\S/u.test(target);
}

/** The standard XLIFF 1.2 states, and Translate Toolkit's extensions whose meaning the workbench reads (see status1 in readXliff1). */
const KNOWN_STATES: ReadonlySet<string> = new Set([...XLIFF_STATES, 'x-needs-work', 'x-rejected']);

/**
 * What a unit says of its state that the mapping tables do not hold (a memoQ status, a Trados
 * confirmation level or an XLIFF state of another tool's own): named as the file writes it, so that
 * the preview can say how it was read. Undefined when everything it says is in the tables.
 */
export function unmappedState(tu: Element, xliffState: string | undefined): string | undefined {
  const memoq = tu.getAttributeNS(MEMOQ_NS, 'status');
  if (memoq && !MEMOQ[memoq]) return `mq:status="${memoq}"`;
  const phrase = tu.getAttributeNS(PHRASE_NS, 'confirmed');
  if (phrase && !/^\d+$/.test(phrase)) return `m:confirmed="${phrase}"`;
  for (const seg of Array.from(tu.getElementsByTagNameNS(SDL_NS, 'seg'))) {
    const conf = seg.getAttribute('conf');
    if (conf && !TRADOS[conf]) return `sdl:seg conf="${conf}"`;
  }
  // A state a tool made up is read by its name (anything "fuzzy" or "needs" needs work); one that says nothing known is reported.
  if (xliffState !== undefined && !KNOWN_STATES.has(xliffState) && !/fuzzy|needs|rejected/i.test(xliffState)) return `state="${xliffState}"`;
  return undefined;
}

/**
 * An XLIFF 2.0 segment's `subState` ("prefix:value", the tool's own state beside the standard one):
 * a value in the memoQ or Trados tables maps as in their 1.2 files, and wins over `state` as it does
 * there; anything else is undefined (the segment's `state` is used, and the preview reports it).
 */
export function subStateStatus(subState: string | null | undefined): InterchangeStatus | undefined {
  if (!subState) return undefined;
  const value = subState.slice(subState.indexOf(':') + 1);
  return MEMOQ[value] ?? TRADOS[value];
}
