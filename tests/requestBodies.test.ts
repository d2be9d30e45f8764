import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startLocale, useTestApp } from './helpers/app';

const t = useTestApp();

/** Every JSON route with a body, a good body, and the fields it takes. */
function routes(ids: string[]): { method: 'post' | 'put'; url: string; good: Record<string, unknown>; required: string[] }[] {
  const base = '/api/documents/small/locales/es';
  return [
    { method: 'post', url: '/api/documents/small/locales', good: { code: 'fr' }, required: ['code'] },
    { method: 'put', url: `${base}/segments/${ids[0]}`, good: { target: 'Hola', baseRevision: 0 }, required: ['target', 'baseRevision'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/still-correct`, good: { baseRevision: 0 }, required: ['baseRevision'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/approve`, good: { baseRevision: 0 }, required: ['baseRevision'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/reject`, good: { baseRevision: 0, comment: 'No.' }, required: ['baseRevision', 'comment'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/revert`, good: { entry: 0, baseRevision: 0 }, required: ['entry', 'baseRevision'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/suggestions`, good: { text: 'Hola' }, required: ['text'] },
    { method: 'post', url: `${base}/suggestions/0123456789abcdef`, good: { accept: false }, required: ['accept'] },
    { method: 'post', url: `${base}/segments/${ids[0]}/comments`, good: { text: 'Why?' }, required: ['text'] },
    { method: 'post', url: `${base}/threads/0123456789abcdef/resolve`, good: {}, required: [] },
    { method: 'post', url: `${base}/presence`, good: { segment: ids[0] }, required: [] },
    { method: 'put', url: `${base}/edition/title`, good: { title: 'Un texto' }, required: ['title'] },
  ];
}

describe('JSON bodies are checked at the edge', () => {
  it('an extra, a missing or a wrongly typed field → 400 naming the field, on every route, and nothing is written', async () => {
    const ids = (await startLocale(t.api)).map((s) => s.id);
    const localeFile = () => readFileSync(path.join(t.project.localesDir, 'es', 'small.xlf'), 'utf8');
    const before = localeFile();
    for (const route of routes(ids)) {
      const send = (body: unknown) => t.api[route.method](route.url).send(body as object);
      const extra = await send({ ...route.good, baseRevison: 1 });
      expect([route.url, extra.status, extra.body.error?.code, extra.body.error?.field]).toEqual([route.url, 400, 'invalid-body', 'baseRevison']);
      expect(extra.body.error.message).toContain('"baseRevison" is not a field');
      for (const field of route.required) {
        const missing = Object.fromEntries(Object.entries(route.good).filter(([key]) => key !== field));
        const res = await send(missing);
        expect([route.url, res.status, res.body.error?.field]).toEqual([route.url, 400, field]);
        expect(res.body.error.message).toBe(`"${field}" is missing.`);
        const wrong = await send({ ...route.good, [field]: typeof route.good[field] === 'string' ? 12 : 'twelve' });
        expect([route.url, wrong.status, wrong.body.error?.field]).toEqual([route.url, 400, field]);
        expect(wrong.body.error.message).toMatch(new RegExp(`^"${field}" must be `));
      }
      const list = await t.api[route.method](route.url).set('Content-Type', 'application/json').send('[1, 2]');
      expect([route.url, list.status, list.body.error?.code]).toEqual([route.url, 400, 'invalid-body']);
    }
    const negative = await t.api.put(`/api/documents/small/locales/es/segments/${ids[0]}`).send({ target: 'Hola', baseRevision: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toBe('"baseRevision" must be a whole number, 0 or more.');
    const fraction = await t.api.put(`/api/documents/small/locales/es/segments/${ids[0]}`).send({ target: 'Hola', baseRevision: 0.5 });
    expect(fraction.body.error).toMatchObject({ code: 'invalid-body', field: 'baseRevision' });
    expect(localeFile()).toBe(before);
  });

  it('path parameters are checked once: an unknown document → 404, a bad language tag → 400, a tag in another case names the same locale', async () => {
    const ids = (await startLocale(t.api)).map((s) => s.id);
    expect((await t.api.get('/api/documents/nope/locales/es/segments').expect(404)).body.error.code).toBe('document-not-found');
    expect((await t.api.get('/api/documents/..%2F..%2Fetc/locales/es/segments').expect(400)).body.error.code).toBe('invalid-document');
    expect((await t.api.get('/api/documents/small/locales/e%20s!/segments').expect(400)).body.error.code).toBe('invalid-locale');
    const saved = await t.api.put(`/api/documents/small/locales/ES/segments/${ids[0]}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
    expect(saved.body.revision).toBe(1);
    expect((await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments[0].target).toBe('Primera parte');
  });
});
