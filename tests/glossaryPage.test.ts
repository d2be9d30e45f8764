import request from 'supertest';
import { addAccount, browserAgent, csrfOf, startLocale, useTestApp } from './helpers/app';

// The Glossary page and the glossary in the editor: terms added, changed and removed from the
// page (a refused form keeps what was typed), a file previewed before it is imported, everything
// escaped; the editor underlines the terms in the source with their translations.

const t = useTestApp();

describe('the Glossary page', () => {
  test('a translator adds, changes and removes terms; a refusal keeps the form; anonymous visitors only read', async () => {
    await startLocale(t.api, 'es');
    const { agent } = await browserAgent(t.app);
    const page = await agent.get('/glossary/es').expect(200);
    expect(page.text).toContain('Glossary: español');
    expect(page.text).toContain('0 terms.');
    const added = await agent
      .post('/glossary/es/terms')
      .type('form')
      .send({ _csrf: csrfOf(page.text), source: 'paragraph <b>', translations: 'párrafo\npárrafos', forbidden: 'parágrafo', partOfSpeech: 'noun', note: 'Of prose.' })
      .expect(303);
    expect(added.headers.location).toMatch(/^\/glossary\/es\?saved=[0-9a-f]{12}#term-/);
    const list = await agent.get(added.headers.location).expect(200);
    expect(list.text).toContain('paragraph &lt;b&gt;');
    expect(list.text).not.toContain('paragraph <b>');
    expect(list.text).toContain('<strong>párrafo</strong> · párrafos');
    expect(list.text).toContain('<del>parágrafo</del>');
    expect(list.text).toContain('1 term.');

    // The same term again: refused on the page, with what was typed still in the form.
    const again = await agent.post('/glossary/es/terms').type('form').send({ _csrf: csrfOf(list.text), source: 'Paragraph <b>', translations: 'sección', note: 'kept' }).expect(409);
    expect(again.text).toContain('The glossary has the term');
    expect(again.text).toContain('value="Paragraph &lt;b&gt;"');
    expect(again.text).toContain('>sección</textarea>');

    // Changed from its form; a second change from the same (stale) form is refused.
    const id = /term-([0-9a-f]{12})/.exec(added.headers.location)?.[1] as string;
    const edit = await agent.get(`/glossary/es?edit=${id}`).expect(200);
    expect(edit.text).toContain('Change a term');
    const revision = /name="revision" value="(\d+)"/.exec(edit.text)?.[1];
    await agent.post('/glossary/es/terms').type('form').send({ _csrf: csrfOf(edit.text), id, revision, source: 'paragraph', translations: 'párrafo' }).expect(303);
    const stale = await agent.post('/glossary/es/terms').type('form').send({ _csrf: csrfOf(edit.text), id, revision, source: 'paragraph', translations: 'otro' }).expect(409);
    expect(stale.text).toContain('was changed by admin since you opened it');
    const current = (await t.api.get('/api/glossary/es/terms').expect(200)).body.terms[0];
    expect(current).toMatchObject({ source: 'paragraph', translations: ['párrafo'], revision: 2 });

    // Anonymous: the list, no forms; a post without a login is refused.
    const anonymous = await request(t.app).get('/glossary/es').expect(200);
    expect(anonymous.text).not.toContain('Add a term');
    expect(anonymous.text).not.toContain('Remove');
    await request(t.app).post('/glossary/es/terms').type('form').send({ source: 'x' }).expect(403);

    const removed = await agent.post(`/glossary/es/terms/${id}/remove`).type('form').send({ _csrf: csrfOf(edit.text), revision: '2' }).expect(303);
    expect((await agent.get(removed.headers.location).expect(200)).text).toContain('0 terms.');
  });

  test('an imported file is previewed first, then written on confirmation; a bad file is said on the page', async () => {
    await startLocale(t.api, 'es');
    const { agent } = await browserAgent(t.app);
    const page = await agent.get('/glossary/es').expect(200);
    const csrf = encodeURIComponent(csrfOf(page.text));
    const preview = await agent
      .post(`/glossary/es/import?_csrf=${csrf}`)
      .attach('file', Buffer.from('source,target,status\nparagraph,párrafo,preferred\nparagraph,parágrafo,forbidden\nlist,lista,\n'), 'terms.csv')
      .expect(200);
    expect(preview.text).toContain('Import of terms.csv: what would change');
    expect(preview.text).toContain('2 new, 0 changed');
    expect((await t.api.get('/api/glossary/es/terms').expect(200)).body.terms).toEqual([]);
    const action = /action="(\/glossary\/es\/import\/[0-9a-f]{24})"/.exec(preview.text)?.[1] as string;
    const done = await agent.post(action).type('form').send({ _csrf: csrfOf(preview.text) }).expect(200);
    expect(done.text).toContain('terms.csv imported: 2 new terms, 0 changed.');
    expect((await t.api.get('/api/glossary/es/terms').expect(200)).body.terms.map((x: { source: string }) => x.source)).toEqual(['list', 'paragraph']);
    // The staged file is gone once used.
    await agent.post(action).type('form').send({ _csrf: csrfOf(done.text) }).expect(404);
    const bad = await agent.post(`/glossary/es/import?_csrf=${csrf}`).attach('file', Buffer.from('<martif><text>'), 'bad.tbx').expect(400);
    expect(bad.text).toContain('bad.tbx: line 1');
  });

  test('the editor underlines the terms of the source, with their translations, in both interface languages', async () => {
    const segments = await startLocale(t.api, 'es');
    const second = segments.find((s) => s.source === 'The second paragraph.') as { id: string };
    const translator = await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
    await translator.api.post('/api/glossary/es/terms').send({ source: 'paragraph', translations: ['párrafo'], forbidden: ['parágrafo <x>'] }).expect(201);
    const editor = await request(t.app).get('/documents/small/locales/es?section=0').expect(200);
    expect(editor.text).toMatch(/The second <span class="term" tabindex="-1" data-term="[0-9a-f]{12}" data-tip="párrafo\nnot: parágrafo &lt;x&gt;">paragraph<\/span>\./);
    const spanish = await request(t.app).get('/documents/small/locales/es?section=0').set('Accept-Language', 'es').expect(200);
    expect(spanish.text).toContain('data-tip="párrafo\nno: parágrafo &lt;x&gt;"');
    expect(spanish.text).toContain('href="/glossary/es">Glosario</a>');
    const api = (await request(t.app).get('/api/documents/small/locales/es/segments').expect(200)).body.segments.find((s: { id: string }) => s.id === second.id);
    expect(api.terms).toEqual([expect.objectContaining({ source: 'paragraph', at: [11, 20] })]);
  });
});
