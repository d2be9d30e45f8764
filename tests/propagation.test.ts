import { writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { addAccount, makeApp, startLocale, useTestApp, type TestApp } from './helpers/app';
import { makeProject } from './helpers/project';

// A translation saved once goes, on request (or with every save, when the project says so), to
// the other paragraphs of the language with the same source text that have none: each its own
// change in its own history; a translation made otherwise is never overwritten.

const t = useTestApp();

const OTHER = `---
title: Another text
language: en
---

The second paragraph.

The last paragraph.

The second paragraph.
`;

const url = (doc: string) => `/api/documents/${doc}/locales/es/segments`;
type Segment = { id: string; source: string; revision: number };

async function setUp(app: TestApp): Promise<{ small: Segment[]; other: Segment[] }> {
  writeFileSync(path.join(app.project.sourceDir, 'other.md'), OTHER);
  const small = await startLocale(app.api, 'es', 'small');
  const other = await startLocale(app.api, 'es', 'other');
  return { small, other };
}
const find = (segments: Segment[], source: string): Segment => segments.find((s) => s.source === source) as Segment;

describe('the same translation for the same source', () => {
  test('lists the paragraphs with the same source, applies the translation to those without one, and leaves the others', async () => {
    const { small, other } = await setUp(t);
    const second = find(small, 'The second paragraph.');
    // Ids are the text's: the other document's two copies have ids of their own.
    const copies = other.filter((s) => s.source === 'The second paragraph.');
    expect(copies).toHaveLength(2);
    // One copy already translated otherwise: never overwritten.
    await t.api.put(`${url('other')}/${copies[1].id}`).send({ target: 'El segundo, traducido de otro modo.', baseRevision: 0 }).expect(200);
    // Nothing to apply before the paragraph is translated.
    expect((await t.api.post(`${url('small')}/${second.id}/propagate`).send({}).expect(409)).body.error.code).toBe('nothing-to-propagate');

    await t.api.put(`${url('small')}/${second.id}`).send({ target: 'El segundo párrafo.', baseRevision: 0 }).expect(200);
    const same = (await t.api.get(`${url('small')}/${second.id}/same-source`).expect(200)).body;
    expect(same).toEqual({
      target: 'El segundo párrafo.',
      fill: [{ document: 'other', segment: copies[0].id, state: 'untranslated', revision: 0 }],
      differ: [{ document: 'other', segment: copies[1].id, state: 'translated', revision: 1 }],
    });
    const result = (await t.api.post(`${url('small')}/${second.id}/propagate`).send({}).expect(200)).body;
    expect(result).toEqual({ applied: [{ document: 'other', segment: copies[0].id, state: 'translated', revision: 1 }], skipped: [], differ: same.differ });

    const after = (await t.api.get(`${url('other')}?limit=100`).expect(200)).body.segments as { id: string; target: string | null }[];
    expect(after.find((s) => s.id === copies[0].id)?.target).toBe('El segundo párrafo.');
    expect(after.find((s) => s.id === copies[1].id)?.target).toBe('El segundo, traducido de otro modo.');
    const history = (await t.api.get(`${url('other')}/${copies[0].id}/history`).expect(200)).body.entries;
    expect(history).toEqual([expect.objectContaining({ action: 'propagate', who: 'admin', after: expect.objectContaining({ target: 'El segundo párrafo.' }) })]);
    // Done: nothing left to fill.
    expect((await t.api.get(`${url('small')}/${second.id}/same-source`).expect(200)).body.fill).toEqual([]);
  });

  test('only translators of the language apply it; anyone may read the list; a paragraph that is not there is a 404', async () => {
    const { small } = await setUp(t);
    const second = find(small, 'The second paragraph.');
    await t.api.put(`${url('small')}/${second.id}`).send({ target: 'El segundo párrafo.', baseRevision: 0 }).expect(200);
    const reviewer = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
    await reviewer.api.post(`${url('small')}/${second.id}/propagate`).send({}).expect(403);
    await request(t.app).post(`${url('small')}/${second.id}/propagate`).send({}).expect(401);
    await request(t.app).get(`${url('small')}/${second.id}/same-source`).expect(200);
    await t.api.get(`${url('small')}/s00000000/same-source`).expect(404);
  });

  test('with "propagate": "auto", every save applies itself to the paragraphs with the same source that have none', async () => {
    const project = makeProject();
    writeFileSync(path.join(project.dir, 'workbench.config.json'), JSON.stringify({ propagate: 'auto' }));
    const app = await makeApp(project);
    try {
      const { small, other } = await setUp(app);
      const second = find(small, 'The second paragraph.');
      const saved = (await app.api.put(`${url('small')}/${second.id}`).send({ target: 'El segundo párrafo.', baseRevision: 0 }).expect(200)).body;
      expect(saved.propagated.applied.map((p: { segment: string }) => p.segment)).toEqual(other.filter((s) => s.source === 'The second paragraph.').map((s) => s.id));
    } finally {
      project.cleanup();
    }
  });
});

describe('GET …/segments/:id/other-languages', () => {
  test('gives the paragraph in the document’s other languages, with state and author; a paragraph that is not there is a 404', async () => {
    const spanish = await startLocale(t.api, 'es', 'small');
    const french = await startLocale(t.api, 'fr', 'small');
    await startLocale(t.api, 'de', 'small');
    const second = find(french, 'The second paragraph.');
    await t.api.put(`/api/documents/small/locales/fr/segments/${second.id}`).send({ target: 'Le deuxième paragraphe.', baseRevision: 0 }).expect(200);
    const res = await request(t.app).get(`${url('small')}/${find(spanish, 'The second paragraph.').id}/other-languages`).expect(200);
    expect(res.body.languages).toEqual([
      { lang: 'de', name: 'Deutsch', dir: 'ltr', state: 'untranslated', target: null },
      { lang: 'fr', name: 'français', dir: 'ltr', state: 'translated', target: 'Le deuxième paragraphe.', who: 'admin' },
    ]);
    await t.api.get(`${url('small')}/s00000000/other-languages`).expect(404);
  });
});
