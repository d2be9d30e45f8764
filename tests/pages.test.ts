import { readdirSync } from 'node:fs';
import request from 'supertest';
import { browserAgent, makeApp, startLocale, useTestApp, type TestApp } from './helpers/app';
import { makeManifestoProject, makeProject, type TestProject } from './helpers/project';

const t = useTestApp();

describe('GET / (dashboard)', () => {
  it('lists each document with its locales, progress and the start-a-language form', async () => {
    await startLocale(t.api, 'es');
    await startLocale(t.api, 'ar');
    const { agent } = await browserAgent(t.app);
    const res = await agent.get('/').expect(200).expect('Content-Type', /html/);
    expect(res.text).toContain('A small text');
    expect(res.text).toMatch(/<a href="\/documents\/small\/locales\/es" lang="es" dir="ltr">español<\/a>/);
    // Arabic is named in Arabic and set right-to-left.
    expect(res.text).toMatch(/lang="ar" dir="rtl">العربية<\/a>/);
    expect(res.text).toContain('name="code"');
    expect(res.text).toMatch(/<svg class="bar"/);
    // Someone not logged in reads the same list, without the form.
    const anonymous = await request(t.app).get('/').expect(200);
    expect(anonymous.text).toContain('A small text');
    expect(anonymous.text).not.toContain('<form');
  });

  it('is in Spanish with ?lng=es, and remembers it in a cookie', async () => {
    const agent = request.agent(t.app);
    const res = await agent.get('/?lng=es').expect(200);
    expect(res.text).toContain('<html lang="es">');
    expect(res.text).toContain('Documentos');
    const again = await agent.get('/').expect(200);
    expect(again.text).toContain('Documentos');
    // Remembered already: not set again on every answer.
    expect(String(again.headers['set-cookie'] ?? '')).not.toContain('lng=');
    expect(again.headers['content-language']).toBe('es');
  });

  it('switches the interface language without leaving the page', async () => {
    await startLocale(t.api, 'es');
    const res = await request(t.app).get('/documents/small/locales/es?section=1').expect(200);
    expect(res.text).toContain('href="?section=1&amp;lng=es" hreflang="es"');
  });

  it('follows Accept-Language', async () => {
    const res = await request(t.app).get('/').set('Accept-Language', 'es-MX,es;q=0.9').expect(200);
    expect(res.text).toContain('Documentos');
  });

  it('answers each request in its own language, whatever the requests before it asked for', async () => {
    // The detector's answers are kept by what it reads: each of these is another combination.
    const asked = [
      ['es', 'Documentos'],
      ['en-GB,en;q=0.9', 'Documents'],
      ['es', 'Documentos'],
    ] as const;
    for (const [header, word] of asked) {
      const res = await request(t.app).get('/').set('Accept-Language', header).expect(200);
      expect(res.text).toContain(word);
    }
    const byQuery = await request(t.app).get('/?lng=en').set('Accept-Language', 'es').expect(200);
    expect(byQuery.headers['content-language']).toBe('en');
    // A language from the browser's settings is not remembered: it follows them when they change.
    const fromBrowser = await request(t.app).get('/').set('Accept-Language', 'es').expect(200);
    expect(String(fromBrowser.headers['set-cookie'] ?? '')).not.toContain('lng=');
    const byCookie = await request(t.app).get('/').set('Cookie', 'lng=es').set('Accept-Language', 'en').expect(200);
    expect(byCookie.headers['content-language']).toBe('es');
  });
});

describe('POST /documents/:doc/locales (form)', () => {
  it('starts a language and redirects to its editor', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    const res = await agent.post('/documents/small/locales').type('form').send({ _csrf: csrf, code: 'es' }).expect(303);
    expect(res.headers.location).toBe('/documents/small/locales/es');
    expect(readdirSync(t.project.localesDir)).toEqual(['es']);
  });

  it('→ 403 without the CSRF token, writing nothing', async () => {
    const { agent } = await browserAgent(t.app);
    const res = await agent.post('/documents/small/locales').type('form').send({ code: 'es' }).expect(403);
    expect(res.text).toContain('expired');
    expect(readdirSync(t.project.localesDir)).toEqual([]);
  });

  it('→ 403 with a token that is not the visitor’s own', async () => {
    const { agent } = await browserAgent(t.app);
    await agent.post('/documents/small/locales').type('form').send({ _csrf: 'A'.repeat(43), code: 'es' }).expect(403);
  });

  it('→ 400 with the message beside the form for a bad tag; nothing written', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    const res = await agent.post('/documents/small/locales').type('form').send({ _csrf: csrf, code: '../x' }).expect(400);
    expect(res.text).toContain('class="form-error"');
    expect(res.text).toContain('&#34;../x&#34;');
    expect(readdirSync(t.project.localesDir)).toEqual([]);
  });
});

describe('GET /documents/:doc/locales/:lang (editor)', () => {
  it('shows one section: source beside an editable translation, with state badges and the section list', async () => {
    await startLocale(t.api, 'es');
    const { agent } = await browserAgent(t.app);
    const res = await agent.get('/documents/small/locales/es').expect(200);
    expect(res.text).toContain('First part');
    expect(res.text).toContain('The second paragraph.');
    expect(res.text).not.toContain('The last paragraph.'); // in the next section
    expect(res.text).toMatch(/<textarea id="t-s[0-9a-f]+" name="target" lang="es" dir="ltr"/);
    expect(res.text).toContain('badge-untranslated');
    expect(res.text).toContain('?section=1');
    const second = await request(t.app).get('/documents/small/locales/es?section=1').expect(200);
    expect(second.text).toContain('The last paragraph.');
  });

  it('filters across the document', async () => {
    const segments = await startLocale(t.api, 'es');
    await t.api.put(`/api/documents/small/locales/es/segments/${segments[7].id}`).send({ target: 'El último párrafo.', baseRevision: 0 }).expect(200);
    const translated = await request(t.app).get('/documents/small/locales/es?filter=translated').expect(200);
    expect(translated.text).toContain('El último párrafo.');
    expect(translated.text).not.toContain('The second paragraph.');
    const untranslated = await request(t.app).get('/documents/small/locales/es?filter=untranslated').expect(200);
    expect(untranslated.text).toContain('The second paragraph.');
    expect(untranslated.text).not.toContain('El último párrafo.');
    await request(t.app).get('/documents/small/locales/es?filter=bogus').expect(400);
  });

  it('shows HTML and script in a translation escaped, never as markup', async () => {
    const segments = await startLocale(t.api, 'es');
    const payloads = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', '</textarea><script>alert(2)</script>'];
    await t.api.put(`/api/documents/small/locales/es/segments/${segments[1].id}`).send({ target: payloads.join(' '), baseRevision: 0 }).expect(200);
    const res = await (await browserAgent(t.app)).agent.get('/documents/small/locales/es').expect(200);
    expect(res.text).toContain('<textarea');
    for (const payload of payloads) expect(res.text).not.toContain(payload);
    expect(res.text).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    // The read-only view of someone not logged in shows it as text too.
    const anonymous = await request(t.app).get('/documents/small/locales/es').expect(200);
    expect(anonymous.text).toContain('class="target-text"');
    for (const payload of payloads) expect(anonymous.text).not.toContain(payload);
    expect(anonymous.text).toContain('&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('→ 404 HTML page for an unknown document, locale or section', async () => {
    await startLocale(t.api, 'es');
    for (const url of ['/documents/nope/locales/es', '/documents/small/locales/fr', '/documents/small/locales/es?section=99', '/nowhere']) {
      const res = await request(t.app).get(url).set('Accept', 'text/html').expect(404);
      expect(res.headers['content-type']).toMatch(/html/);
      expect(res.text).toContain('Error 404');
    }
  });

  it('→ 400 HTML page for a locale that could escape locales/', async () => {
    const res = await request(t.app).get('/documents/small/locales/..%2f..').set('Accept', 'text/html');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Error 400');
  });
});

describe('POST /documents/:doc/locales/:lang/segments/:id (saving without JavaScript)', () => {
  it('saves and returns to the same place in the editor', async () => {
    const segments = await startLocale(t.api, 'es');
    const { agent, csrf } = await browserAgent(t.app);
    const res = await agent
      .post(`/documents/small/locales/es/segments/${segments[2].id}`)
      .type('form')
      .send({ _csrf: csrf, target: 'El segundo\r\npárrafo.', baseRevision: '0', back: '?section=0' })
      .expect(303);
    expect(res.headers.location).toBe(`/documents/small/locales/es?section=0#seg-${segments[2].id}`);
    const after = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(after.body.segments[2]).toMatchObject({ target: 'El segundo\npárrafo.', revision: 1 });
  });

  it('→ 409 page showing both texts when someone saved first; nothing overwritten', async () => {
    const segments = await startLocale(t.api, 'es');
    await t.api.put(`/api/documents/small/locales/es/segments/${segments[2].id}`).send({ target: 'Su versión', baseRevision: 0 }).expect(200);
    const { agent, csrf } = await browserAgent(t.app);
    const res = await agent.post(`/documents/small/locales/es/segments/${segments[2].id}`).type('form').send({ _csrf: csrf, target: 'Mi versión', baseRevision: '0' }).expect(409);
    expect(res.text).toContain('Su versión');
    expect(res.text).toContain('Mi versión');
    expect(res.text).toContain('name="baseRevision" value="1"');
    const after = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(after.body.segments[2].target).toBe('Su versión');
  });

  it('→ 403 without the CSRF token', async () => {
    const segments = await startLocale(t.api, 'es');
    const { agent } = await browserAgent(t.app);
    await agent.post(`/documents/small/locales/es/segments/${segments[2].id}`).type('form').send({ target: 'x', baseRevision: '0' }).expect(403);
  });
});

describe('a locale file broken by hand', () => {
  it('shows an error naming the file and line for that locale; the others keep working; nothing overwrites it', async () => {
    const segments = await startLocale(t.api, 'es');
    await startLocale(t.api, 'fr');
    const good = t.project.read('locales/es/small.xlf');
    const broken = good.replace('</trans-unit>', '</trans-unt>');
    const brokenLine = good.slice(0, good.indexOf('</trans-unit>')).split('\n').length;
    t.project.write('locales/es/small.xlf', broken);

    const dashboard = await request(t.app).get('/').expect(200);
    expect(dashboard.text).toMatch(new RegExp(`locales/es/small\\.xlf: line ${brokenLine}`));
    expect(dashboard.text).not.toContain(t.project.dir);
    expect(dashboard.text).toContain('/documents/small/locales/fr');

    const editor = await request(t.app).get('/documents/small/locales/es').set('Accept', 'text/html');
    expect(editor.status).toBe(422);
    expect(editor.text).toContain(`line ${brokenLine}`);

    const save = await t.api.put(`/api/documents/small/locales/es/segments/${segments[0].id}`).send({ target: 'x', baseRevision: 0 });
    expect(save.status).toBe(422);
    expect(t.project.read('locales/es/small.xlf')).toBe(broken);

    await t.api.put(`/api/documents/small/locales/fr/segments/${segments[0].id}`).send({ target: 'Première partie', baseRevision: 0 }).expect(200);
    const documents = await request(t.app).get('/api/documents').expect(200);
    expect(documents.body.documents[0].locales).toEqual([
      expect.objectContaining({ code: 'es', error: expect.objectContaining({ code: 'xliff-malformed' }) }),
      expect.objectContaining({ code: 'fr', translated: 1 }),
    ]);
  });
});

describe('the manifesto', () => {
  it('is on screen in reading order', async () => {
    const manifesto = makeManifestoProject();
    try {
      const { app: manifestoApp } = await makeApp(manifesto);
      // Section after section, as the pager leads a reader through it.
      let text = '';
      for (let section = 0; ; section++) {
        const res = await request(manifestoApp).get(`/documents/communard-manifesto?section=${section}`).expect(200);
        text += res.text;
        if (!res.text.includes('rel="next"')) break;
      }
      const res = { text };
      const headings = [...res.text.matchAll(/<h[2-3] id="seg-[^"]+">([^<]+)</g)].map((m) => m[1]);
      expect(headings.slice(0, 3)).toEqual(['The dilemma of our time', 'Abundance within reach', 'Inequality, unemployment and demoralization']);
      expect(headings).toContain('La historia que no nos contaron');
      expect(headings[headings.length - 1]).toBe('Prepare to &#34;make community&#34;');
      expect(res.text).toContain('Las Indias Cooperative Group');
    } finally {
      manifesto.cleanup();
    }
  });
});

describe('compression', () => {
  it('sends pages and API answers gzip-compressed to a client that takes it, and plain to one that does not; not short answers', async () => {
    const { app } = await makeApp(makeManifestoProject());
    const short = await request(app).get('/healthz').set('Accept-Encoding', 'gzip');
    expect(short.headers['content-encoding']).toBeUndefined();
    const page = await request(app).get('/documents/communard-manifesto?section=1').set('Accept-Encoding', 'gzip');
    expect(page.status).toBe(200);
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.text).toContain('<html');
    const plain = await request(app).get('/documents/communard-manifesto?section=1').set('Accept-Encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    // The same page (but for its fresh CSRF token).
    const withoutToken = (html: string) => html.replace(/_csrf=[\w-]+/g, '_csrf=…').replace(/name="_csrf" value="[\w-]+"/g, '');
    expect(withoutToken(plain.text)).toBe(withoutToken(page.text));
  });
});

describe('a long book: pages that do not grow with it', () => {
  /** A book of 120 chapters (a level-1 heading each) with two subsections and a few paragraphs each. */
  const BOOK = `---\ntitle: A long book\nlanguage: en\n---\n\n${Array.from(
    { length: 120 },
    (_, c) => `# Chapter ${c + 1}\n\n## Part ${c + 1}.1\n\nParagraph ${c + 1}.1 of the chapter.\n\n## Part ${c + 1}.2\n\nParagraph ${c + 1}.2 of the chapter.`,
  ).join('\n\n')}\n`;
  let book: TestApp;
  let project: TestProject;
  beforeAll(async () => {
    project = makeProject({ 'book.md': BOOK });
    book = await makeApp(project);
    await startLocale(book.api, 'es', 'book');
  });
  afterAll(() => project.cleanup());

  it('shows the run of sections the page is in, one by one, and each other run as one link', async () => {
    const res = await request(book.app).get('/documents/book/locales/es?section=60').expect(200);
    const outline = /<nav class="sections"[\s\S]*?<\/nav>/.exec(res.text)?.[0] ?? '';
    // 120 sections (a chapter each) in runs of 25: the third run (sections 51-75) is open.
    expect(outline).toContain('aria-current="page">Chapter 61<');
    expect(outline).toContain('>Chapter 51<');
    expect(outline).toContain('>Chapter 75<');
    expect(outline).not.toContain('>Chapter 76<');
    expect(outline).toContain('Sections 1–25');
    expect(outline).toContain('Sections 101–120');
    expect(outline).toContain('Part 61.2');
    expect(outline).not.toContain('Part 90.1');
    expect([...outline.matchAll(/<a /g)].length).toBeLessThan(25 * 3 + 10);
    // Every section is still reachable: each run links to its first section.
    expect(outline).toContain('?section=100"');
  });

  it('pages the reading page by section, with the outline, and refuses a section the book lacks', async () => {
    const first = await request(book.app).get('/documents/book').expect(200);
    expect(first.text).toContain('>Chapter 1<');
    expect(first.text).not.toContain('Paragraph 2.1 of the chapter.');
    expect(first.text).toContain('Sections 26–50');
    const later = await request(book.app).get('/documents/book?section=80').expect(200);
    expect(later.text).toContain('Paragraph 81.2 of the chapter.');
    expect(later.text).not.toContain('Paragraph 1.1 of the chapter.');
    expect(later.text).toContain('rel="next" href="?section=81"');
    expect(later.text.length).toBeLessThan(first.text.length * 3);
    await request(book.app).get('/documents/book?section=500').expect(404);
    await request(book.app).get('/documents/book?section=-1').expect(400);
  });

  it('numbers the pages of a filter: first, last and those near the current one', async () => {
    const res = await request(book.app).get('/documents/book/locales/es?filter=untranslated&page=2').expect(200);
    // 600 untranslated paragraphs (headings included), 100 a page: 6 pages.
    expect(res.text).toContain('Page 3 of 6');
    const numbers = /<span class="page-numbers">([\s\S]*?)<\/span><\/span>|<span class="page-numbers">([\s\S]*?)<\/a><\/span>/.exec(res.text)?.[0] ?? '';
    expect(numbers).toContain('aria-current="page" href="/documents/book/locales/es?filter=untranslated&amp;page=2">3</a>');
    expect(numbers).toContain('page=0">1</a>');
    expect(numbers).toContain('page=4">5</a>');
    expect(numbers).toContain('page=5">6</a>');
  });
});
