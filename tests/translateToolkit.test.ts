import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completeUnits } from '../server/domain/completeUnits';
import { computeProgress } from '../server/domain/computeProgress';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { LocaleFile, SourceDocument, Unit } from '../server/domain/types';
import { readXliff } from '../server/formats/readXliff';
import { buildXliff12 } from '../server/formats/buildXliff12';
import { createLocaleFile } from './helpers/xliff12Files';
import { SMALL_DOC } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { planImport } from '../server/domain/planImport';
import { po2xliff, pocount, requireTranslateToolkit, xliff2po } from './helpers/translateToolkit';

const FIXTURES = join(__dirname, 'fixtures', 'interchange');
const PO = 'editor.fr.po';
/** What po2xliff (Translate Toolkit 3.8.4) makes of editor.fr.po, run in the PO file's folder. */
const PO2XLIFF_OUTPUT = 'editor.fr.po2xliff.xlf';

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir('translate-toolkit-test');
});
afterAll(() => tmp.cleanup());

describe('Translate Toolkit', () => {
  it('is installed (Debian package translate-toolkit otherwise)', () => {
    expect(requireTranslateToolkit).not.toThrow();
  });
});

describe('po2xliff → readXliff', () => {
  it('po2xliff still writes what the committed fixture holds', () => {
    copyFileSync(join(FIXTURES, PO), join(tmp.dir, PO));
    po2xliff(PO, 'live.xlf', tmp.dir);
    const live = readXliff(readFileSync(join(tmp.dir, 'live.xlf'), 'utf8'), { file: 'live.xlf' });
    const committed = readXliff(readFileSync(join(FIXTURES, PO2XLIFF_OUTPUT), 'utf8'), { file: PO2XLIFF_OUTPUT });
    expect(live).toEqual(committed);
  });

  it('reads the XLIFF 1.1 po2xliff writes: ids, targets, approved/fuzzy/empty → statuses, notes and context groups', () => {
    const xml = readFileSync(join(FIXTURES, PO2XLIFF_OUTPUT), 'utf8');
    expect(xml).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:1.1" version="1.1">');
    const read = readXliff(xml, { file: PO2XLIFF_OUTPUT });
    // po2xliff writes no target-language (the PO's "Language: fr" is not carried over) and a fixed en-US source.
    expect(read).toMatchObject({ version: '1.1', sourceLanguage: 'en-US', original: 'editor.fr.po' });
    expect(read.targetLanguage).toBeUndefined();
    expect(read.skipped).toEqual([{ id: '2', reason: 'the gettext header of a PO file (metadata)' }]);
    expect(read.units.map(({ id, source, target, status, rawState }) => ({ id, source, target, status, rawState }))).toEqual([
      // Translated in the PO: po2xliff marks it approved="yes".
      { id: '3', source: 'Save', target: 'Enregistrer', status: 'approved', rawState: 'translated' },
      // "#, fuzzy": approved="no", state="needs-translation" with the target kept.
      { id: '4', source: 'Approve the translation by %s', target: 'Approuver la traduction', status: 'needs-review', rawState: 'needs-translation' },
      // msgstr "": an empty <target>.
      { id: '5', source: 'No paragraph matches "%s" & your filters. Press <kbd>Esc</kbd> to clear them.', target: undefined, status: 'untranslated', rawState: undefined },
      {
        id: '6',
        source: 'The source changed since this was translated.\nCheck the translation, then confirm it.',
        target: 'La source a changé depuis cette traduction.\nVérifiez la traduction, puis confirmez-la.',
        status: 'approved',
        rawState: 'translated',
      },
    ]);
    const save = read.units[0];
    expect(save.notes).toEqual(['The button under each paragraph that saves the translation.', '« Enregistrer » rather than « Sauvegarder », as in the rest of the UI.']);
    expect(save.contexts).toEqual([
      'sourcefile: views/editor.ejs',
      'linenumber: 42',
      'x-po-autocomment: The button under each paragraph that saves the translation.',
      'x-po-trancomment: « Enregistrer » rather than « Sauvegarder », as in the rest of the UI.',
    ]);
    expect(read.units[1].contexts).toEqual([
      'sourcefile: views/review.ejs',
      'linenumber: 17',
      'sourcefile: views/history.ejs',
      'linenumber: 88',
      `x-po-autocomment: Shown to a reviewer; "%s" is the translator's name.`,
    ]);
    const lineOf = (id: string) => xml.split('\n').findIndex((line) => line.includes(`<trans-unit xml:space="preserve" id="${id}"`)) + 1;
    expect(read.units.map((u) => u.line)).toEqual(['3', '4', '5', '6'].map(lineOf));
  });

  it('po2xliff 3.8.4 drops msgctxt, the previous msgid of a fuzzy entry and the c-format flag: no resname to read', () => {
    const xml = readFileSync(join(FIXTURES, PO2XLIFF_OUTPUT), 'utf8');
    expect(readFileSync(join(FIXTURES, PO), 'utf8')).toContain('msgctxt "editor button"');
    expect(xml).not.toContain('editor button');
    expect(xml).not.toContain('c-format');
    expect(xml).not.toContain('Approve the translation"');
    expect(readXliff(xml, { file: PO2XLIFF_OUTPUT }).units.every((u) => u.resname === undefined)).toBe(true);
  });

  it('pocount counts the po2xliff file as readXliff does: approved = translated, needs-review = fuzzy', () => {
    const report = pocount(join(FIXTURES, PO2XLIFF_OUTPUT));
    const read = readXliff(readFileSync(join(FIXTURES, PO2XLIFF_OUTPUT), 'utf8'), { file: PO2XLIFF_OUTPUT });
    const count = (status: string) => read.units.filter((u) => u.status === status).length;
    expect([report.translated.strings, report.fuzzy.strings, report.untranslated.strings, report.total.strings]).toEqual([
      count('approved'),
      count('needs-review'),
      count('untranslated'),
      read.units.length,
    ]);
  });
});

/** A document whose paragraphs hold line breaks, indentation and runs of spaces, as verse and addresses do. */
const VERSE_DOC = `---
title: Verses
language: en
---

# A song of the Commune

The first line of a verse,
the second line of it,
  and a third, indented.

A paragraph  with two spaces
and a line break.

A plain paragraph.
`;

/** Each entry of a PO file that has a location (a unit's id) gets "FR " + its msgid as msgstr, line breaks and all. */
function translatePo(po: string): string {
  return po
    .split('\n\n')
    .map((entry) => {
      if (!/^#: /m.test(entry)) return entry;
      const lines = entry.split('\n');
      const msgid = lines.findIndex((line) => line.startsWith('msgid '));
      const msgstr = lines.findIndex((line) => line.startsWith('msgstr '));
      // Adjacent PO strings are one string: "FR " then the msgid's own strings.
      const strings = [lines[msgid].slice('msgid '.length), ...lines.slice(msgid + 1, msgstr)];
      return [...lines.slice(0, msgstr), 'msgstr "FR "', ...strings].join('\n');
    })
    .join('\n\n');
}

describe('a Translate Toolkit round trip of the workbench’s XLIFF: xliff2po → translate → po2xliff → import', () => {
  it('keeps every line break and space of every unit (xml:space="preserve" on each unit), and every unit matches its paragraph with its translation exact', () => {
    const document = { ...segmentDocument('verses', VERSE_DOC, 'markdown'), version: 1 };
    const paragraphs = document.segments.filter((s) => s.translatable);
    expect(paragraphs.some((s) => s.text.includes('\n  and a third'))).toBe(true);
    const file = createLocaleFile('verses', 'en', 'fr', []);
    completeUnits(document, file);
    const built = buildXliff12(file, { file: 'verses.xlf' }).xml;
    expect(built.match(/<trans-unit [^>]*xml:space="preserve"/g)).toHaveLength(paragraphs.length);
    writeFileSync(join(tmp.dir, 'verses.xlf'), built);

    xliff2po('verses.xlf', 'verses.po', tmp.dir);
    const po = readFileSync(join(tmp.dir, 'verses.po'), 'utf8');
    // Not reflowed: the translator sees the paragraph's lines.
    expect(po).toContain('"The first line of a verse,\\n"\n"the second line of it,\\n"\n"  and a third, indented."');
    expect(po).toContain('"A paragraph  with two spaces\\n"');
    writeFileSync(join(tmp.dir, 'verses.fr.po'), translatePo(po));
    po2xliff('verses.fr.po', 'verses.back.xlf', tmp.dir);

    const back = readXliff(readFileSync(join(tmp.dir, 'verses.back.xlf'), 'utf8'), { file: 'verses.back.xlf' });
    const plan = planImport(document.segments, new Map(file.units.map((u) => [u.id, u])), back);
    expect(plan.unknown).toEqual([]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.newTranslations.map((change) => [change.segment, change.target])).toEqual(paragraphs.map((s) => [s.id, `FR ${s.text}`]));
  });
});

describe('pocount on the workbench’s XLIFF 1.2 agrees with computeProgress', () => {
  const everyState = JSON.parse(readFileSync(join(FIXTURES, 'small.every-state.fr.json'), 'utf8')) as { units: Array<Pick<Unit, 'id' | 'source'> & Partial<Unit>> };

  function smallDocument(): SourceDocument {
    return { ...segmentDocument('small', SMALL_DOC, 'markdown'), version: 1 };
  }

  /** The locale file as the workbench writes it: one unit per translatable segment (completeUnits), then buildXliff12. */
  function writeLocale(document: SourceDocument, file: LocaleFile, name: string): string {
    completeUnits(document, file);
    const path = join(tmp.dir, name);
    writeFileSync(path, buildXliff12(file, { file: name }).xml);
    return path;
  }

  it('translated = approved, fuzzy = translated + drifted + needs-work, untranslated = untranslated, total = translatable segments', () => {
    const document = smallDocument();
    const file = createLocaleFile('small', 'en', 'fr', everyState.units);
    const path = writeLocale(document, file, 'small.fr.xlf');
    const ours = computeProgress(document.segments, new Map(file.units.map((u) => [u.id, u])), 'en');
    // Every state is there, so each term of the sums below counts.
    expect(Object.values(ours.bySegments).every((n) => n > 0)).toBe(true);
    const { bySegments } = ours;
    const report = pocount(path);
    expect({
      translated: report.translated.strings,
      fuzzy: report.fuzzy.strings,
      untranslated: report.untranslated.strings,
      total: report.total.strings,
    }).toEqual({
      translated: bySegments.approved,
      fuzzy: bySegments.translated + bySegments.drifted + bySegments['needs-work'],
      untranslated: bySegments.untranslated,
      total: ours.segments,
    });
  });

  it("pocount's XLIFF states: final = approved, unreviewed = translated, needs-review (and review) = drifted, needs-work = needs-work + untranslated", () => {
    const document = smallDocument();
    const file = createLocaleFile('small', 'en', 'fr', everyState.units);
    const path = writeLocale(document, file, 'small-states.fr.xlf');
    const { bySegments } = computeProgress(document.segments, new Map(file.units.map((u) => [u.id, u])), 'en');
    const report = pocount(path);
    const extended = Object.fromEntries(Object.entries(report.extended).map(([state, line]) => [state, line.strings]));
    expect(extended).toEqual({
      final: bySegments.approved,
      unreviewed: bySegments.translated,
      'needs-review': bySegments.drifted,
      // An untranslated unit is written <target state="needs-translation"/>: pocount's needs-work too.
      'needs-work': bySegments['needs-work'] + bySegments.untranslated,
    });
    expect(report.review?.strings).toBe(bySegments.drifted);
  });

  it('disagrees on files the workbench does not write: a final state without approved="yes", an approved unit that drifted', () => {
    const document = smallDocument();
    const file = createLocaleFile('small', 'en', 'fr', [
      // Ours: approved (the state says so). pocount: fuzzy (only approved="yes" counts).
      { id: 's81848e09', source: 'First part', target: 'Première partie', state: 'final', approved: false },
      // Ours: drifted (the source is no longer the segment's). pocount: translated (it never sees the document).
      { id: 'sc90b0265', source: 'The 1st paragraph.', target: 'Le 1er paragraphe.', state: 'signed-off', approved: true },
      // Ours: drifted (the state says so). pocount: translated (approved="yes" outranks the state).
      { id: 's9634654b', source: 'The second paragraph.', target: 'Le deuxième paragraphe.', state: 'needs-review-translation', approved: true },
    ]);
    const path = writeLocale(document, file, 'hand-edited.fr.xlf');
    const { bySegments } = computeProgress(document.segments, new Map(file.units.map((u) => [u.id, u])), 'en');
    expect(bySegments).toMatchObject({ approved: 1, drifted: 2, translated: 0, 'needs-work': 0 });
    const report = pocount(path);
    expect([report.translated.strings, report.fuzzy.strings]).toEqual([2, 1]);
  });
});
