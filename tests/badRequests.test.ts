import { existsSync } from 'node:fs';
import fsp from 'node:fs/promises';
import { join } from 'node:path';
import request from 'supertest';
import { browserAgent, useTestApp } from './helpers/app';

const t = useTestApp();

/** A full disk, as the atomic writes meet it: opening a temp file fails with ENOSPC (mockRestore() makes room again). */
function fullDisk(): jest.SpyInstance {
  const open = fsp.open;
  return jest.spyOn(fsp, 'open').mockImplementation((async (file: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
    if (String(file).endsWith('.tmp')) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return (open as (...args: unknown[]) => ReturnType<typeof fsp.open>)(file, ...rest);
  }) as typeof fsp.open);
}

describe('bad requests get a 4xx with a message, never a 500', () => {
  it('a malformed percent-encoding in a path → 400, anonymous or not, on the API and the pages', async () => {
    for (const url of ['/api/documents/%ZZ/versions', '/api/documents/small/locales/%E0%A4%A/segments', '/documents/%ZZ', '/documents/small/locales/%/edition']) {
      const res = await request(t.app).get(url).set('Accept', 'application/json');
      expect([url, res.status, res.body.error?.code]).toEqual([url, 400, 'path-malformed']);
    }
    expect(t.logged).toEqual([]);
  });

  it('a form posted with no body → 400 form-missing, and nothing is made', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    const forms = ['/account/tokens', '/documents/small/locales', '/documents/small/locales/es/segments/x/suggest', '/documents/small/locales/es/segments/x/comment', '/documents/small/locales/es/edition/title', '/logout'];
    for (const path of forms) {
      const res = await agent.post(path).set('X-CSRF-Token', csrf).set('Accept', 'application/json');
      expect([path, res.status, res.body.error?.code]).toEqual([path, 400, 'form-missing']);
    }
    expect((await t.api.get('/api/documents').expect(200)).body.documents[0].locales).toEqual([]);
    expect(t.logged).toEqual([]);
  });

  it('a multipart upload cut short → 400 upload-malformed; an unknown Content-Encoding → 415', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
    const cut = await agent
      .post(`/documents/small/locales/es/import?_csrf=${encodeURIComponent(csrf)}`)
      .set('Accept', 'application/json')
      .set('Content-Type', 'multipart/form-data; boundary=XX')
      .send('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.xlf"\r\n\r\nabc');
    expect([cut.status, cut.body.error?.code]).toEqual([400, 'upload-malformed']);
    const encoded = await t.api.put('/api/documents/small/locales/es/segments/x').set('Content-Type', 'application/json').set('Content-Encoding', 'br-weird').send('{}');
    expect(encoded.status).toBe(415);
    expect(t.logged).toEqual([]);
  });

  it('what the fuzz found: a multipart body to a form that takes none, a body that does not inflate, a refused body on a page → 4xx', async () => {
    const { agent, csrf } = await browserAgent(t.app);
    const multipart = await agent.post('/documents/small/locales').set('X-CSRF-Token', csrf).set('Accept', 'application/json').set('Content-Type', 'multipart/form-data; boundary=XX').send('--XX--\r\n');
    expect(multipart.status).toBeGreaterThanOrEqual(400);
    expect(multipart.status).toBeLessThan(500);
    const inflate = await t.api.put('/api/documents/small/locales/es/segments/x').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('not gzip at all');
    expect([inflate.status, inflate.body.error?.code]).toEqual([400, 'bad-request']);
    // Refused by the body parser before the page's locals exist: still a page (or its text), not a 500.
    const page = await agent.post('/login').set('Accept', 'text/html').set('Content-Type', 'application/json; charset=utf-16').send('{}');
    expect([page.status >= 400, page.status < 500]).toEqual([true, true]);
    expect(t.logged).toEqual([]);
  });

  it('a full disk is said as it is: 507 disk-full, the translation file untouched, and the save goes through once there is room', async () => {
    await t.api.post('/api/documents/small/locales').send({ code: 'es' }).expect(201);
    const segments = (await t.api.get('/api/documents/small/locales/es/segments').expect(200)).body.segments as { id: string }[];
    const before = t.project.read('locales/es/small.xlf');
    const full = fullDisk();
    try {
      const refused = await t.api.put(`/api/documents/small/locales/es/segments/${segments[0].id}`).send({ target: 'Primera parte', baseRevision: 0 });
      expect([refused.status, refused.body.error?.code]).toEqual([507, 'disk-full']);
      expect(refused.body.error.message).toMatch(/disk is full/);
    } finally {
      full.mockRestore();
    }
    expect(t.project.read('locales/es/small.xlf')).toBe(before);
    await t.api.put(`/api/documents/small/locales/es/segments/${segments[0].id}`).send({ target: 'Primera parte', baseRevision: 0 }).expect(200);
  });

  it('a locale started on a full disk: 507, and no empty locales/<lang>/ folder left behind', async () => {
    const full = fullDisk();
    try {
      const refused = await t.api.post('/api/documents/small/locales').send({ code: 'de' });
      expect([refused.status, refused.body.error?.code]).toEqual([507, 'disk-full']);
    } finally {
      full.mockRestore();
    }
    expect(existsSync(join(t.project.dir, 'locales', 'de'))).toBe(false);
    await t.api.post('/api/documents/small/locales').send({ code: 'de' }).expect(201);
  });
});
