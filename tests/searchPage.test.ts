import request from 'supertest';
import { addAccount, browserAgent, csrfOf, startLocale, useTestApp } from './helpers/app';

// The search page: results with what was found marked (and everything escaped), paged, and for a
// translator of the language a search and replace previewed before anything is written.

const t = useTestApp();
const segmentsUrl = '/api/documents/small/locales/es/segments';
type Segment = { id: string; source: string };

async function translated(): Promise<Segment[]> {
  const segments = await startLocale(t.api, 'es', 'small');
  const id = (source: string) => (segments.find((s) => s.source === source) as Segment).id;
  await t.api.put(`${segmentsUrl}/${id('First part')}`).send({ target: 'Primera parte de la Revolución', baseRevision: 0 }).expect(200);
  await t.api.put(`${segmentsUrl}/${id('The second paragraph.')}`).send({ target: 'La revolución <script>alert(1)</script>', baseRevision: 0 }).expect(200);
  return segments;
}

describe('GET /search', () => {
  test('shows the paragraphs found with the words marked, escaped, with links to the editor', async () => {
    await translated();
    const page = await request(t.app).get('/search').query({ q: 'revolucion', lang: 'es' }).expect(200);
    expect(page.text).toContain('<mark>Revolución</mark>');
    expect(page.text).toContain('<mark>revolución</mark> &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).toMatch(/href="\/documents\/small\/locales\/es\?section=\d+#seg-s[0-9a-f]{8}"/);
    expect(page.text).toContain('2 paragraphs found.');
    // Anonymous visitors see no replace form; a bad regular expression is said on the page.
    expect(page.text).not.toContain('Replace in this document');
    const bad = await request(t.app).get('/search').query({ q: '(', mode: 'regex' }).expect(400);
    expect(bad.text).toContain('The regular expression does not compile');
    // In Spanish.
    expect((await request(t.app).get('/search').set('Accept-Language', 'es').query({ q: 'revolucion', lang: 'es' }).expect(200)).text).toContain('2 párrafos encontrados.');
  });

  test('a translator previews a replacement, then applies it; a reviewer is not offered it and is refused', async () => {
    await translated();
    const { agent } = await browserAgent(t.app);
    const form = await agent.get('/search').query({ q: 'revolución', lang: 'es', doc: 'small', in: 'target' }).expect(200);
    expect(form.text).toContain('Replace in this document');
    const action = '/documents/small/locales/es/replace?q=revoluci%C3%B3n&in=target&mode=words';
    const preview = await agent.post(action).type('form').send({ _csrf: csrfOf(form.text), find: 'revolución', replace: 'Comuna' }).expect(200);
    expect(preview.text).toContain('2 translations would change');
    expect(preview.text).toContain('<del>Revolución</del><ins>Comuna</ins>');
    // Nothing written by the preview.
    expect((await t.api.get('/api/search').query({ q: 'comuna', in: 'target' }).expect(200)).body.total).toBe(0);
    const revisions = /name="revisions" value="([^"]+)"/.exec(preview.text)?.[1].replace(/&#34;/g, '"') ?? '';
    const done = await agent.post(action).type('form').send({ _csrf: csrfOf(preview.text), find: 'revolución', replace: 'Comuna', mode: 'phrase', revisions, apply: '1' }).expect(200);
    expect(done.text).toContain('Replaced in 2 translations.');
    expect((await t.api.get('/api/search').query({ q: 'comuna', in: 'target' }).expect(200)).body.total).toBe(2);

    await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
    const reviewer = await browserAgent(t.app, 'rita');
    const page = await reviewer.agent.get('/search').query({ q: 'comuna', lang: 'es', doc: 'small' }).expect(200);
    expect(page.text).not.toContain('Replace in this document');
    await reviewer.agent.post(action).type('form').send({ _csrf: reviewer.csrf, find: 'Comuna', replace: 'x' }).expect(403);
  });
});
