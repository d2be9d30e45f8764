import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { InterchangeStatus } from '../server/domain/interchange';
import { planImport } from '../server/domain/planImport';
import type { Segment } from '../server/domain/types';
import { readInterchange } from '../server/formats/interchangeReading';

// Real files written by other tools (tests/fixtures/interchange/README.md says where each comes
// from, and its licence): each is read, matched against a document holding its sources, and what
// the workbench makes of it is asserted: units read, states mapped, no blank target counted, and
// what it cannot keep yet (inline codes: issue 14, point 8) listed, never silently dropped.

const DIR = path.join(__dirname, 'fixtures', 'interchange', 'producers');

interface Expected {
  producer: string;
  version: string;
  units: number;
  statuses: Partial<Record<InterchangeStatus, number>>;
  /** Units whose translation goes to its paragraph (the rest have none, or a second unit has the same source). */
  matched: number;
  /** Units skipped, by the start of the reason. */
  skipped: Record<string, number>;
}

const PRODUCERS: Record<string, Expected> = {
  'memoq.MQ-12-Test01.mqxliff': { producer: 'memoQ', version: '1.2', units: 47, statuses: { untranslated: 47 }, matched: 0, skipped: { 'its text holds an inline code': 72 } },
  'trados-studio.TS09-12-Test01.sdlxliff': { producer: 'SDL Trados Studio 2009', version: '1.2', units: 13, statuses: { translated: 1, untranslated: 12 }, matched: 1, skipped: { 'marked translate="no"': 22, 'its text holds an inline code': 7 } },
  'passolo.PAS-10-Test01.xlf': { producer: 'PASSOLO 3.0', version: '1.0', units: 146, statuses: { untranslated: 146 }, matched: 0, skipped: { 'its text holds an inline code': 12 } },
  'worldserver.tasks_Test_SDL_XLIFF_18961_es_ES.xlf': { producer: 'WorldServer', version: '1.2', units: 33, statuses: { translated: 5, untranslated: 28 }, matched: 5, skipped: { 'its text holds an inline code': 1 } },
  'javapm.SF-12-Test02.xlf': { producer: 'Maxprograms JavaPM (Swordfish)', version: '1.2', units: 98, statuses: { approved: 89, 'needs-review': 1, untranslated: 8 }, matched: 79, skipped: {} },
  'okapi-rainbow.RB-12-Test02.xlf': { producer: 'Okapi Rainbow (windows-1252)', version: '1.2', units: 7, statuses: { translated: 5, untranslated: 2 }, matched: 5, skipped: { 'its text holds an inline code': 2 } },
  'typo3-l10nmgr.Typo3Draft.xlf': { producer: 'TYPO3 l10nmgr', version: '1.2', units: 6, statuses: { translated: 4, untranslated: 2 }, matched: 4, skipped: {} },
  'symfony.validators.fr.xlf': { producer: 'Symfony', version: '1.2', units: 116, statuses: { translated: 116 }, matched: 116, skipped: {} },
  'angular.messages.xlf': { producer: 'Angular (ng extract-i18n)', version: '1.2', units: 0, statuses: {}, matched: 0, skipped: { 'its text holds an inline code': 1 } },
  'xcode.firefox-ios.fr.xliff': { producer: 'Xcode 15 (two <file>s of a Firefox for iOS export)', version: '1.2', units: 15, statuses: { translated: 14, untranslated: 1 }, matched: 14, skipped: {} },
  'omegat.RFE1506-translated.xliff': { producer: 'OmegaT (its XLIFF filter\'s output)', version: '1.2', units: 5, statuses: { approved: 2, 'needs-review': 2, translated: 1 }, matched: 5, skipped: {} },
  'weblate.cs.xliff': { producer: 'Weblate (no version attribute, no ids)', version: '1.1', units: 4, statuses: { untranslated: 4 }, matched: 0, skipped: {} },
};

describe.each(Object.entries(PRODUCERS))('%s', (name, expected) => {
  const bytes = readFileSync(path.join(DIR, name));
  const file = readInterchange(bytes, name);

  it(`(${expected.producer}) is read: units, states mapped, what is skipped and why`, () => {
    expect(file.version).toBe(expected.version);
    expect(file.units).toHaveLength(expected.units);
    const statuses: Partial<Record<InterchangeStatus, number>> = {};
    for (const unit of file.units) statuses[unit.status] = (statuses[unit.status] ?? 0) + 1;
    expect(statuses).toEqual(expected.statuses);
    const skipped: Record<string, number> = {};
    for (const { reason } of file.skipped) {
      const key = Object.keys(expected.skipped).find((start) => reason.startsWith(start)) ?? reason;
      skipped[key] = (skipped[key] ?? 0) + 1;
    }
    expect(skipped).toEqual(expected.skipped);
  });

  it('counts no blank target as a translation', () => {
    for (const unit of file.units) {
      if (unit.target === undefined) expect(unit.status).toBe('untranslated');
      else expect(unit.target).toMatch(/\S/u);
    }
  });

  it('matches its units to the paragraphs that have their sources', () => {
    // A document made of the file's sources, one paragraph each, as the segmenter trims them.
    const texts = [...new Set(file.units.map((unit) => unit.source.trim().replace(/\s+/g, ' ')))];
    const segments: Segment[] = texts.map((text, i) => ({ id: `p${i}`, kind: 'paragraph', text, translatable: true }));
    const plan = planImport(segments, new Map(), file, 'a-document');
    expect(plan.unknown).toEqual([]);
    expect(plan.newTranslations).toHaveLength(expected.matched);
    // Every unit with a translation is taken, or shown as a second one for the same paragraph.
    expect(plan.newTranslations.length + plan.conflicts.length).toBe(file.units.filter((unit) => unit.target !== undefined).length);
  });
});
