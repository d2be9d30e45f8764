import request from 'supertest';
import { addAccount, makeApp, startLocale, type TestApp } from './helpers/app';
import { makeManifestoProject } from './helpers/project';

// The Edition page of a locale far from done: one completeness figure, the reason an edition is
// refused before the list of what is missing, and that list short until asked for.
let t: TestApp;
beforeAll(async () => {
  t = await makeApp(makeManifestoProject());
  const segments = await startLocale(t.api, 'es', 'communard-manifesto');
  await t.api.put(`/api/documents/communard-manifesto/locales/es/segments/${segments[0].id}`).send({ target: 'Para las Indias', baseRevision: 0 }).expect(200);
  // Approved by a reviewer: one paragraph done of 162, 0.6 %.
  const { api } = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
  await api.post(`/api/documents/communard-manifesto/locales/es/segments/${segments[0].id}/approve`).send({ baseRevision: 1 }).expect(200);
});
afterAll(() => t.project.cleanup());

it('explains a refused edition before the list of what is missing, which shows 20 until asked for all', async () => {
  const base = '/documents/communard-manifesto/locales/es';
  const refused = await request(t.app).get(`${base}/export/epub`).expect(409);
  const explanation = refused.text.indexOf('role="alert"');
  const list = refused.text.indexOf('class="missing-list"');
  expect(explanation).toBeGreaterThan(0);
  expect(list).toBeGreaterThan(explanation);
  // Closed, with 20 items, and the others in a second list behind its own button.
  expect(refused.text).toMatch(/<details class="missing-list">/);
  const [first, more] = refused.text.slice(list).split('class="missing-more"');
  expect(first.match(/<li>/g)).toHaveLength(20);
  expect(more).toContain('start="21"');
  expect(more).toMatch(/Show all [\d,]+/);
});

it('says one completeness figure: the one the draft and the export list print', async () => {
  const page = await request(t.app).get('/documents/communard-manifesto/locales/es/edition').expect(200);
  const percent = Number(/data-percent="(\d+)"/.exec(page.text)?.[1]);
  // One paragraph of 162 (0.6 %) is 0 %, never rounded up to a figure the edition does not reach.
  expect(percent).toBe(0);
  expect(page.text).toMatch(/1 of [\d,]+ paragraphs done \(0%\)/);
});
