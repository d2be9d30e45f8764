import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import request from 'supertest';
import { main } from '../scripts/workbench';
import { anonymousAgent, browserAgent, makeApp, useTestApp } from './helpers/app';
import { download, teamLocale, type Team } from './helpers/edition';
import { makeProject, SMALL_DOC } from './helpers/project';
import { validateXliff12, validateXliff20 } from './helpers/xmllint';

const t = useTestApp();

const base = '/documents/small/locales/es';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), env: { WORKBENCH_DATA: t.project.dir, USER: 'editor' } });
  return { code, out, err };
}

function scratch(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'workbench-export-'));
}

describe('completeness', () => {
  it('GET /api/.../edition lists what is missing, with links to the paragraphs', async () => {
    const team = await teamLocale(t, { translate: 5, approve: 3 });
    const res = await t.api.get(`/api${base}/edition`).expect(200);
    expect(res.body).toMatchObject({ complete: false, requireApproval: true, sourceVersion: 1, completeness: { total: 8, done: 3, percent: 37, untranslated: 3, drifted: 0, unapproved: 2 } });
    expect(res.body.missing).toHaveLength(5);
    expect(res.body.missing[0]).toEqual({ id: team.ids[3], reason: 'unapproved', link: `${base}/paragraph/${team.ids[3]}` });
    // The link opens the editor page that holds the paragraph.
    const link = await t.api.get(res.body.missing[4].link).expect(302);
    expect(link.headers.location).toBe(`${base}?section=1#seg-${team.ids[7]}`);
  });

  it('an incomplete edition is refused with the list (API 409, page 409, CLI exit 1); drafts are made', async () => {
    await teamLocale(t, { translate: 7, approve: 7 });
    const api = await t.api.get(`/api${base}/export/html`).expect(409);
    expect(api.body.error).toMatchObject({ code: 'edition-incomplete', completeness: { untranslated: 1 } });
    expect(api.body.error.message).toMatch(/7 of 8 paragraphs done; 1 untranslated/);
    expect(api.body.error.missing).toEqual([expect.objectContaining({ reason: 'untranslated', source: 'The last paragraph.' })]);

    // The Edition page offers drafts only.
    const edition = await request(t.app).get(`${base}/edition`).expect(200);
    expect([...edition.text.matchAll(/href="[^"]+\/export\/(\w+)(\?draft=1)?"/g)].map((m) => m[1] + (m[2] ?? ''))).toEqual([
      'epub?draft=1',
      'html?draft=1',
      'md?draft=1',
      'txt?draft=1',
      'xliff',
      'xliff2',
      'tmx',
    ]);
    const page = await request(t.app).get(`${base}/export/epub`).expect(409);
    expect(page.text).toContain('The last paragraph.');
    expect(page.text).toMatch(/class="form-error"[^>]*>[^<]*not complete/);

    const refused = await cli('export', '--locale', 'es', '--format', 'md', '--out', path.join(scratch(), 'x.md'));
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/untranslated\s+s[0-9a-f]{8}\s+The last paragraph\./);
    expect(refused.err).toContain('--draft');

    const draft = await download(t.api, `/api${base}/export/html?draft=1`);
    const html = draft.body.toString('utf8');
    expect(html).toContain('BORRADOR');
    expect(html).toContain('87');
    // The untranslated paragraph falls back to the source, marked.
    expect(html).toMatch(/class="[^"]*mark[^"]*"[^>]*>[\s\S]{0,400}The last paragraph\./);
    expect(html).toContain('Aún sin traducir');
    expect(draft.disposition).toContain('small.es.draft.html');
  });

  it('a drifted translation keeps the edition from being complete; the draft uses it, marked', async () => {
    await teamLocale(t);
    await t.api.get(`/api${base}/export/txt`).expect(200);
    const changed = SMALL_DOC.replace('The second paragraph.', 'The second paragraph, changed.');
    const file = path.join(scratch(), 'small.md');
    writeFileSync(file, changed);
    expect((await cli('update-source', 'small', file)).code).toBe(0);
    const res = await t.api.get(`/api${base}/edition`).expect(200);
    expect(res.body.completeness).toMatchObject({ drifted: 1, done: 7 });
    expect(res.body.sourceVersion).toBe(2);
    await t.api.get(`/api${base}/export/txt`).expect(409);
    const draft = (await download(t.api, `/api${base}/export/md?draft=true`)).body.toString('utf8');
    expect(draft).toMatch(/\[[^\]]+\] El segundo párrafo\./);
  });

  it('without required review (requireApproval: false) translated paragraphs are done', async () => {
    const project = makeProject();
    project.write('workbench.config.json', JSON.stringify({ requireApproval: false }));
    try {
      const t2 = await makeApp(project);
      await teamLocale(t2, { translate: 8, approve: 0 });
      const res = await t2.api.get(`/api${base}/edition`).expect(200);
      expect(res.body).toMatchObject({ complete: true, requireApproval: false });
      await t2.api.get(`/api${base}/export/html`).expect(200);
    } finally {
      project.cleanup();
    }
  });
});

describe('a complete Spanish edition', () => {
  let team: Team;
  beforeEach(async () => {
    team = await teamLocale(t);
  });

  it('exports to every format from the Edition page, and each export is recorded', async () => {
    const { agent } = await browserAgent(t.app, 'Ana');
    const page = await agent.get(`${base}/edition`).expect(200);
    expect(page.text).toMatch(/data-percent="100"/);
    const links = [...page.text.matchAll(/href="([^"]+\/export\/[a-z0-9]+)"/g)].map((m) => m[1]);
    expect(links.map((l) => l.split('/').pop())).toEqual(['epub', 'html', 'md', 'txt', 'xliff', 'xliff2', 'tmx']);
    const dir = scratch();
    const files: Record<string, Buffer> = {};
    for (const link of links) {
      const format = link.split('/').pop() as string;
      const { body, type, disposition } = await download(agent, link);
      files[format] = body;
      expect(disposition).toMatch(/attachment; filename="?small\.es\./);
      expect(type).toMatch(/epub\+zip|text\/html|text\/markdown|text\/plain|xliff\+xml|tmx\+xml/);
      writeFileSync(path.join(dir, `small.es.${format}`), body);
    }
    const html = files.html.toString('utf8');
    expect(html).toMatch(/<html[^>]*lang="es"/);
    for (const words of ['Primera parte', 'El segundo párrafo.', 'Otro elemento.', 'El último párrafo.']) expect(html).toContain(words);
    expect(html).not.toContain('BORRADOR');
    // Provenance: who translated and who reviewed, from the history.
    expect(html).toContain('Ana');
    expect(html).toContain('Bruno');
    expect(html).toContain('A small text');

    const epub = unzipSync(new Uint8Array(files.epub));
    expect(strFromU8(epub.mimetype)).toBe('application/epub+zip');
    const opf = Object.entries(epub).find(([name]) => name.endsWith('.opf'));
    expect(opf && strFromU8(opf[1])).toMatch(/<dc:language>es<\/dc:language>/);

    const md = files.md.toString('utf8');
    expect(md).toContain('# Primera parte');
    expect(md).toContain('- Un elemento de una lista.\n- Otro elemento.\n\n');
    expect(md).toContain('code stays as it is');
    const txt = files.txt.toString('utf8');
    expect(txt).toContain('El primer párrafo, con un enlace');
    expect(txt).not.toContain('](');

    expect(files.xliff.toString('utf8')).toBe(t.project.read('locales/es/small.xlf'));
    expect(validateXliff12(path.join(dir, 'small.es.xliff')).valid).toBe(true);
    const v2 = validateXliff20(path.join(dir, 'small.es.xliff2'));
    expect(v2.output).toBe(path.join(dir, 'small.es.xliff2') + ' validates');
    expect(files.xliff2.toString('utf8')).toMatch(/state="final"/);
    const tmx = files.tmx.toString('utf8');
    expect(tmx.match(/<tu[ >]/g)).toHaveLength(8);
    expect(tmx).toContain('El último párrafo.');

    const after = await agent.get(`${base}/edition`).expect(200);
    const table = /<table class="export-list">[\s\S]*?<\/table>/.exec(after.text)?.[0] ?? '';
    expect(table.match(/<tr><td>/g)).toHaveLength(7);
    expect(table).toContain('EPUB');
    expect(table).toContain('<td>Ana</td>');
    const api = await t.api.get(`/api${base}/edition`).expect(200);
    expect(api.body.exports[0]).toMatchObject({ format: 'tmx', who: 'Ana', sourceVersion: 1, draft: false, percent: 100 });

    // An anonymous reader may download, but is not recorded: the list keeps the real exports.
    await request(t.app).get(`/api${base}/export/html`).expect(200);
    await request(t.app).get(`${base}/export/epub`).expect(200);
    const unchanged = await t.api.get(`/api${base}/edition`).expect(200);
    expect(unchanged.body.exports).toEqual(api.body.exports);
  });

  it('exports to every format from the CLI', async () => {
    const dir = scratch();
    for (const format of ['epub', 'html', 'md', 'txt', 'xliff', 'xliff2', 'tmx']) {
      const out = path.join(dir, `book.${format}`);
      const result = await cli('export', '--doc', 'small', '--locale', 'es', '--format', format, '--out', out);
      expect(result).toMatchObject({ code: 0, err: '' });
      expect(result.out).toContain(out);
      expect(readFileSync(out).byteLength).toBeGreaterThan(200);
    }
    expect(readFileSync(path.join(dir, 'book.md'), 'utf8')).toContain('El último párrafo.');
    const text = await cli('export', '--locale', 'es', '--format', 'txt', '--out', '-');
    expect(text.out).toContain('Segunda parte');
    const api = await t.api.get(`/api${base}/edition`).expect(200);
    expect(api.body.exports[0]).toMatchObject({ format: 'txt', who: 'editor' });
    expect(api.body.exports).toHaveLength(8);
  });

  it('the title in Spanish: set by a translator of the locale, printed on the edition', async () => {
    const { agent, csrf } = await browserAgent(t.app, 'Ana');
    await agent.post(`${base}/edition/title`).type('form').send({ _csrf: csrf, title: 'Un texto <pequeño> & breve' }).expect(303);
    const html = (await download(t.api, `/api${base}/export/html`)).body.toString('utf8');
    expect(html).toMatch(/<title>Un texto &lt;pequeño&gt; &amp; breve/);
    const epub = unzipSync(new Uint8Array((await download(t.api, `/api${base}/export/epub`)).body));
    const opf = Object.entries(epub).find(([name]) => name.endsWith('.opf'));
    expect(opf && strFromU8(opf[1])).toContain('<dc:title>Un texto &lt;pequeño&gt; &amp; breve</dc:title>');
    // The title form is checked like every form: CSRF, login, role, one line.
    await agent.post(`${base}/edition/title`).type('form').send({ title: 'x' }).expect(403);
    const anonymous = await anonymousAgent(t.app);
    await anonymous.agent.post(`${base}/edition/title`).type('form').send({ _csrf: anonymous.csrf, title: 'x' }).expect(401);
    await team.bruno.put(`/api${base}/edition/title`).send({ title: 'Otro' }).expect(403);
    const bad = await agent.post(`${base}/edition/title`).type('form').send({ _csrf: csrf, title: 'two\nlines' }).expect(400);
    expect(bad.text).toContain('one line');
    expect((await t.api.get(`/api${base}/edition`).expect(200)).body.title).toBe('Un texto <pequeño> & breve');
  });
});

describe('bad export requests', () => {
  it('an unknown locale is 404, an unknown format 400, a bad locale tag 400', async () => {
    await teamLocale(t);
    const res = await t.api.get('/api/documents/small/locales/fr/export/html').expect(404);
    expect(res.body.error.code).toBe('locale-not-found');
    await request(t.app).get('/documents/small/locales/fr/export/epub').expect(404);
    await request(t.app).get('/documents/small/locales/fr/edition').expect(404);
    expect((await t.api.get(`/api${base}/export/pdf`).expect(400)).body.error.message).toContain('epub, html, md, txt, epub-bilingual, html-bilingual, xliff, xliff2, tmx');
    await t.api.get('/api/documents/small/locales/..%2f..%2fetc/export/html').expect(400);
    const cliResult = await cli('export', '--locale', 'fr', '--format', 'html', '--out', path.join(scratch(), 'x.html'));
    expect(cliResult.code).toBe(1);
    expect(cliResult.err).toMatch(/no fr translation/);
  });
});
