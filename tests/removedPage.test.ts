import request from 'supertest';
import { addAccount, browserAgent, makeApp, startLocale, type TestApp } from './helpers/app';
import { makeProject, SMALL_DOC } from './helpers/project';

// The translations of paragraphs a source update deleted: listed from the document page, each
// offered the paragraphs of the text now most like its old source, and put back into one of them
// (the translation of an untranslated paragraph; a suggestion over a translated one).
let t: TestApp;
let ids: Map<string, string>;
beforeEach(async () => {
  t = await makeApp(makeProject());
  const segments = await startLocale(t.api, 'es');
  for (const s of segments.filter((s) => s.source === 'The second paragraph.' || s.source === 'The last paragraph.')) {
    await t.api.put(`/api/documents/small/locales/es/segments/${s.id}`).send({ target: s.source === 'The second paragraph.' ? 'El segundo párrafo.' : 'El último párrafo.', baseRevision: 0 }).expect(200);
  }
  // The second paragraph is deleted, and a new one, with a few of its words, is added at the end.
  const v2 = SMALL_DOC.replace('The second paragraph.\n\n', '').replace('The last paragraph.', 'The last paragraph.\n\nHere is a second paragraph of a wholly different kind.');
  const { agent, csrf } = await browserAgent(t.app);
  const preview = await agent.post(`/documents/small/source?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(v2), 'small.md').expect(200);
  const action = /<form method="post" action="(\/documents\/small\/source\/[0-9a-f]+)"/.exec(preview.text)?.[1] as string;
  await agent.post(action).type('form').send({ _csrf: csrf, action: 'apply' }).expect(303);
  const now = (await t.api.get('/api/documents/small/locales/es/segments?limit=100').expect(200)).body.segments as { id: string; source: string }[];
  ids = new Map(now.map((s) => [s.source, s.id]));
});
afterEach(() => t.project.cleanup());

it('lists them from the document page, and puts one back into the paragraph that took its place', async () => {
  const removed = (await t.api.get('/api/documents/small/locales/es/removed').expect(200)).body.units as { id: string; target?: string }[];
  expect(removed.map((u) => u.target)).toEqual(['El segundo párrafo.']);
  const document = await request(t.app).get('/documents/small').expect(200);
  expect(document.text).toContain('href="/documents/small/locales/es/removed"');
  expect(document.text).toContain('1 translation kept');

  const { agent, csrf } = await browserAgent(t.app);
  const page = await agent.get('/documents/small/locales/es/removed').expect(200);
  expect(page.text).toContain('<del>The second paragraph.</del>');
  expect(page.text).toContain('El segundo párrafo.');
  // The paragraphs sharing words with it are offered, the one that took its place among them.
  const newId = ids.get('Here is a second paragraph of a wholly different kind.');
  expect([...page.text.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1])).toContain(newId);

  const put = await agent.post('/documents/small/locales/es/removed/restore').type('form').send({ _csrf: csrf, unit: removed[0].id, segment: newId }).expect(303);
  expect(put.headers.location).toBe(`/documents/small/locales/es/paragraph/${newId}`);
  const segment = (await t.api.get('/api/documents/small/locales/es/segments?limit=100').expect(200)).body.segments.find((s: { id: string }) => s.id === newId);
  expect(segment).toMatchObject({ target: 'El segundo párrafo.', state: 'translated' });
});

it('offers it as a suggestion over a translated paragraph, never overwriting it; refuses what it cannot do', async () => {
  const removed = (await t.api.get('/api/documents/small/locales/es/removed').expect(200)).body.units as { id: string }[];
  const last = ids.get('The last paragraph.') as string;
  const { agent, csrf } = await browserAgent(t.app);
  await agent.post('/documents/small/locales/es/removed/restore').type('form').send({ _csrf: csrf, unit: removed[0].id, segment: last }).expect(303);
  const after = (await t.api.get('/api/documents/small/locales/es/segments?limit=100').expect(200)).body.segments.find((s: { id: string }) => s.id === last);
  expect(after.target).toBe('El último párrafo.');
  const discussion = (await t.api.get('/api/documents/small/locales/es/discussion').expect(200)).body;
  expect(JSON.stringify(discussion)).toContain('El segundo párrafo.');

  await agent.post('/documents/small/locales/es/removed/restore').type('form').send({ _csrf: csrf, unit: 'nope', segment: last }).expect(404);
  await agent.post('/documents/small/locales/es/removed/restore').type('form').send({ _csrf: csrf, unit: removed[0].id, segment: 'nope' }).expect(400);
  // Only a translator of the language puts translations back.
  await addAccount(t.app, t.project, 'Rosa', [{ kind: 'reviewer', locale: 'es' }]);
  const reviewer = await browserAgent(t.app, 'Rosa');
  await reviewer.agent.post('/documents/small/locales/es/removed/restore').type('form').send({ _csrf: reviewer.csrf, unit: removed[0].id, segment: last }).expect(403);
  expect((await reviewer.agent.get('/documents/small/locales/es/removed').expect(200)).text).not.toContain('<form method="post" action="/documents/small/locales/es/removed/restore"');
});
