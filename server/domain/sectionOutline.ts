import type { Section } from './splitSections';

/** A run of consecutive sections in the editor's outline. */
export interface OutlineGroup {
  /** The first and last section of the run. */
  first: Section;
  last: Section;
  /** Every section of the run: only for the run the page is in, the others are one link each. */
  sections?: Section[];
}

/** How many sections the outline shows one by one: the run the page is in. */
export const OUTLINE_RUN = 25;

/**
 * The editor's outline of a document: its sections cut into runs of `run`, the run the current
 * section is in (the first one when there is none) shown section by section and the others as one
 * link each. A book of 800 sections and 2,800 subsections sends 32 runs and 25 sections on every
 * page instead of all of them; a document of up to `run` sections is shown whole.
 */
export function sectionOutline(sections: readonly Section[], current: number | undefined, run = OUTLINE_RUN): OutlineGroup[] {
  const open = Math.floor(Math.max(0, current ?? 0) / run);
  const groups: OutlineGroup[] = [];
  for (let from = 0; from < sections.length; from += run) {
    const members = sections.slice(from, from + run);
    const group: OutlineGroup = { first: members[0], last: members[members.length - 1] };
    if (from / run === open) group.sections = members;
    groups.push(group);
  }
  return groups;
}
