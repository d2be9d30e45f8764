import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { Element } from '@xmldom/xmldom';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { LocaleFile, SourceDocument, Unit, WorkflowState } from '../server/domain/types';
import { WORKFLOW_STATES, workflowState } from '../server/domain/workflowState';
import { createLocaleFile } from './helpers/xliff12Files';
import { WORKBENCH_NS, XLIFF20_NS, buildXliff20 } from '../server/formats/xliff20';
import { SMALL_DOC } from './helpers/project';
import { makeTempDir, type TempDir } from './helpers/tempDir';
import { requireXmllint, validateXliff20 } from './helpers/xmllint';
import { catchWorkbenchError } from './helpers/catchWorkbenchError';

const FIXTURE = join(__dirname, 'fixtures', 'interchange', 'small.every-state.fr.json');
const everyState = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { states: Record<string, WorkflowState>; units: Array<Pick<Unit, 'id' | 'source'> & Partial<Unit>> };

let tmp: TempDir;
beforeAll(() => {
  tmp = makeTempDir('xliff20-test');
});
afterAll(() => tmp.cleanup());

let fileCounter = 0;
function expectSchemaValid(xml: string): void {
  const path = join(tmp.dir, `file-${++fileCounter}.xlf`);
  writeFileSync(path, xml, 'utf8');
  const { valid, output } = validateXliff20(path);
  if (!valid) throw new Error(`${path} does not validate against the XLIFF 2.0 schema:\n${output}\n\n${xml}`);
}

function smallDocument(): SourceDocument {
  return { ...segmentDocument('small', SMALL_DOC, 'markdown'), version: 1 };
}

function everyStateLocale(): LocaleFile {
  return createLocaleFile('small', 'en', 'fr', everyState.units);
}

/** The `<unit>` elements of a 2.0 file, by id. */
function unitsOf(xml: string): Map<string, Element> {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const units = doc.getElementsByTagNameNS(XLIFF20_NS, 'unit');
  const out = new Map<string, Element>();
  for (let i = 0; i < units.length; i++) out.set(units[i].getAttribute('id') ?? '', units[i]);
  return out;
}

function only(parent: Element, name: string): Element | undefined {
  const found = parent.getElementsByTagNameNS(XLIFF20_NS, name);
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0];
}

describe('xmllint', () => {
  it('is installed (install libxml2-utils otherwise)', () => {
    expect(requireXmllint).not.toThrow();
  });
});

describe('buildXliff20', () => {
  it('writes a locale with every workflow state as XLIFF 2.0 that the OASIS schema accepts', () => {
    const document = smallDocument();
    const file = everyStateLocale();
    // The fixture says which state each unit is in: check it, and that it covers them all.
    const units = new Map(file.units.map((u) => [u.id, u]));
    const states = Object.fromEntries(document.segments.filter((s) => s.translatable).map((s) => [s.id, workflowState(s, units.get(s.id))]));
    expect(states).toEqual(everyState.states);
    expect(new Set(Object.values(states))).toEqual(new Set(WORKFLOW_STATES));

    const xml = buildXliff20({ document, file });
    expectSchemaValid(xml);
    expect(xml.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:wb="urn:x-translation-workbench" version="2.0" srcLang="en" trgLang="fr">',
      '  <file id="small" xml:space="preserve">',
    ]);
  });

  it('writes one unit per translatable segment, in document order, with the current source text', () => {
    const document = smallDocument();
    const units = unitsOf(buildXliff20({ document, file: everyStateLocale() }));
    const translatable = document.segments.filter((s) => s.translatable);
    expect([...units.keys()]).toEqual(translatable.map((s) => s.id));
    expect(document.segments.some((s) => !s.translatable && units.has(s.id))).toBe(false);
    for (const segment of translatable) expect(only(units.get(segment.id) as Element, 'source')?.textContent).toBe(segment.text);
  });

  it('maps each workflow state to a segment state, keeping targets except for untranslated units', () => {
    const file = everyStateLocale();
    const units = unitsOf(buildXliff20({ document: smallDocument(), file }));
    const expected: Record<WorkflowState, { state: string; target: boolean }> = {
      untranslated: { state: 'initial', target: false },
      translated: { state: 'translated', target: true },
      approved: { state: 'final', target: true },
      drifted: { state: 'initial', target: true },
      'needs-work': { state: 'initial', target: true },
    };
    for (const [id, workflow] of Object.entries(everyState.states)) {
      const unitEl = units.get(id) as Element;
      const segment = only(unitEl, 'segment') as Element;
      expect({ id, state: segment.getAttribute('state') }).toEqual({ id, state: expected[workflow].state });
      const target = only(unitEl, 'target');
      expect({ id, target: target !== undefined }).toEqual({ id, target: expected[workflow].target });
      if (target) expect(target.textContent).toBe(file.units.find((u) => u.id === id)?.target);
    }
  });

  it('says a drifted unit changed source in a workbench note, with the previous source text', () => {
    const units = unitsOf(buildXliff20({ document: smallDocument(), file: everyStateLocale() }));
    const notes = (units.get('s17485a63') as Element).getElementsByTagNameNS(XLIFF20_NS, 'note');
    expect(notes.length).toBe(1);
    expect(notes[0].getAttribute('category')).toBe('workbench');
    expect(notes[0].textContent).toContain('The source text has changed since this was translated');
    expect(notes[0].textContent).toMatch(/The previous source text was:\nA sub-section$/);
  });

  it('names the old source of a unit drifted before any migration (its own source differs from the segment)', () => {
    const document = smallDocument();
    const file = createLocaleFile('small', 'en', 'fr', [{ id: 's9634654b', source: 'The 2nd paragraph.', target: 'Le 2e paragraphe.', state: 'translated', revision: 1 }]);
    const xml = buildXliff20({ document, file });
    const unitEl = unitsOf(xml).get('s9634654b') as Element;
    expect(only(unitEl, 'segment')?.getAttribute('state')).toBe('initial');
    expect(only(unitEl, 'source')?.textContent).toBe('The second paragraph.');
    expect(only(unitEl, 'target')?.textContent).toBe('Le 2e paragraphe.');
    expect(only(unitEl, 'note')?.textContent).toMatch(/The previous source text was:\nThe 2nd paragraph\.$/);
    expectSchemaValid(xml);
  });

  it("writes a reviewer's comment on a unit sent back as a review note, signed wb:from", () => {
    const units = unitsOf(buildXliff20({ document: smallDocument(), file: everyStateLocale() }));
    const note = only(units.get('s9634654b') as Element, 'note') as Element;
    expect(note.getAttribute('category')).toBe('review');
    expect(note.getAttribute('appliesTo')).toBe('target');
    expect(note.getAttributeNS(WORKBENCH_NS, 'from')).toBe('rosa');
    expect(note.textContent).toBe('« Second » reads better here: there are only two.');
  });

  it('keeps each unit revision as wb:revision, and writes none for a segment without a unit', () => {
    const units = unitsOf(buildXliff20({ document: smallDocument(), file: everyStateLocale() }));
    expect((units.get('s17485a63') as Element).getAttributeNS(WORKBENCH_NS, 'revision')).toBe('5');
    expect((units.get('s043acdec') as Element).getAttributeNS(WORKBENCH_NS, 'revision')).toBe('0');
    expect((units.get('s0e207838') as Element).hasAttributeNS(WORKBENCH_NS, 'revision')).toBe(false);
  });

  it('escapes markup characters and keeps spaces, line breaks and CR exactly; control characters become <cp>', () => {
    const document: SourceDocument = {
      id: 'tricky',
      meta: { title: 'Tricky', language: 'en' },
      version: 1,
      segments: [
        { id: 'p1', kind: 'paragraph', text: '<b>"Bold" & \'quoted\'</b> ]]> end', translatable: true },
        { id: 'p2', kind: 'paragraph', text: '  spaced  \nand a trailing newline\n', translatable: true },
        { id: 'p3', kind: 'paragraph', text: 'CR LF\r\nand bell \u0007 and non-BMP 𝔘 😀', translatable: true },
      ],
    };
    const file = createLocaleFile(
      'tricky',
      'en',
      'de',
      document.segments.map((s) => ({ id: s.id, source: s.text, target: `DE ${s.text}`, state: 'translated' as const })),
    );
    // The 1.2 model cannot hold U+0007; the 2.0 export of a segment that has it writes <cp>.
    const xml = buildXliff20({ document, file });
    expect(xml).toContain(`<source>&lt;b&gt;"Bold" &amp; 'quoted'&lt;/b&gt; ]]&gt; end</source>`);
    expect(xml).toContain('<source>  spaced  \nand a trailing newline\n</source>');
    expect(xml).toContain('CR LF&#13;\nand bell <cp hex="0007"/> and non-BMP 𝔘 😀');
    expectSchemaValid(xml);
  });

  it('refuses a locale file of another document, and a document with nothing to translate', () => {
    const document = smallDocument();
    const mismatch = catchWorkbenchError(() => buildXliff20({ document, file: createLocaleFile('other', 'en', 'fr', []) }));
    expect(mismatch).toMatchObject({ status: 400, code: 'xliff-invalid-model' });
    const empty = catchWorkbenchError(() => buildXliff20({ document: { ...document, segments: document.segments.filter((s) => !s.translatable) }, file: createLocaleFile('small', 'en', 'fr', []) }));
    expect(empty).toMatchObject({ status: 422, code: 'xliff-empty' });
  });
});
