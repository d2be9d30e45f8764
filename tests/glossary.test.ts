import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { GlossaryMatcher } from '../server/domain/glossaryMatcher';
import type { GlossaryTerm } from '../server/domain/glossaryTerm';
import { termStem } from '../server/domain/termStem';
import { readTbx } from '../server/formats/tbx';
import { addAccount, startLocale, useTestApp } from './helpers/app';
import { REPO_ROOT } from './helpers/project';

// The glossary of a language: terms found in the source (inflected forms too), their translations
// checked in the target, forbidden ones an error that blocks approval; edited through the API with
// revisions; imported from TBX (v3 and the older martif of other tools) and CSV with a preview, and
// exported again; every bad file refused with its reason and line, nothing written.

const t = useTestApp();
const url = '/api/documents/small/locales/es';
const fixture = (name: string) => readFileSync(path.join(REPO_ROOT, 'tests/fixtures/glossary', name));
type Segment = { id: string; source: string; revision: number };

function term(source: string, translations: string[], extra: Partial<GlossaryTerm> = {}): GlossaryTerm {
  return { id: source, sourceLanguage: 'en', source, translations, forbidden: [], partOfSpeech: '', note: '', caseSensitive: false, revision: 1, who: 'x', at: '', ...extra };
}

describe('finding terms', () => {
  test('a term matches its inflected forms by the language stem rule, multi-word terms too', () => {
    expect(termStem('communes', 'en')).toBe(termStem('commune', 'en'));
    expect(termStem('classes', 'en')).toBe(termStem('class', 'en'));
    expect(termStem('working', 'en')).toBe(termStem('worked', 'en'));
    expect(termStem('obreras', 'es')).toBe(termStem('obrero', 'es'));
    const matcher = new GlossaryMatcher([term('commune', ['comuna']), term('working class', ['clase obrera']), term('class', ['clase'])], 'en', 'es');
    const text = 'The Communes of the working classes, and a class.';
    expect(matcher.termsIn(text).map((f) => [f.term.source, text.slice(...f.at)])).toEqual([
      ['commune', 'Communes'],
      ['working class', 'working classes'],
      ['class', 'class'],
    ]);
    // A case-sensitive term needs its capitals; a word that only starts like a term is not it.
    const cs = new GlossaryMatcher([term('US', ['EE. UU.'], { caseSensitive: true }), term('commune', ['comuna'])], 'en', 'es');
    expect(cs.termsIn('us and the US, communication').map((f) => f.term.source)).toEqual(['US']);
  });

  test('the target is checked for a translation and for forbidden ones, in their inflected forms', () => {
    const matcher = new GlossaryMatcher([term('commune', ['comuna'], { forbidden: ['comunidad'] })], 'en', 'es');
    expect(matcher.check('The communes rose.', 'Las comunas se alzaron.')).toEqual({ missing: [], forbidden: [] });
    const wrong = matcher.check('The communes rose.', 'Las comunidades se alzaron.');
    expect(wrong.missing.map((m) => m.source)).toEqual(['commune']);
    expect(wrong.forbidden).toEqual([{ term: expect.objectContaining({ source: 'commune' }), used: 'comunidades' }]);
  });
});

describe('reading TBX files of other tools', () => {
  test('Translate Toolkit (martif, tig, an external DOCTYPE) and Lokalize via Weblate (ntig/termGrp, several langSets)', () => {
    const tt = readTbx(fixture('translate-toolkit-csv2tbx.tbx').toString('utf8'), { file: 'tt.tbx', sourceLanguage: 'en', targetLanguage: 'es' });
    expect(tt.terms.map((x) => [x.source, x.translations])).toEqual([
      ['paragraph', ['párrafo']],
      ['list', ['lista']],
    ]);
    const weblate = readTbx(fixture('weblate-terms.tbx').toString('utf8'), { file: 'terms.tbx', sourceLanguage: 'en', targetLanguage: 'cs' });
    expect(weblate.terms.map((x) => [x.source, x.translations])).toEqual([
      ['&About', ['O &aplikaci']],
      ['address bar', ['adresní řádek']],
      ['administrator', ['správce']],
      ['apply', ['použít', 'uplatnit']],
      ['bug tracker', ['systém pro sledování chyb']],
      ['bugtracker', ['systém pro sledování chyb']],
    ]);
  });
});

const TBX_V3 = `<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader><fileDesc><sourceDesc><p>a termbase</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <descrip type="definition">A block of prose.</descrip>
      <langSec xml:lang="en"><termSec><term>paragraph</term><termNote type="partOfSpeech">noun</termNote></termSec></langSec>
      <langSec xml:lang="es">
        <termSec><term>parágrafo</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
        <termSec><term>párrafo</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
      </langSec>
    </conceptEntry>
    <conceptEntry id="c2">
      <langSec xml:lang="en"><termSec><term>item</term></termSec></langSec>
      <langSec xml:lang="fr"><termSec><term>élément</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
`;

describe('the glossary API', () => {
  async function setUp() {
    const segments = (await startLocale(t.api, 'es')) as Segment[];
    const second = segments.find((s) => s.source === 'The second paragraph.') as Segment;
    const translator = await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
    const reviewer = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
    const french = await addAccount(t.app, t.project, 'fred', [{ kind: 'translator', locale: 'fr' }]);
    return { second, translator, reviewer, french };
  }

  test('terms are added, shown at a paragraph, checked in its translation, and a forbidden one blocks approval', async () => {
    const { second, translator, reviewer, french } = await setUp();
    await request(t.app).post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'] }).expect(401);
    await french.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'] }).expect(403);
    const added = (await translator.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'], forbidden: ['parágrafo'], partOfSpeech: 'noun', note: 'Of prose.' }).expect(201)).body.term;
    expect(added).toMatchObject({ source: 'paragraph', sourceLanguage: 'en', translations: ['párrafo'], forbidden: ['parágrafo'], revision: 1, who: 'tina' });
    expect((await translator.api.post('/api/glossary/es/terms').send({ source: 'Paragraph', translations: ['x'] }).expect(409)).body.error.code).toBe('term-exists');

    const terms = (await request(t.app).get(`${url}/segments/${second.id}/terms`).expect(200)).body.terms;
    expect(terms).toEqual([{ id: added.id, source: 'paragraph', translations: ['párrafo'], forbidden: ['parágrafo'], note: 'Of prose.', partOfSpeech: 'noun', at: [11, 20] }]);

    const saved = (await translator.api.put(`${url}/segments/${second.id}`).send({ target: 'El segundo parágrafo.', baseRevision: 0 }).expect(200)).body;
    expect(saved.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'forbidden-term', severity: 'error', message: 'A forbidden translation is used: “parágrafo” (paragraph).' }),
        expect.objectContaining({ id: 'glossary-term', severity: 'warning' }),
      ]),
    );
    expect((await reviewer.api.post(`${url}/segments/${second.id}/approve`).send({ baseRevision: 1 }).expect(409)).body.error.code).toBe('checks-open');
    const fixed = (await translator.api.put(`${url}/segments/${second.id}`).send({ target: 'El segundo párrafo.', baseRevision: 1 }).expect(200)).body;
    expect(fixed.checks.filter((c: { id: string }) => c.id.endsWith('-term'))).toEqual([]);
    await reviewer.api.post(`${url}/segments/${second.id}/approve`).send({ baseRevision: 2 }).expect(200);
  });

  test('a change from an older revision is refused, a removal too; a reviewer may edit', async () => {
    const { translator, reviewer } = await setUp();
    const added = (await translator.api.post('/api/glossary/es/terms').send({ source: 'item', translations: ['elemento'] }).expect(201)).body.term;
    const changed = (await reviewer.api.put(`/api/glossary/es/terms/${added.id}`).send({ source: 'item', translations: ['elemento', 'punto'], revision: 1 }).expect(200)).body.term;
    expect(changed).toMatchObject({ translations: ['elemento', 'punto'], revision: 2, who: 'rita' });
    const stale = (await translator.api.put(`/api/glossary/es/terms/${added.id}`).send({ source: 'item', translations: ['ítem'], revision: 1 }).expect(409)).body.error;
    expect(stale).toMatchObject({ code: 'term-conflict', current: { revision: 2 } });
    await translator.api.delete(`/api/glossary/es/terms/${added.id}?revision=1`).expect(409);
    await translator.api.put(`/api/glossary/es/terms/${added.id}`).send({ source: '  ', revision: 2 }).expect(400);
    await translator.api.put(`/api/glossary/es/terms/${added.id}`).send({ source: 'item', translations: ['a'], forbidden: ['A'], revision: 2 }).expect(400);
    await translator.api.delete(`/api/glossary/es/terms/${added.id}?revision=2`).expect(204);
    expect((await request(t.app).get('/api/glossary/es/terms').expect(200)).body.terms).toEqual([]);
    await request(t.app).get('/api/glossary/es/terms/nope').expect(404);
  });

  test('a TBX file is previewed, imported, merged into the terms there are, and exported again', async () => {
    const { translator } = await setUp();
    await translator.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['parte'] }).expect(201);
    const preview = (await translator.api.post('/api/glossary/es/import?dryRun=1&name=terms.tbx').set('Content-Type', 'application/x-tbx+xml').send(TBX_V3).expect(200)).body;
    expect(preview).toMatchObject({ dryRun: true, format: 'tbx', sourceLanguage: 'en', added: [], unchanged: 0, skipped: 1 });
    expect(preview.updated).toEqual([{ source: 'paragraph', translations: ['parte', 'párrafo'], forbidden: ['parágrafo'], before: expect.objectContaining({ translations: ['parte'] }) }]);
    expect((await request(t.app).get('/api/glossary/es/terms').expect(200)).body.terms[0].translations).toEqual(['parte']);
    await translator.api.post('/api/glossary/es/import?name=terms.tbx').set('Content-Type', 'application/x-tbx+xml').send(TBX_V3).expect(200);
    const [imported] = (await request(t.app).get('/api/glossary/es/terms').expect(200)).body.terms;
    expect(imported).toMatchObject({ source: 'paragraph', translations: ['parte', 'párrafo'], forbidden: ['parágrafo'], partOfSpeech: 'noun', note: 'A block of prose.' });

    // Exported as TBX-Basic: read back, it changes nothing.
    const tbx = await request(t.app).get('/api/glossary/es/export?format=tbx').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(tbx.headers['content-disposition']).toContain('glossary.en-es.tbx');
    const text = (tbx.body as Buffer).toString('utf8');
    expect(text).toContain('?>\n<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">');
    expect(text).toContain('<termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>');
    const again = (await translator.api.post('/api/glossary/es/import?dryRun=1').set('Content-Type', 'application/x-tbx+xml').send(text).expect(200)).body;
    expect(again).toMatchObject({ added: [], updated: [], unchanged: 1 });
    // And as CSV, one row per translation.
    const csv = (await request(t.app).get('/api/glossary/es/export?format=csv').expect(200)).text;
    expect(csv.split('\r\n').slice(0, 4)).toEqual([
      'source,target,status,part_of_speech,note,case_sensitive,source_language,target_language',
      'paragraph,parte,preferred,noun,A block of prose.,no,en,es',
      'paragraph,párrafo,admitted,noun,A block of prose.,no,en,es',
      'paragraph,parágrafo,forbidden,noun,A block of prose.,no,en,es',
    ]);
    const fromCsv = (await translator.api.post('/api/glossary/es/import?dryRun=1').set('Content-Type', 'text/csv').send(csv).expect(200)).body;
    expect(fromCsv).toMatchObject({ format: 'csv', added: [], updated: [], unchanged: 1 });
  });

  test('files of other tools import: Translate Toolkit TBX, a spreadsheet CSV with language columns', async () => {
    const { translator } = await setUp();
    const tt = (await translator.api.post('/api/glossary/es/import?name=tt.tbx').set('Content-Type', 'application/xml').send(fixture('translate-toolkit-csv2tbx.tbx')).expect(200)).body;
    expect(tt.added.map((a: { source: string }) => a.source)).toEqual(['paragraph', 'list']);
    const csv = '\uFEFFen,es,forbidden,note\n"item","elemento",no,"A list\'s item, one of ""many"""\nitem,ítem,yes,\n';
    const report = (await translator.api.post('/api/glossary/es/import?name=sheet.csv').set('Content-Type', 'text/csv').send(csv).expect(200)).body;
    expect(report.added).toEqual([{ source: 'item', translations: ['elemento'], forbidden: ['ítem'] }]);
    const item = (await request(t.app).get('/api/glossary/es/terms?q=elem').expect(200)).body.terms;
    expect(item).toEqual([expect.objectContaining({ source: 'item', note: 'A list\'s item, one of "many"' })]);
  });

  test('bad files are refused with the reason and the line, and nothing is written', async () => {
    const { translator, french } = await setUp();
    const send = (body: string, type = 'application/x-tbx+xml', query = '') => translator.api.post(`/api/glossary/es/import${query}`).set('Content-Type', type).send(body);
    const malformed = (await send('<tbx xmlns="urn:iso:std:iso:30042:ed-2">\n  <text><body>\n  </bod></text></tbx>').expect(400)).body.error;
    expect(malformed).toMatchObject({ code: 'tbx-malformed', line: 3 });
    const subset = (await send('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY x "y">]>\n<martif/>').expect(400)).body.error;
    expect(subset.code).toBe('xml-doctype-forbidden');
    const entity = (await send('<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&x;</term></tig></langSet></termEntry></body></text></martif>').expect(400)).body.error;
    expect(entity.message).toMatch(/line 1/);
    const wrong = (await send(TBX_V3.replace(/xml:lang="es"/, 'xml:lang="de"')).expect(400)).body.error;
    expect(wrong).toMatchObject({ code: 'glossary-wrong-language', line: 5 });
    expect(wrong.message).toContain('(the file\'s languages: en, de, fr)');
    const badCsv = (await send('source,target\ncommune,"comuna\nclass,clase\n', 'text/csv').expect(400)).body.error;
    expect(badCsv).toMatchObject({ code: 'csv-malformed', line: expect.any(Number) });
    const otherCsv = (await send('en,fr\ncommune,commune\n', 'text/csv').expect(400)).body.error;
    expect(otherCsv).toMatchObject({ code: 'glossary-wrong-language', line: 1 });
    const otherRow = (await send('source,target,target_language\ncommune,comuna,es\nclass,classe,fr\n', 'text/csv').expect(400)).body.error;
    expect(otherRow).toMatchObject({ code: 'glossary-wrong-language', line: 3 });
    const emptyTerm = (await send('source,target\n,comuna\n', 'text/csv').expect(400)).body.error;
    expect(emptyTerm).toMatchObject({ code: 'csv-malformed', line: 2 });
    await send('source,target\nx,y\n', 'text/csv', '?format=docx').expect(400);
    await french.api.post('/api/glossary/es/import').set('Content-Type', 'text/csv').send('source,target\nx,y\n').expect(403);
    expect((await request(t.app).get('/api/glossary/es/terms').expect(200)).body.terms).toEqual([]);
    await request(t.app).get('/api/glossary/es/export?format=pdf').expect(400);
    await request(t.app).get('/api/glossary/not_a_tag/terms').expect(400);
  });
});
