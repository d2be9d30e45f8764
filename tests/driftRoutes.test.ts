import request from 'supertest';
import { browserAgent, makeApp, type Agent, type TestApp } from './helpers/app';
import { makeProject, type TestProject } from './helpers/project';

const V1 = '# Title\n\nThe editor rewrites one clause of this paragraph entirely.\n\nA paragraph that stays.\n';
const V2 = '# Title\n\nThe author rewrote a whole clause of this paragraph.\n\nA paragraph that stays.\n';

let project: TestProject;
let app: TestApp['app'];
let api: Agent;

beforeEach(async () => {
  project = makeProject({ 'doc.md': V1 });
  ({ app, api } = await makeApp(project));
  await api.post('/api/documents/doc/locales').send({ code: 'es' }).expect(201);
  const { body } = await api.get('/api/documents/doc/locales/es/segments').expect(200);
  for (const s of body.segments) {
    await api.put(`/api/documents/doc/locales/es/segments/${s.id}`).send({ target: `ES ${s.source}`, baseRevision: 0 }).expect(200);
  }
});
afterEach(() => project.cleanup());

function upload(agent: Awaited<ReturnType<typeof browserAgent>>['agent'], csrf: string | undefined, content: Buffer | string, name = 'doc.md', fields: Record<string, string> = {}) {
  const url = csrf === undefined ? '/documents/doc/source' : `/documents/doc/source?_csrf=${encodeURIComponent(csrf)}`;
  let req = agent.post(url).attach('file', Buffer.from(content), name);
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req;
}

describe('POST /documents/:doc/source (the upload form)', () => {
  it('records a new version and shows what the update did', async () => {
    const { agent, csrf } = await browserAgent(app);
    const res = await upload(agent, csrf, V2).expect(303);
    expect(res.headers.location).toBe('/documents/doc?version=2#versions');
    const page = await agent.get('/documents/doc?version=2').expect(200);
    expect(page.text).toMatch(/<span data-label-count="edited">1<\/span>/);
    expect(page.text).toMatch(/<span data-label-count="unchanged">2<\/span>/);
    expect(page.text).toContain('The author rewrote a whole clause of this paragraph.');
  });

  it('→ 403 without the CSRF token; nothing changed', async () => {
    const { agent } = await browserAgent(app);
    await upload(agent, undefined, V2).expect(403);
    expect(project.read('source/doc.md')).toBe(V1);
  });

  it.each([
    ['an empty file', '', /empty/],
    ['a binary file', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00]), /binary/],
    ['invalid UTF-8', Buffer.from([0xc3, 0x28, 0x41]), /UTF-8/],
  ])('→ 400 for %s, with the reason beside the form; nothing changed', async (_what, content, reason) => {
    const { agent, csrf } = await browserAgent(app);
    const res = await upload(agent, csrf, content as Buffer).expect(400);
    expect(res.text).toMatch(reason);
    expect(res.text).toContain('class="form-error"');
    expect(project.read('source/doc.md')).toBe(V1);
  });

  it('→ 409 with the numbers and a force option when most translations would go; forcing works', async () => {
    const { agent, csrf } = await browserAgent(app);
    const res = await upload(agent, csrf, '# Other\n\nSomething else entirely different.\n').expect(409);
    expect((await request(app).get('/api/documents/doc/locales/es/removed').expect(200)).body.units).toEqual([]);
    expect(res.text).toMatch(/would remove \d+ of the 3 translated paragraphs of es/);
    expect(res.text).toContain('name="force"');
    await upload(agent, csrf, '# Other\n\nSomething else entirely different.\n', 'doc.md', { force: 'yes' }).expect(303);
    const removed = await request(app).get('/api/documents/doc/locales/es/removed').expect(200);
    expect(removed.body.units.map((u: { target: string }) => u.target)).toContain('ES A paragraph that stays.');
  });
});

describe('drift in the editor and the API', () => {
  it('shows the word diff of a drifted paragraph with "Still correct", which makes it current', async () => {
    const { agent, csrf } = await browserAgent(app);
    await upload(agent, csrf, V2).expect(303);
    const editor = await agent.get('/documents/doc/locales/es?filter=drifted').expect(200);
    expect(editor.text).toContain('<del>editor rewrites one</del>');
    expect(editor.text).toContain('<ins>author rewrote a whole</ins>');
    expect(editor.text).toContain('ES The editor rewrites one clause of this paragraph entirely.');
    const form = /action="(\/documents\/doc\/locales\/es\/segments\/(s[0-9a-f]+)\/still-correct)"[\s\S]*?name="baseRevision" value="(\d+)"/.exec(editor.text);
    if (!form) throw new Error('no still-correct form');
    await agent.post(form[1]).type('form').send({ _csrf: csrf, baseRevision: form[3], back: '?filter=drifted' }).expect(303);
    const segments = await request(app).get('/api/documents/doc/locales/es/segments?state=drifted').expect(200);
    expect(segments.body.total).toBe(0);
  });

  it('API: drifted segments carry the diff; still-correct → 200, stale → 409; drift report lists them', async () => {
    const { agent, csrf } = await browserAgent(app);
    await upload(agent, csrf, V2).expect(303);
    const list = await request(app).get('/api/documents/doc/locales/es/segments?state=drifted').expect(200);
    expect(list.body.total).toBe(1);
    const [drifted] = list.body.segments;
    expect(drifted.drift.previousSource).toBe('The editor rewrites one clause of this paragraph entirely.');
    const report = await request(app).get('/api/documents/doc/drift').expect(200);
    expect(report.body.locales).toEqual([expect.objectContaining({ code: 'es', drifted: [expect.objectContaining({ id: drifted.id })], untranslated: 0 })]);
    const dashboard = await request(app).get('/api/documents').expect(200);
    expect(dashboard.body.documents[0].locales[0]).toMatchObject({ drifted: 1, translated: 2 });
    await api.post(`/api/documents/doc/locales/es/segments/${drifted.id}/still-correct`).send({ baseRevision: drifted.revision + 1 }).expect(409);
    const ok = await api.post(`/api/documents/doc/locales/es/segments/${drifted.id}/still-correct`).send({ baseRevision: drifted.revision }).expect(200);
    expect(ok.body).toMatchObject({ state: 'translated', revision: drifted.revision + 1 });
  });
});
