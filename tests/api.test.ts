import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startLocale, useTestApp } from './helpers/app';
import { validateXliff12 } from './helpers/xmllint';

const t = useTestApp();

const segmentsUrl = (lang = 'es', doc = 'small') => `/api/documents/${doc}/locales/${lang}/segments`;

describe('GET /healthz', () => {
  it('answers 200 {"ok":true}', async () => {
    await request(t.app).get('/healthz').expect(200, { ok: true });
  });
});

describe('GET /api/documents', () => {
  it('lists documents with their locales and counts', async () => {
    await startLocale(t.api, 'es');
    const res = await t.api.get('/api/documents').expect(200);
    expect(res.body.documents).toEqual([
      expect.objectContaining({
        id: 'small',
        title: 'A small text',
        segments: 8,
        locales: [expect.objectContaining({ code: 'es', untranslated: 8, translated: 0, approved: 0 })],
      }),
    ]);
  });
});

describe('POST /api/documents/:doc/locales', () => {
  it('starts a locale: 201, and a schema-valid XLIFF file with every paragraph untranslated', async () => {
    const res = await t.api.post('/api/documents/small/locales').send({ code: 'PT-br' }).expect(201);
    expect(res.body.locale).toMatchObject({ code: 'pt-BR', untranslated: 8 });
    const file = path.join(t.project.localesDir, 'pt-BR', 'small.xlf');
    expect(validateXliff12(file)).toMatchObject({ valid: true });
  });

  it('→ 409 when the locale already exists, leaving it as it was', async () => {
    const [first] = await startLocale(t.api, 'es');
    await t.api.put(`${segmentsUrl()}/${first.id}`).send({ target: 'Hola', baseRevision: 0 }).expect(200);
    const before = t.project.read('locales/es/small.xlf');
    const res = await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(409);
    expect(res.body.error.code).toBe('locale-exists');
    expect(t.project.read('locales/es/small.xlf')).toBe(before);
  });

  it('→ 400 naming the field when the tag is not text, writing nothing', async () => {
    const res = await t.api.post('/api/documents/small/locales').send({ code: 42 }).expect(400);
    expect(res.body.error).toMatchObject({ code: 'invalid-body', field: 'code', message: '"code" must be text.' });
    expect(readdirSync(t.project.localesDir)).toEqual([]);
  });

  it.each([['../x'], ['a/b'], ['%2e%2e'], ['__proto__'], ['x\u0000y'], ['not a tag'], ['']])('→ 400 for the tag %j, writing nothing', async (code) => {
    const res = await t.api.post('/api/documents/small/locales').send({ code }).expect(400);
    expect(res.body.error.code).toBe('invalid-locale');
    expect(res.body.error.message).toMatch(/tag|language/i);
    expect(readdirSync(t.project.localesDir)).toEqual([]);
    expect(existsSync(path.join(t.project.dir, 'x'))).toBe(false);
  });

  it('→ 400 for the source language itself', async () => {
    const res = await t.api.post('/api/documents/small/locales').send({ code: 'en' }).expect(400);
    expect(res.body.error.code).toBe('locale-is-source');
  });

  it('→ 404 for an unknown document', async () => {
    const res = await t.api.post('/api/documents/nope/locales').send({ code: 'es' }).expect(404);
    expect(res.body.error.code).toBe('document-not-found');
  });

  it('→ 415 for a form-encoded body without a CSRF token (a cross-site form cannot start locales)', async () => {
    await request(t.app).post('/api/documents/small/locales').type('form').send({ code: 'es' }).expect(415); // anonymous, no token
    expect(readdirSync(t.project.localesDir)).toEqual([]);
  });
});

describe('GET /api/documents/:doc/locales/:lang/segments', () => {
  it('lists segments in document order with kind, source, target, state and revision', async () => {
    await startLocale(t.api, 'es');
    const res = await t.api.get(segmentsUrl()).expect(200);
    expect(res.body.total).toBe(8);
    expect(res.body.segments.map((s: { kind: string; source: string }) => [s.kind, s.source])).toEqual([
      ['heading', 'First part'],
      ['paragraph', 'The first paragraph, with a [link](https://example.org/a).'],
      ['paragraph', 'The second paragraph.'],
      ['heading', 'A subsection'],
      ['list-item', 'An item of a list.'],
      ['list-item', 'Another item.'],
      // the code block is kept in the source but is not translatable: not listed
      ['heading', 'Second part'],
      ['paragraph', 'The last paragraph.'],
    ]);
    expect(res.body.segments[0]).toEqual(expect.objectContaining({ target: null, state: 'untranslated', revision: 0 }));
  });

  it('pages with offset and limit, and filters by state', async () => {
    const segments = await startLocale(t.api, 'es');
    await t.api.put(`${segmentsUrl()}/${segments[2].id}`).send({ target: 'El segundo párrafo.', baseRevision: 0 }).expect(200);
    const page = await t.api.get(`${segmentsUrl()}?offset=2&limit=2`).expect(200);
    expect(page.body.segments.map((s: { id: string }) => s.id)).toEqual([segments[2].id, segments[3].id]);
    expect(page.body.total).toBe(8);
    const translated = await t.api.get(`${segmentsUrl()}?state=translated`).expect(200);
    expect(translated.body).toMatchObject({ total: 1, segments: [{ id: segments[2].id, target: 'El segundo párrafo.', state: 'translated', revision: 1 }] });
    const untranslated = await t.api.get(`${segmentsUrl()}?state=untranslated`).expect(200);
    expect(untranslated.body.total).toBe(7);
  });

  it.each([['limit=0'], ['limit=1001'], ['limit=abc'], ['offset=-1'], ['state=done'], ['state=a&state=b']])('→ 400 for ?%s', async (query) => {
    await startLocale(t.api, 'es');
    const res = await t.api.get(`${segmentsUrl()}?${query}`).expect(400);
    expect(res.body.error.message).toBeTruthy();
  });

  it('→ 404 for an unknown document or a locale not started', async () => {
    await t.api.get(segmentsUrl('es', 'nope')).expect(404);
    const res = await t.api.get(segmentsUrl('fr')).expect(404);
    expect(res.body.error.code).toBe('locale-not-found');
  });

  it.each([['..%2f..%2fetc'], ['%2e%2e'], ['__proto__'], ['a%00b']])('→ 400 for the locale %s in the path', async (lang) => {
    const res = await t.api.get(`/api/documents/small/locales/${lang}/segments`);
    expect([400, 404]).toContain(res.status);
    if (res.status === 400) expect(res.body.error.code).toBe('invalid-locale');
  });
});

describe('PUT /api/documents/:doc/locales/:lang/segments/:id', () => {
  it('saves a translation: 200 with the new revision, and it is in the XLIFF file, schema-valid', async () => {
    const [heading] = await startLocale(t.api, 'es');
    const res = await t.api.put(`${segmentsUrl()}/${heading.id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    expect(res.body).toMatchObject({ id: heading.id, target: 'Primera parte', state: 'translated', revision: 1 });
    expect(res.body.progress).toMatchObject({ translated: 1, untranslated: 7 });
    const xlf = t.project.read('locales/es/small.xlf');
    expect(xlf).toContain('<target state="translated">Primera parte</target>');
    expect(validateXliff12(path.join(t.project.localesDir, 'es', 'small.xlf'))).toMatchObject({ valid: true });
  });

  it('→ 409 when the base revision is stale, with the current target; nothing overwritten', async () => {
    const [heading] = await startLocale(t.api, 'es');
    await t.api.put(`${segmentsUrl()}/${heading.id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    const res = await t.api.put(`${segmentsUrl()}/${heading.id}`).send({ target: 'Parte uno', baseRevision: 0 }).expect(409);
    expect(res.body.error).toMatchObject({ code: 'revision-conflict', current: { target: 'Primera parte', revision: 1 } });
    const now = await t.api.get(segmentsUrl()).expect(200);
    expect(now.body.segments[0]).toMatchObject({ target: 'Primera parte', revision: 1 });
  });

  it('stores HTML and script verbatim (and JSON carries it back verbatim)', async () => {
    const [, paragraph] = await startLocale(t.api, 'es');
    const payload = '<script>alert("x")</script> & <img src=x onerror=alert(1)> &amp;';
    await t.api.put(`${segmentsUrl()}/${paragraph.id}`).send({ target: payload, baseRevision: 0 }).expect(200);
    const res = await t.api.get(segmentsUrl()).expect(200);
    expect(res.body.segments[1].target).toBe(payload);
    expect(t.project.read('locales/es/small.xlf')).toContain('&lt;script&gt;alert("x")&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt; &amp;amp;');
  });

  it('flags a translation that loses the source link (kept as Markdown, the documented convention)', async () => {
    const [, paragraph] = await startLocale(t.api, 'es');
    const lost = await t.api.put(`${segmentsUrl()}/${paragraph.id}`).send({ target: 'El primer párrafo, con un enlace.', baseRevision: 0 }).expect(200);
    expect(lost.body.checks).toEqual([expect.objectContaining({ code: 'links-differ' })]);
    const kept = await t.api
      .put(`${segmentsUrl()}/${paragraph.id}`)
      .send({ target: 'El primer párrafo, con un [enlace](https://example.org/a).', baseRevision: 1 })
      .expect(200);
    expect(kept.body.checks).toEqual([]);
  });

  it('→ 413 for a translation over 20,000 characters; nothing written', async () => {
    const [heading] = await startLocale(t.api, 'es');
    const before = t.project.read('locales/es/small.xlf');
    const res = await t.api.put(`${segmentsUrl()}/${heading.id}`).send({ target: 'x'.repeat(20_001), baseRevision: 0 }).expect(413);
    expect(res.body.error.code).toBe('target-too-long');
    expect(t.project.read('locales/es/small.xlf')).toBe(before);
  });

  it('→ 413 for a body over 1 MB', async () => {
    const [heading] = await startLocale(t.api, 'es');
    const res = await t.api.put(`${segmentsUrl()}/${heading.id}`).set('Content-Type', 'application/json').send(JSON.stringify({ target: 'x'.repeat(1_100_000), baseRevision: 0 })).expect(413);
    expect(res.body.error.code).toBe('body-too-large');
  });

  it('→ 400 for malformed JSON', async () => {
    const [heading] = await startLocale(t.api, 'es');
    const res = await t.api.put(`${segmentsUrl()}/${heading.id}`).set('Content-Type', 'application/json').send('{"target": "x", ').expect(400);
    expect(res.body.error.code).toBe('malformed-json');
  });

  it.each([[{ target: 'x' }], [{ target: 'x', baseRevision: -1 }], [{ target: 'x', baseRevision: '0' }], [{ target: 5, baseRevision: 0 }], [{ baseRevision: 0 }]])('→ 400 for the body %j', async (body) => {
    const [heading] = await startLocale(t.api, 'es');
    await t.api.put(`${segmentsUrl()}/${heading.id}`).send(body).expect(400);
  });

  it('→ 404 for an unknown segment, document or locale', async () => {
    const [heading] = await startLocale(t.api, 'es');
    expect((await t.api.put(`${segmentsUrl()}/nope`).send({ target: 'x', baseRevision: 0 }).expect(404)).body.error.code).toBe('segment-not-found');
    await t.api.put(`${segmentsUrl('es', 'nope')}/${heading.id}`).send({ target: 'x', baseRevision: 0 }).expect(404);
    expect((await t.api.put(`${segmentsUrl('fr')}/${heading.id}`).send({ target: 'x', baseRevision: 0 }).expect(404)).body.error.code).toBe('locale-not-found');
  });

  it('→ 400 for a locale that could escape locales/, writing nothing', async () => {
    const [heading] = await startLocale(t.api, 'es');
    for (const lang of ['..', '%2e%2e', '__proto__']) {
      const res = await t.api.put(`/api/documents/small/locales/${lang}/segments/${heading.id}`).send({ target: 'x', baseRevision: 0 });
      expect(res.status).toBe(400);
    }
    expect(readdirSync(t.project.localesDir)).toEqual(['es']);
  });

  it('50 concurrent saves to one locale leave all 50 translations in a valid file', async () => {
    // A document of 50 paragraphs, each saved at once by its own request.
    t.project.write('source/fifty.md', Array.from({ length: 50 }, (_, i) => `Paragraph number ${i + 1}.`).join('\n\n') + '\n');
    const segments = await startLocale(t.api, 'es', 'fifty');
    const results = await Promise.all(
      segments.map((s, i) => t.api.put(`/api/documents/fifty/locales/es/segments/${s.id}`).send({ target: `Párrafo número ${i + 1}.`, baseRevision: 0 })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const after = await t.api.get('/api/documents/fifty/locales/es/segments').expect(200);
    expect(after.body.segments.map((s: { target: string }) => s.target)).toEqual(segments.map((_, i) => `Párrafo número ${i + 1}.`));
    expect(validateXliff12(path.join(t.project.localesDir, 'es', 'fifty.xlf'))).toMatchObject({ valid: true });
  });
});

describe('unknown routes', () => {
  it('→ 404 JSON under /api', async () => {
    const res = await t.api.get('/api/nothing').expect(404);
    expect(res.body.error.code).toBe('not-found');
  });
});
