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

/** Uploads a new text (its preview, 200), then applies it from the preview with `fields` (force...). */
async function uploadAndApply(agent: Awaited<ReturnType<typeof browserAgent>>['agent'], csrf: string, content: string, fields: Record<string, string> = {}) {
  const preview = await upload(agent, csrf, content).expect(200);
  const action = /<form method="post" action="(\/documents\/doc\/source\/[0-9a-f]+)"/.exec(preview.text)?.[1];
  if (!action) throw new Error('The preview has no form to apply it');
  return agent.post(action).type('form').send({ _csrf: csrf, action: 'apply', ...fields });
}

describe('POST /documents/:doc/source (the upload form)', () => {
  it('shows a preview of the new version, writes nothing until it is applied, then records it', async () => {
    const { agent, csrf } = await browserAgent(app);
    const preview = await upload(agent, csrf, V2).expect(200);
    expect(preview.text).toMatch(/<span data-label-count="edited">1<\/span>/);
    expect(preview.text).toMatch(/<tr data-locale="es"><th scope="row"><code>es<\/code><\/th><td>3<\/td><td data-drifting>1<\/td><td data-removed>0<\/td><\/tr>/);
    expect(project.read('source/doc.md')).toBe(V1);
    expect((await request(app).get('/api/documents/doc/versions').expect(200)).body.versions).toHaveLength(1);
    const res = await uploadAndApply(agent, csrf, V2);
    expect(res.status).toBe(303);
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
    const other = '# Other\n\nSomething else entirely different.\n';
    const preview = await upload(agent, csrf, other).expect(200);
    expect(preview.text).toContain('takes out more than half of the translations of es');
    expect(preview.text).toContain('name="force"');
    const res = await uploadAndApply(agent, csrf, other);
    expect(res.status).toBe(409);
    expect((await request(app).get('/api/documents/doc/locales/es/removed').expect(200)).body.units).toEqual([]);
    expect(res.text).toMatch(/would remove \d+ of the 3 translated paragraphs of es/);
    expect(res.text).toContain('name="force"');
    expect((await uploadAndApply(agent, csrf, other, { force: 'yes' })).status).toBe(303);
    const removed = await request(app).get('/api/documents/doc/locales/es/removed').expect(200);
    expect(removed.body.units.map((u: { target: string }) => u.target)).toContain('ES A paragraph that stays.');
  });
});

describe('the preview of a new source', () => {
  it('is cancelled without a trace; a text like the current one has nothing to apply; someone else cannot apply it', async () => {
    const { agent, csrf } = await browserAgent(app);
    const preview = await upload(agent, csrf, V2).expect(200);
    const action = /<form method="post" action="(\/documents\/doc\/source\/[0-9a-f]+)"/.exec(preview.text)?.[1] as string;
    // Another administrator cannot apply this one's upload.
    const { addAccount } = await import('./helpers/app');
    await addAccount(app, project, 'Other', [{ kind: 'admin' }]);
    const other = await browserAgent(app, 'Other');
    await other.agent.post(action).type('form').send({ _csrf: other.csrf, action: 'apply' }).expect(404);
    const cancelled = await agent.post(action).type('form').send({ _csrf: csrf, action: 'cancel' }).expect(303);
    expect(cancelled.headers.location).toBe('/documents/doc#versions');
    await agent.post(action).type('form').send({ _csrf: csrf, action: 'apply' }).expect(404);
    expect(project.read('source/doc.md')).toBe(V1);
    const same = await upload(agent, csrf, V1).expect(200);
    expect(same.text).toContain('there is nothing to update');
    expect(same.text).not.toContain('value="apply"');
  });
});

describe('drift in the editor and the API', () => {
  it('shows the word diff of a drifted paragraph with "Still correct", which makes it current', async () => {
    const { agent, csrf } = await browserAgent(app);
    expect((await uploadAndApply(agent, csrf, V2)).status).toBe(303);
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
    expect((await uploadAndApply(agent, csrf, V2)).status).toBe(303);
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
