import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { makeApp, type TestApp } from './helpers/app';
import { download } from './helpers/edition';
import { makeProject } from './helpers/project';

// Another tool's XLIFF file translated as a document (issue 14, point 8): its segments are the
// paragraphs, its inline codes placeholders; exported as `original`, it is that tool's file again,
// with the translations in its targets and every code and id as the tool wrote them.

const PRODUCERS = path.join(__dirname, 'fixtures', 'interchange', 'producers');
const XLIFF_NS = 'urn:oasis:names:tc:xliff:document:1.2';

function parse(xml: string) {
  return new DOMParser({ onError: (level, message) => { if (level !== 'warning') throw new Error(message); } }).parseFromString(xml.replace(/^\uFEFF/, ''), 'application/xml');
}

/** A unit's child element, and the inline elements of one of its parts, as "name id" strings. */
// By local name: XLIFF 1.0 files (Passolo) have no namespace.
const child = (unit: Element, name: string): Element | undefined => Array.from(unit.getElementsByTagName('*')).find((e) => e.localName === name && (e.namespaceURI === XLIFF_NS || e.namespaceURI === null));
const codes = (el: Element | undefined): string[] =>
  // A wrapping code by its name and id (its words are the translation's); a code alone with its content too.
  el ? Array.from(el.getElementsByTagName('*')).filter((e) => e.localName !== 'mrk').map((e) => `${e.localName} ${e.getAttribute('id') ?? ''} ${e.localName === 'g' ? '' : (e.textContent ?? '')}`) : [];
const unitsOf = (xml: string): Element[] => Array.from(parse(xml).getElementsByTagName('*')).filter((e) => e.localName === 'trans-unit');

interface Segment { id: string; source: string; revision: number; kind: string }

async function setUp(file: string, id: string, lang: string): Promise<{ t: TestApp; segments: Segment[]; original: string }> {
  const original = readFileSync(path.join(PRODUCERS, file), 'utf8');
  const t = await makeApp(makeProject({ [`${id}.xlf`]: original }));
  await t.api.post(`/api/documents/${id}/locales`).send({ code: lang }).expect(201);
  const segments = (await t.api.get(`/api/documents/${id}/locales/${lang}/segments`).expect(200)).body.segments as Segment[];
  return { t, segments, original };
}

/** A translation that keeps every placeholder where the source has it: each word run marked. */
const translated = (source: string): string => source.replace(/(^|>)([^<>]+)(?=<|$)/g, (_m, before: string, words: string) => `${before}«${words}»`);

describe.each([
  ['memoq.MQ-12-Test01.mqxliff', 'rainbow', 'fr'],
  ['trados-studio.TS09-12-Test01.sdlxliff', 'printer', 'de'],
  ['passolo.PAS-10-Test01.xlf', 'notepad', 'fr'],
  ['worldserver.tasks_Test_SDL_XLIFF_18961_es_ES.xlf', 'tasks', 'es'],
  ['okapi-rainbow.RB-12-Test02.xlf', 'okapi', 'fr'],
  ['angular.messages.xlf', 'messages', 'fr'],
])('%s as a document', (file, id, lang) => {
  it('is a paragraph per segment with words, its codes placeholders; exported back, every unit, id and code is the tool\'s, with the translations in', async () => {
    const { t, segments, original } = await setUp(file, id, lang);
    try {
      const coded = segments.filter((s) => /<[gx]\d+/.test(s.source));
      expect(coded.length).toBeGreaterThan(0);
      // Translate every paragraph with codes, and a few without.
      const chosen = [...coded, ...segments.filter((s) => !/<[gx]\d+/.test(s.source)).slice(0, 3)];
      for (const segment of chosen) {
        await t.api.put(`/api/documents/${id}/locales/${lang}/segments/${segment.id}`).send({ target: translated(segment.source), baseRevision: segment.revision }).expect(200);
      }
      const xml = (await download(t.api, `/api/documents/${id}/locales/${lang}/export/original`)).body.toString('utf8');
      const before = unitsOf(original);
      const after = unitsOf(xml);
      // The same units, in the same order, with the same ids and sources.
      expect(after.map((u) => u.getAttribute('id'))).toEqual(before.map((u) => u.getAttribute('id')));
      for (let i = 0; i < before.length; i++) {
        expect(codes(child(after[i], 'source'))).toEqual(codes(child(before[i], 'source')));
        const target = child(after[i], 'target');
        const text = target?.textContent ?? '';
        if (text.includes('«')) {
          // A translated unit: its target holds the source's codes, in order.
          const holder = child(after[i], 'seg-source') ?? child(after[i], 'source');
          expect(codes(target)).toEqual(codes(holder));
          // And the state its tool reads: memoQ's status, Trados' confirmation level.
          if (file.startsWith('memoq')) expect(after[i].getAttribute('mq:status')).toBe('Confirmed');
          else if (file.startsWith('trados')) expect(Array.from(after[i].getElementsByTagName('sdl:seg')).map((seg) => seg.getAttribute('conf'))).toContain('Translated');
          else expect(target?.getAttribute('state')).toBe('translated');
        } else {
          // An untranslated unit is as the tool wrote it.
          expect(after[i].toString()).toBe(before[i].toString());
        }
      }
      // Every translation is in.
      const written = after.map((u) => child(u, 'target')?.textContent ?? '').join('\n');
      for (const segment of chosen) for (const run of translated(segment.source).match(/«[^»]*»/g) ?? []) expect(written).toContain(run);
    } finally {
      t.project.cleanup();
    }
  });
});

describe('an XLIFF 2.0 file as a document', () => {
  it('has a paragraph per <segment>, its <pc>, <mrk>, <ph>, <sm/>/<em/> and <cp> as placeholders; exported, each segment\'s target holds the source\'s codes and its state is translated', async () => {
    const original = readFileSync(path.join(__dirname, 'fixtures', 'interchange', 'okapi-2.0.es.xlf'), 'utf8');
    const t = await makeApp(makeProject({ 'okapi2.xlf': original }));
    try {
      await t.api.post('/api/documents/okapi2/locales').send({ code: 'es' }).expect(201);
      const segments = (await t.api.get('/api/documents/okapi2/locales/es/segments').expect(200)).body.segments as Segment[];
      expect(segments.map((s) => s.source)).toEqual(expect.arrayContaining(['Paris was <g1>free</g1>.', 'Line<x1/>break']));
      for (const segment of segments) {
        await t.api.put(`/api/documents/okapi2/locales/es/segments/${segment.id}`).send({ target: translated(segment.source), baseRevision: segment.revision }).expect(200);
      }
      const xml = (await download(t.api, '/api/documents/okapi2/locales/es/export/original')).body.toString('utf8');
      const NS2 = 'urn:oasis:names:tc:xliff:document:2.0';
      const segmentsOf = (text: string) => Array.from(parse(text).getElementsByTagNameNS(NS2, 'segment'));
      const [before, after] = [segmentsOf(original), segmentsOf(xml)];
      expect(after).toHaveLength(before.length);
      const inline = (el: Element | undefined) => (el ? Array.from(el.getElementsByTagName('*')).map((e) => `${e.localName} ${e.getAttribute('id') ?? e.getAttribute('startRef') ?? ''}`) : []);
      for (let i = 0; i < after.length; i++) {
        const source = Array.from(after[i].getElementsByTagNameNS(NS2, 'source'))[0];
        const target = Array.from(after[i].getElementsByTagNameNS(NS2, 'target'))[0];
        if (!(target?.textContent ?? '').includes('«')) continue;
        expect(inline(target)).toEqual(inline(source));
        expect(after[i].getAttribute('state')).toBe('translated');
      }
      expect(xml).toContain('<pc id="1" type="fmt" dataRefStart="d1" dataRefEnd="d2">«free»</pc>');
    } finally {
      t.project.cleanup();
    }
  });
});

describe('placeholders', () => {
  it('a translation missing one is a check error at the paragraph, and the export refuses (409) unless forced, then leaves it out', async () => {
    const { t, segments } = await setUp('memoq.MQ-12-Test01.mqxliff', 'rainbow', 'fr');
    try {
      const coded = segments.find((s) => /<g\d+>/.test(s.source)) as Segment;
      const broken = `SANS CODES ${coded.source.replace(/<\/?g\d+>/g, '')}`;
      const saved = await t.api.put(`/api/documents/rainbow/locales/fr/segments/${coded.id}`).send({ target: broken, baseRevision: coded.revision }).expect(200);
      expect(saved.body.checks).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'codes-differ', severity: 'error' })]));
      const refused = await t.api.get('/api/documents/rainbow/locales/fr/export/original').expect(409);
      expect(refused.body.error.code).toBe('codes-broken');
      expect(refused.body.error.paragraphs).toEqual([coded.id]);
      const forced = (await download(t.api, '/api/documents/rainbow/locales/fr/export/original?force=1')).body.toString('utf8');
      expect(forced).not.toContain('SANS CODES');
    } finally {
      t.project.cleanup();
    }
  });

  it('a Markdown document cannot be exported as original (400)', async () => {
    const t = await makeApp();
    try {
      await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
      const res = await t.api.get('/api/documents/small/locales/es/export/original').expect(400);
      expect(res.body.error.code).toBe('not-bilingual');
    } finally {
      t.project.cleanup();
    }
  });
});

describe('the editor', () => {
  it('shows the codes of the source as chips, not as text', async () => {
    const { t, segments } = await setUp('memoq.MQ-12-Test01.mqxliff', 'rainbow', 'fr');
    try {
      const coded = segments.find((s) => /<g\d+>/.test(s.source)) as Segment;
      const page = await t.api.get(`/documents/rainbow/locales/fr/paragraph/${coded.id}`).redirects(1).expect(200);
      const shown = new RegExp(`<p id="seg-${coded.id}-source"><span class="code-chip" title="[^"]+" translate="no">g1</span>Input List \\d<span class="code-chip" title="[^"]+" translate="no">/g1</span></p>`);
      expect(page.text).toMatch(shown);
    } finally {
      t.project.cleanup();
    }
  });
});

describe('bad input', () => {
  it('a malformed XLIFF file, or one that is not XLIFF, is refused as a document with the reason; nothing is created', async () => {
    const { main } = await import('../scripts/workbench');
    const project = makeProject({});
    try {
      const { writeFileSync, existsSync } = await import('node:fs');
      let err = '';
      const run = (...args: string[]) => main([...args, '--data', project.dir], { out: () => undefined, err: (s) => (err += s), env: { USER: 'editor' } });
      writeFileSync(path.join(project.dir, 'broken.xlf'), '<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n<file><body><trans-unit id="1"><source>A</source></body></file></xliff>');
      expect(await run('import', path.join(project.dir, 'broken.xlf'))).not.toBe(0);
      expect(err).toMatch(/line 3, column \d+/);
      writeFileSync(path.join(project.dir, 'notes.xlf'), '<?xml version="1.0"?>\n<notes><note>Not XLIFF</note></notes>');
      err = '';
      expect(await run('import', path.join(project.dir, 'notes.xlf'))).not.toBe(0);
      expect(err).toContain('is not an XLIFF file');
      expect(existsSync(path.join(project.dir, 'source', 'broken.xlf'))).toBe(false);
      expect(existsSync(path.join(project.dir, 'source', 'notes.xlf'))).toBe(false);
    } finally {
      project.cleanup();
    }
  });
});
