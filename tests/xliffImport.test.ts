import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import request from 'supertest';
import { main } from '../scripts/workbench';
import { addAccount, anonymousAgent, browserAgent, csrfOf, useTestApp } from './helpers/app';
import { download, teamLocale, type Team } from './helpers/edition';
import { requireTranslateToolkit } from './helpers/translateToolkit';

const t = useTestApp();
let team: Team;
beforeEach(async () => {
  // Three of the eight paragraphs translated, none approved.
  team = await teamLocale(t, { translate: 3, approve: 0 });
});

const base = '/documents/small/locales/es';
const localeFile = () => t.project.read('locales/es/small.xlf');

/** What a translator's script does to an exported file: sets targets by unit id (XLIFF 1.2 trans-unit or 2.0 segment). */
function setTargets(xml: string, targets: Record<string, string>): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const ns = doc.documentElement!.namespaceURI;
  const units = [...Array.from(doc.getElementsByTagNameNS(ns, 'trans-unit')), ...Array.from(doc.getElementsByTagNameNS(ns, 'unit'))];
  for (const unit of units) {
    const text = targets[unit.getAttribute('id') ?? ''];
    if (text === undefined) continue;
    const holder = unit.localName === 'unit' ? unit.getElementsByTagNameNS(ns, 'segment')[0] : unit;
    let target = holder.getElementsByTagNameNS(ns, 'target')[0];
    if (!target) {
      target = doc.createElementNS(ns, 'target');
      holder.appendChild(target);
    }
    target.textContent = text;
    if (unit.localName === 'unit') holder.setAttribute('state', 'translated');
    else target.setAttribute('state', 'translated');
  }
  return new XMLSerializer().serializeToString(doc);
}

/** The characters of windows-1252 outside ASCII that the test uses, as its bytes. */
const WINDOWS_1252: Record<string, number> = { á: 0xe1, '—': 0x97, '«': 0xab, '»': 0xbb };

const importVia = (agent: typeof t.api, xml: string | Buffer, query = '') =>
  agent.post(`/api${base}/import${query}`).set('Content-Type', 'application/xliff+xml').send(typeof xml === 'string' ? Buffer.from(xml) : xml);

describe('round trip: export → edit in a script → import', () => {
  it('XLIFF 1.2: a dry run lists the changes and writes nothing; the import writes them, one history entry each, credited to the uploader', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[1]]: 'El primer párrafo, corregido, con un [enlace](https://example.org/a).', [team.ids[5]]: 'Otro elemento más.' });
    const before = localeFile();
    const dry = await importVia(team.ana, edited, '?dryRun=1').expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, written: 0, fileVersion: '1.2', unchanged: 2, unknown: [], conflicts: [] });
    expect(dry.body.newTranslations).toEqual([expect.objectContaining({ segment: team.ids[5], matchedBy: 'id', target: 'Otro elemento más.' })]);
    expect(dry.body.changed).toEqual([expect.objectContaining({ segment: team.ids[1], before: 'El primer párrafo, con un [enlace](https://example.org/a).' })]);
    expect(dry.body.changed[0].diff).toContainEqual({ value: 'corregido, ', added: true });
    expect(localeFile()).toBe(before);

    const done = await importVia(team.ana, edited).expect(200);
    expect(done.body.written).toBe(2);
    const segments = (await t.api.get(`/api${base}/segments`).expect(200)).body.segments as { id: string; target: string | null; state: string }[];
    expect(segments.find((s) => s.id === team.ids[5])).toMatchObject({ target: 'Otro elemento más.', state: 'translated' });
    expect(segments.find((s) => s.id === team.ids[1])?.target).toContain('corregido');
    const history = await t.project.history('small', 'es');
    const imports = history.filter((e) => e.action === 'import');
    expect(imports.map((e) => [e.segment, e.who])).toEqual([
      [team.ids[1], 'Ana'],
      [team.ids[5], 'Ana'],
    ]);
    // Imported again: nothing left to do.
    expect((await importVia(team.ana, edited).expect(200)).body).toMatchObject({ written: 0, unchanged: 4 });
  });

  it('XLIFF 2.0: exported, translated by a script, imported', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff2`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[6]]: 'Segunda parte', [team.ids[7]]: 'El último párrafo.' });
    const done = await importVia(team.ana, edited).expect(200);
    expect(done.body).toMatchObject({ fileVersion: '2.0', written: 2, unchanged: 3 });
    const edition = await t.api.get(`/api${base}/edition`).expect(200);
    expect(edition.body.completeness.untranslated).toBe(3);
  });

  it('a paragraph saved here after the export is a conflict, listed and not overwritten', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    await team.ana.put(`/api${base}/segments/${team.ids[0]}`).send({ target: 'Primera parte (nueva)', baseRevision: 1 }).expect(200);
    const edited = setTargets(exported, { [team.ids[0]]: 'Parte primera' });
    const res = await importVia(team.ana, edited).expect(200);
    expect(res.body.written).toBe(0);
    expect(res.body.conflicts).toEqual([expect.objectContaining({ segment: team.ids[0], reason: 'edited-here', here: 'Primera parte (nueva)', theirs: 'Parte primera' })]);
    expect(localeFile()).toContain('Primera parte (nueva)');
  });
});

describe('files from other tools', () => {
  const foreign = (units: string, target = 'es') => `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file original="small.md" source-language="en" target-language="${target}" datatype="plaintext">
    <body>
${units}
    </body>
  </file>
</xliff>
`;

  it('units are matched by exact source text when the ids are another tool\'s; units unknown here are listed with their line', async () => {
    const xml = foreign(`      <trans-unit id="1"><source>The last paragraph.</source><target>El último párrafo.</target></trans-unit>
      <trans-unit id="2"><source>A paragraph this text never had.</source><target>Un párrafo ajeno.</target></trans-unit>`);
    const res = await importVia(team.ana, xml).expect(200);
    expect(res.body.newTranslations).toEqual([expect.objectContaining({ segment: team.ids[7], matchedBy: 'source', fileId: '1' })]);
    expect(res.body.unknown).toEqual([{ id: '2', source: 'A paragraph this text never had.', line: 6 }]);
    expect(res.body.written).toBe(1);
  });

  it('an approved translation here is not replaced by another tool\'s file', async () => {
    await team.bruno.post(`/api${base}/segments/${team.ids[2]}/approve`).send({ baseRevision: 1 }).expect(200);
    const xml = foreign(`      <trans-unit id="x"><source>The second paragraph.</source><target>El párrafo segundo.</target></trans-unit>`);
    const res = await importVia(team.ana, xml).expect(200);
    expect(res.body.conflicts).toEqual([expect.objectContaining({ segment: team.ids[2], reason: 'approved-here' })]);
    expect(localeFile()).toContain('El segundo párrafo.');
  });

  it('Translate Toolkit: a PO file turned into XLIFF by po2xliff imports by source text (fuzzy entries need work)', async () => {
    requireTranslateToolkit();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-po-'));
    writeFileSync(
      path.join(dir, 'small.po'),
      `msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

#. A heading
msgctxt "heading"
msgid "Second part"
msgstr "Segunda parte"

#, fuzzy
msgid "The last paragraph."
msgstr "El último párrafo (a revisar)."

msgid "An unknown sentence."
msgstr "Una frase desconocida."
`,
    );
    const run = spawnSync('po2xliff', [path.join(dir, 'small.po'), path.join(dir, 'small.xlf')], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const outputs: string[] = [];
    const code = await main(['import-xliff', path.join(dir, 'small.xlf'), '--doc', 'small', '--locale', 'es', '--by', 'Ana'], {
      out: (s) => outputs.push(s),
      err: (s) => outputs.push(s),
      env: { WORKBENCH_DATA: t.project.dir },
    });
    const printed = outputs.join('');
    expect(code).toBe(0);
    expect(printed).toMatch(/new translations\s+2/);
    expect(printed).toMatch(/unknown here\s+1/);
    const segments = (await t.api.get(`/api${base}/segments`).expect(200)).body.segments as { id: string; target: string | null; state: string }[];
    expect(segments.find((s) => s.id === team.ids[6])).toMatchObject({ target: 'Segunda parte', state: 'translated' });
    expect(segments.find((s) => s.id === team.ids[7])).toMatchObject({ target: 'El último párrafo (a revisar).', state: 'needs-work' });
  });
});

describe('bad input is refused and nothing saved is touched', () => {
  const cases: [string, string, number, RegExp][] = [
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE xliff><xliff version="1.2"/>', 400, /DOCTYPE/],
    [
      'internal entities (billion laughs)',
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xliff version="1.2"><file><body><trans-unit id="a"><source>&lol2;</source></trans-unit></body></file></xliff>',
      400,
      /DOCTYPE/,
    ],
    [
      'an external entity (XXE to a local file)',
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="small" source-language="en" target-language="es" datatype="plaintext"><body><trans-unit id="a"><source>&xxe;</source><target>&xxe;</target></trans-unit></body></file></xliff>',
      400,
      /DOCTYPE/,
    ],
    ['malformed XML', '<?xml version="1.0"?>\n<xliff version="1.2">\n  <file>\n    <body></bodyy>\n', 400, /line 4, column \d+/],
  ];
  it.each(cases)('%s → %i, nothing expanded or read', async (_name, xml, status, message) => {
    const before = localeFile();
    const res = await importVia(team.ana, xml).expect(status);
    expect(res.body.error.message).toMatch(message);
    expect(JSON.stringify(res.body)).not.toMatch(/root:|lollol/);
    expect(localeFile()).toBe(before);
  });

  it('a file in another encoding is read in it: UTF-16 by its byte-order mark, windows-1252 by its declaration; one Node cannot decode is refused naming it', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[5]]: 'Otro elemento más — «con comillas».' });
    // UTF-16 little-endian with its byte-order mark, as Passolo and some Windows tools save.
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(edited.replace('encoding="UTF-8"', 'encoding="UTF-16"'), 'utf16le')]);
    const fromUtf16 = await importVia(team.ana, utf16, '?dryRun=1').expect(200);
    expect(fromUtf16.body.newTranslations).toEqual([expect.objectContaining({ segment: team.ids[5], target: 'Otro elemento más — «con comillas».' })]);
    // windows-1252: á, —, « and » are single bytes (— is 0x97, which ISO-8859-1 does not have); Node has no encoder for it.
    const bytes = [...(edited.startsWith('<?xml') ? edited : `<?xml version="1.0" encoding="UTF-8"?>${edited}`).replace(/encoding="UTF-8"/i, 'encoding="windows-1252"')].map((ch) => WINDOWS_1252[ch] ?? ch.charCodeAt(0));
    expect(bytes.every((b) => b < 256)).toBe(true);
    const fromCp1252 = await importVia(team.ana, Buffer.from(bytes)).expect(200);
    expect(fromCp1252.body.written).toBe(1);
    const segments = (await t.api.get(`/api${base}/segments`).expect(200)).body.segments as { id: string; target: string | null }[];
    expect(segments.find((s) => s.id === team.ids[5])?.target).toBe('Otro elemento más — «con comillas».');

    const before = localeFile();
    const unknown = Buffer.from(exported.replace('encoding="UTF-8"', 'encoding="x-klingon-7"'), 'latin1');
    const refused = await importVia(team.ana, unknown).expect(400);
    expect(refused.body.error).toMatchObject({ code: 'xml-encoding-unsupported' });
    expect(refused.body.error.message).toContain('"x-klingon-7"');
    // Bytes that are not what the file says it is: malformed, with the place.
    const notUtf8 = Buffer.concat([Buffer.from(exported.replace('</body>', '<!-- caf')), Buffer.from([0xe9]), Buffer.from(' --></body>')]);
    const malformed = await importVia(team.ana, notUtf8).expect(400);
    expect(malformed.body.error.message).toMatch(/line \d+, column \d+: the file is not valid UTF-8/);
    expect(localeFile()).toBe(before);
  });

  it('a file for another target language is refused, naming both', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const french = exported.replace('target-language="es"', 'target-language="fr"');
    const res = await importVia(team.ana, french).expect(400);
    expect(res.body.error).toMatchObject({ code: 'xliff-wrong-language' });
    expect(res.body.error.message).toMatch(/French \(fr\).*Spanish \(es\)/);
  });

  it('a file over 50 MB is 413 (API body and web upload)', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024 + 10, 0x20);
    await importVia(team.ana, big).expect(413);
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const res = await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', big, 'big.xlf').expect(413);
    expect(res.text).toContain('50 MB');
  });

  it('only a translator of the locale may import: 401 anonymous, 403 a reviewer', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    await request(t.app).post(`/api${base}/import`).set('Content-Type', 'application/json').send('{}').expect(401);
    await importVia(team.bruno, exported).expect(403);
    const { agent, csrf } = await anonymousAgent(t.app);
    await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(exported), 'es.xlf').expect(401);
  });
});

describe('the web import: upload, preview, confirm', () => {
  it('previews, then writes only on confirmation; the staged upload is the uploader\'s alone', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[4]]: 'Un elemento de una lista.', [team.ids[0]]: 'Parte primera' });
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const before = localeFile();
    const preview = await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(edited), 'es.xlf').expect(200);
    expect(preview.text).toMatch(/data-count="new">1 new translation/);
    expect(preview.text).toMatch(/data-count="changed">1 changed translation/);
    expect(preview.text).toContain('<ins>Parte primera</ins>');
    expect(localeFile()).toBe(before);
    const action = /action="([^"]+\/import\/[0-9a-f]{32})"/.exec(preview.text)?.[1] as string;
    expect(action).toBeDefined();

    // Someone else cannot confirm Ana's upload.
    await addAccount(t.app, t.project, 'Carla', [{ kind: 'translator', locale: 'es' }]);
    const carla = await browserAgent(t.app, 'Carla');
    await carla.agent.post(action).type('form').send({ _csrf: carla.csrf, action: 'apply' }).expect(404);

    const applied = await agent.post(action).type('form').send({ _csrf: csrfOf(preview.text), action: 'apply' }).expect(200);
    expect(applied.text).toMatch(/data-written="2"/);
    expect(localeFile()).toContain('Parte primera');
    // Applied once: the upload is gone.
    await agent.post(action).type('form').send({ _csrf: csrf, action: 'apply' }).expect(404);
  });

  it('a paragraph saved between the preview and the confirmation is not overwritten: it is listed as a conflict', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[4]]: 'Un elemento de una lista.', [team.ids[5]]: 'Otro elemento.' });
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const preview = await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(edited), 'es.xlf').expect(200);
    await team.ana.put(`/api${base}/segments/${team.ids[5]}`).send({ target: 'Un elemento más, escrito aquí.', baseRevision: 0 }).expect(200);
    const action = /action="([^"]+\/import\/[0-9a-f]{32})"/.exec(preview.text)?.[1] as string;
    const applied = await agent.post(action).type('form').send({ _csrf: csrf, action: 'apply' }).expect(200);
    expect(applied.text).toMatch(/data-written="1"/);
    expect(applied.text).toMatch(/data-count="conflicts"[^>]*>1 conflict/);
    expect(localeFile()).toContain('Un elemento más, escrito aquí.');
    expect(localeFile()).toContain('Un elemento de una lista.');
  });

  it('what the file says is shown escaped in the preview (translations, ids, file name)', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const edited = setTargets(exported, { [team.ids[6]]: '<script>alert(1)</script>', [team.ids[0]]: '<img src=x onerror=alert(2)>' });
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const preview = await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(edited), '"><svg onload=alert(3)>.xlf').expect(200);
    expect(preview.text).not.toMatch(/<script>alert|<img src=x|<svg onload/);
    expect(preview.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(preview.text).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('a bad file shows the edition page again with the reason', async () => {
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    const res = await agent.post(`${base}/import?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from('<xliff version="1.2">\n<file>'), 'broken.xlf').expect(400);
    expect(res.text).toMatch(/class="form-error"[^>]*>broken\.xlf: line \d+, column \d+/);
  });
});

describe('CLI import-xliff', () => {
  it('--dry-run lists and writes nothing; without it the file is merged (document and locale read from the file)', async () => {
    const exported = (await download(team.ana, `/api${base}/export/xliff`)).body.toString('utf8');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workbench-cli-'));
    const file = path.join(dir, 'es.xlf');
    writeFileSync(file, setTargets(exported, { [team.ids[3]]: 'Una subsección' }));
    const before = localeFile();
    let out = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (out += s), env: { WORKBENCH_DATA: t.project.dir } };
    expect(await main(['import-xliff', file, '--dry-run', '--by', 'Ana'], io)).toBe(0);
    expect(out).toMatch(/Would import es\.xlf \(XLIFF 1\.2\) into small es/);
    expect(out).toMatch(/new translations\s+1/);
    expect(localeFile()).toBe(before);
    expect(await main(['import-xliff', file, '--by', 'Ana'], io)).toBe(0);
    expect(out).toContain('1 paragraph written');
    expect(localeFile()).toContain('Una subsección');
    expect(await t.project.history('small', 'es')).toContainEqual(expect.objectContaining({ who: 'Ana', segment: expect.stringMatching(/^s[0-9a-f]{8}$/), action: 'import' }));
  });
});
