import request from 'supertest';
import { createApp } from '../server/app';
import { addAccount, makeApp, startLocale, type Agent, type TestApp } from './helpers/app';
import type { TestProject } from './helpers/project';

let t: TestApp;
let project: TestProject;
let ana: Agent; // translator of es
let bruno: Agent; // reviewer of es
let carla: Agent; // reviewer and translator of es
let carlaToken: string;
let ids: string[];

beforeEach(async () => {
  t = await makeApp();
  project = t.project;
  ({ api: ana } = await addAccount(t.app, project, 'Ana', [{ kind: 'translator', locale: 'es' }]));
  ({ api: bruno } = await addAccount(t.app, project, 'Bruno', [{ kind: 'reviewer', locale: 'es' }]));
  ({ api: carla, token: carlaToken } = await addAccount(t.app, project, 'Carla', [{ kind: 'reviewer', locale: 'es' }, { kind: 'translator', locale: 'es' }]));
  ids = (await startLocale(t.api, 'es')).map((s) => s.id);
  for (const [i, id] of ids.slice(0, 3).entries()) {
    // The second paragraph has a link, which its translation keeps (a translation without it fails a check that blocks approval).
    await ana.put(`/api/documents/small/locales/es/segments/${id}`).send({ target: i === 1 ? 'Traducción 1, con un [enlace](https://example.org/a).' : `Traducción ${i}`, baseRevision: 0 }).expect(200);
  }
});
afterEach(() => project.cleanup());

const url = (id: string, action: string) => `/api/documents/small/locales/es/segments/${id}/${action}`;

describe('approving', () => {
  it('a reviewer approves: approved="yes", state signed-off, counted as approved', async () => {
    const res = await bruno.post(url(ids[0], 'approve')).send({ baseRevision: 1 }).expect(200);
    expect(res.body).toMatchObject({ state: 'approved', revision: 2 });
    expect(res.body.progress).toMatchObject({ approved: 1, translated: 2 });
    expect(project.read('locales/es/small.xlf')).toMatch(new RegExp(`<trans-unit id="${ids[0]}"[^>]*approved="yes"`));
    expect(project.read('locales/es/small.xlf')).toContain('<target state="signed-off">Traducción 0</target>');
    expect((await project.history('small', 'es')).map((e) => e.action)).toContain('approve');
  });

  it('a translator cannot approve (403); an anonymous user cannot (401)', async () => {
    await ana.post(url(ids[0], 'approve')).send({ baseRevision: 1 }).expect(403);
    await request(t.app).post(url(ids[0], 'approve')).send({ baseRevision: 1 }).expect(401);
  });

  it('a reviewer may not approve their own translation, unless the project allows it', async () => {
    await carla.put(`/api/documents/small/locales/es/segments/${ids[3]}`).send({ target: 'Mía', baseRevision: 0 }).expect(200);
    const own = await carla.post(url(ids[3], 'approve')).send({ baseRevision: 1 }).expect(403);
    expect(own.body.error.code).toBe('own-translation');
    project.write('workbench.config.json', JSON.stringify({ allowSelfApproval: true }));
    const permissive = createApp({ dataDir: project.dir, log: () => undefined });
    await request(permissive).post(url(ids[3], 'approve')).set('Authorization', `Bearer ${carlaToken}`).send({ baseRevision: 1 }).expect(200);
  });

  it('an untranslated paragraph cannot be approved; a stale revision → 409', async () => {
    await bruno.post(url(ids[5], 'approve')).send({ baseRevision: 0 }).expect(409);
    await bruno.post(url(ids[0], 'approve')).send({ baseRevision: 0 }).expect(409);
  });

  it('a source change sends an approved paragraph back for review', async () => {
    await bruno.post(url(ids[1], 'approve')).send({ baseRevision: 1 }).expect(200);
    const source = project.read('source/small.md').replace('The first paragraph, with a', 'The very first paragraph, with a');
    await t.api.get('/api/documents').expect(200);
    const { createWorkbench } = await import('../server/application/createWorkbench');
    await createWorkbench(project.dir).updateSource('small', Buffer.from(source), { name: 'small.md' });
    const after = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(after.body.segments[1]).toMatchObject({ id: ids[1], state: 'drifted' });
    expect(project.read('locales/es/small.xlf')).not.toMatch(new RegExp(`<trans-unit id="${ids[1]}"[^>]*approved="yes"`));
  });
});

describe('rejecting', () => {
  it('a reviewer rejects with a comment: a <note from> in the XLIFF, shown (escaped) to the translator; needs work', async () => {
    const comment = 'Demasiado literal <script>alert(1)</script>';
    const res = await bruno.post(url(ids[1], 'reject')).send({ baseRevision: 1, comment }).expect(200);
    expect(res.body).toMatchObject({ state: 'needs-work', notes: [{ from: 'Bruno', text: comment }] });
    expect(project.read('locales/es/small.xlf')).toContain('<note from="Bruno" annotates="target">Demasiado literal &lt;script&gt;alert(1)&lt;/script&gt;</note>');
    const editor = await request(t.app).get('/documents/small/locales/es').expect(200);
    expect(editor.text).toContain('<strong>Bruno:</strong> Demasiado literal &lt;script&gt;alert(1)&lt;/script&gt;');
    // The translator fixes it: translated again, ready for review.
    const fixed = await ana.put(`/api/documents/small/locales/es/segments/${ids[1]}`).send({ target: 'Mejor así', baseRevision: 2 }).expect(200);
    expect(fixed.body.state).toBe('translated');
    // The new version settles the comment: off the paragraph and out of the file, kept in the history with both entries.
    expect(fixed.body.notes).toEqual([]);
    expect(project.read('locales/es/small.xlf')).not.toContain('Demasiado literal');
    expect((await request(t.app).get('/documents/small/locales/es').expect(200)).text).not.toContain('<strong>Bruno:</strong>');
    const { entries } = (await ana.get(`/api/documents/small/locales/es/segments/${ids[1]}/history`).expect(200)).body as { entries: { action: string; after?: { comment?: string; settled?: string[] } }[] };
    expect(entries.find((e) => e.action === 'reject')?.after?.comment).toBe(comment);
    expect(entries[entries.length - 1].after?.settled).toEqual([`Bruno: ${comment}`]);
    const history = await request(t.app).get(`/documents/small/locales/es/segments/${ids[1]}/history`).expect(200);
    expect(history.text).toContain('Comment: <q>Demasiado literal &lt;script&gt;alert(1)&lt;/script&gt;</q>');
    expect(history.text).toContain('This version settled the review comment:');
  });

  it('a rejection without a comment → 400; a translator cannot reject (403)', async () => {
    await bruno.post(url(ids[1], 'reject')).send({ baseRevision: 1, comment: '  ' }).expect(400);
    await ana.post(url(ids[1], 'reject')).send({ baseRevision: 1, comment: 'no' }).expect(403);
  });
});

describe('the reading review', () => {
  it('shows the translations waiting for review as a text, each approvable or sent back inline', async () => {
    const { browserAgent } = await import('./helpers/app');
    const { agent, csrf } = await browserAgent(t.app, 'Bruno');
    const page = await agent.get('/documents/small/locales/es/review').expect(200);
    expect(page.text).toContain('3 translated paragraphs wait for review');
    expect(page.text).toContain('Traducción 1');
    await agent.post(`/documents/small/locales/es/segments/${ids[0]}/approve`).type('form').send({ _csrf: csrf, baseRevision: '1' }).expect(303);
    await agent.post(`/documents/small/locales/es/segments/${ids[1]}/reject`).type('form').send({ _csrf: csrf, baseRevision: '1', comment: 'Revisar el tono' }).expect(303);
    const after = await agent.get('/documents/small/locales/es/review').expect(200);
    expect(after.text).toContain('1 translated paragraph waits for review');
    expect(after.text).not.toContain('Traducción 0');
    // Only reviewers decide.
    const { agent: translator, csrf: tcsrf } = await browserAgent(t.app, 'Ana');
    await translator.post(`/documents/small/locales/es/segments/${ids[2]}/approve`).type('form').send({ _csrf: tcsrf, baseRevision: '1' }).expect(403);
  });
});

describe('history', () => {
  it('keeps every change with who, when, before and after; shows a word diff to the current text; revert is a new entry', async () => {
    await ana.put(`/api/documents/small/locales/es/segments/${ids[0]}`).send({ target: 'Traducción cero revisada', baseRevision: 1 }).expect(200);
    await bruno.post(url(ids[0], 'approve')).send({ baseRevision: 2 }).expect(200);
    const history = await request(t.app).get(`/api/documents/small/locales/es/segments/${ids[0]}/history`).expect(200);
    expect(history.body.entries.map((e: { who: string; action: string }) => [e.who, e.action])).toEqual([
      ['Ana', 'save'],
      ['Ana', 'save'],
      ['Bruno', 'approve'],
    ]);
    expect(history.body.entries[0]).toMatchObject({ after: { target: 'Traducción 0' }, at: expect.any(String) });
    expect(history.body.entries[0].diffToCurrent.filter((p: { added?: boolean }) => p.added).map((p: { value: string }) => p.value.trim())).toEqual(['cero revisada']);

    const page = await request(t.app).get(`/documents/small/locales/es/segments/${ids[0]}/history`).expect(200);
    expect(page.text).toContain('<ins>cero revisada</ins>');

    const reverted = await ana.post(url(ids[0], 'revert')).send({ entry: 0, baseRevision: 3 }).expect(200);
    expect(reverted.body).toMatchObject({ target: 'Traducción 0', state: 'translated' });
    const after = await request(t.app).get(`/api/documents/small/locales/es/segments/${ids[0]}/history`).expect(200);
    expect(after.body.entries.at(-1)).toMatchObject({ who: 'Ana', action: 'revert', before: { target: 'Traducción cero revisada' }, after: { target: 'Traducción 0' } });
    await bruno.post(url(ids[0], 'revert')).send({ entry: 0, baseRevision: 4 }).expect(403);
    await ana.post(url(ids[0], 'revert')).send({ entry: 99, baseRevision: 4 }).expect(404);
  });

  it('a locale activity feed, newest first, filterable by person, with contribution counts; names and texts escaped', async () => {
    await ana.put(`/api/documents/small/locales/es/segments/${ids[4]}`).send({ target: '<img src=x onerror=alert(1)>', baseRevision: 0 }).expect(200);
    await bruno.post(url(ids[1], 'reject')).send({ baseRevision: 1, comment: 'no' }).expect(200);
    const feed = await request(t.app).get('/api/documents/small/locales/es/activity').expect(200);
    expect(feed.body.feed[0]).toMatchObject({ who: 'Bruno', action: 'reject' });
    expect(feed.body.contributions).toEqual([
      { who: 'Ana', actions: { save: 4 } },
      { who: 'Bruno', actions: { reject: 1 } },
    ]);
    const onlyAna = await request(t.app).get('/api/documents/small/locales/es/activity?who=Ana').expect(200);
    expect(onlyAna.body.feed.every((e: { who: string }) => e.who === 'Ana')).toBe(true);
    const page = await request(t.app).get('/documents/small/locales/es/activity').expect(200);
    expect(page.text).not.toContain('<img src=x onerror=alert(1)>');
    expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the own-translation rule sees every way a text gets its author', () => {
  it('a translator and reviewer who imported a translation may not approve it (403); another reviewer may', async () => {
    const exported = await carla.get('/api/documents/small/locales/es/export/xliff').buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    const edited = (exported.body as string).replace(/(<trans-unit id="[^"]+"[^>]*>\s*<source>The second paragraph\.<\/source>\s*<target)[^>]*>[^<]*</, '$1 state="translated">Importada por Carla<');
    expect(edited).toContain('Importada por Carla');
    const imported = await carla.post('/api/documents/small/locales/es/import').set('Content-Type', 'application/xliff+xml').send(edited).expect(200);
    expect(imported.body.written).toBe(1);
    const segment = (await carla.get('/api/documents/small/locales/es/segments').expect(200)).body.segments.find((s: { target: string | null }) => s.target === 'Importada por Carla');
    const refused = await carla.post(url(segment.id, 'approve')).send({ baseRevision: segment.revision }).expect(403);
    expect(refused.body.error.code).toBe('own-translation');
    await bruno.post(url(segment.id, 'approve')).send({ baseRevision: segment.revision }).expect(200);
  });

  it('a reviewer may not accept their own suggestion (403): someone else does; withdrawing it (declining) is allowed', async () => {
    const own = await bruno.post(`/api/documents/small/locales/es/segments/${ids[1]}/suggestions`).send({ text: 'Mi redacción' }).expect(201);
    const refused = await bruno.post(`/api/documents/small/locales/es/suggestions/${own.body.id}`).send({ accept: true, baseRevision: 1 }).expect(403);
    expect(refused.body.error.code).toBe('own-suggestion');
    expect((await ana.get('/api/documents/small/locales/es/segments').expect(200)).body.segments[1].target).toBe('Traducción 1, con un [enlace](https://example.org/a).');
    await carla.post(`/api/documents/small/locales/es/suggestions/${own.body.id}`).send({ accept: true, baseRevision: 1 }).expect(200);
    const other = await bruno.post(`/api/documents/small/locales/es/segments/${ids[2]}/suggestions`).send({ text: 'Otra mía' }).expect(201);
    await bruno.post(`/api/documents/small/locales/es/suggestions/${other.body.id}`).send({ accept: false }).expect(200);
  });
});

describe('suggestions and conversations', () => {
  it('a reviewer suggests a wording; the translator accepts it; history credits both', async () => {
    // The suggestion box starts from the current translation: a word changed, not the paragraph retyped.
    const { browserAgent } = await import('./helpers/app');
    const reviewerPage = await (await browserAgent(t.app, 'Bruno')).agent.get('/documents/small/locales/es').expect(200);
    const current = (await ana.get('/api/documents/small/locales/es/segments').expect(200)).body.segments[2].target as string;
    expect(reviewerPage.text).toContain(`id="suggest-${ids[2]}" name="text" rows="2" maxlength="20000" lang="es" dir="ltr" required>${current}</textarea>`);
    const made = await bruno.post(`/api/documents/small/locales/es/segments/${ids[2]}/suggestions`).send({ text: 'Una redacción mejor' }).expect(201);
    const editor = await request(t.app).get('/documents/small/locales/es').expect(200);
    expect(editor.text).toContain('Una redacción mejor');
    // Shown with what it changes in the translation, word by word.
    expect(editor.text).toMatch(/class="diff suggestion-diff"[\s\S]*?<del>[^<]+<\/del>[\s\S]*?<ins>[^<]+<\/ins>/);
    const accepted = await ana.post(`/api/documents/small/locales/es/suggestions/${made.body.id}`).send({ accept: true, baseRevision: 1 }).expect(200);
    expect(accepted.body).toMatchObject({ target: 'Una redacción mejor', state: 'translated' });
    await ana.post(`/api/documents/small/locales/es/suggestions/${made.body.id}`).send({ accept: true, baseRevision: 2 }).expect(409);
    const feed = await request(t.app).get('/api/documents/small/locales/es/activity').expect(200);
    expect(feed.body.contributions).toEqual(expect.arrayContaining([{ who: 'Bruno', actions: { suggested: 1 } }]));
    expect(feed.body.feed[0]).toMatchObject({ who: 'Ana', action: 'suggestion-accepted', suggestedBy: 'Bruno' });
    // The suggestion's author wrote the text now: that reviewer may not approve it.
    await bruno.post(url(ids[2], 'approve')).send({ baseRevision: 2 }).expect(403);
  });

  it('a translator may suggest on someone else’s paragraph, not on their own; declining changes nothing', async () => {
    await carla.post(`/api/documents/small/locales/es/segments/${ids[0]}/suggestions`).send({ text: 'Otra' }).expect(201);
    const { api: dora } = await addAccount(t.app, project, 'Dora', [{ kind: 'translator', locale: 'es' }]);
    await ana.post(`/api/documents/small/locales/es/segments/${ids[0]}/suggestions`).send({ text: 'Mía otra vez' }).expect(403);
    const s = await dora.post(`/api/documents/small/locales/es/segments/${ids[0]}/suggestions`).send({ text: '<b>Dora</b>' }).expect(201);
    await ana.post(`/api/documents/small/locales/es/suggestions/${s.body.id}`).send({ accept: false }).expect(200);
    const now = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(now.body.segments[0].target).toBe('Traducción 0');
    await request(t.app).post(`/api/documents/small/locales/es/segments/${ids[0]}/suggestions`).send({ text: 'x' }).expect(401);
  });

  it('comments form a thread: question, answer, settled; shown escaped', async () => {
    const q = await ana.post(`/api/documents/small/locales/es/segments/${ids[1]}/comments`).send({ text: '¿«Commons» o «procomún»? <script>x</script>' }).expect(201);
    await bruno.post(`/api/documents/small/locales/es/segments/${ids[1]}/comments`).send({ text: 'Procomún.', thread: q.body.id }).expect(201);
    const settled = await ana.post(`/api/documents/small/locales/es/threads/${q.body.id}/resolve`).send({}).expect(200);
    expect(settled.body).toMatchObject({ resolved: true, resolvedBy: 'Ana', messages: [{ author: 'Ana' }, { author: 'Bruno', text: 'Procomún.' }] });
    const editor = await request(t.app).get('/documents/small/locales/es').expect(200);
    expect(editor.text).toContain('¿«Commons» o «procomún»? &lt;script&gt;x&lt;/script&gt;');
    await bruno.post(`/api/documents/small/locales/es/segments/${ids[1]}/comments`).send({ text: '' }).expect(400);
    await bruno.post(`/api/documents/small/locales/es/segments/${ids[1]}/comments`).send({ text: 'x', thread: 'nope' }).expect(404);
  });
});

describe('two people on the same paragraph', () => {
  it('the second save gets 409 with the other text, who saved it and the word diff; nothing is overwritten', async () => {
    const { api: dora } = await addAccount(t.app, project, 'Dora', [{ kind: 'translator', locale: 'es' }]);
    // Both opened the paragraph at revision 1.
    await ana.put(`/api/documents/small/locales/es/segments/${ids[2]}`).send({ target: 'Traducción dos, versión de Ana', baseRevision: 1 }).expect(200);
    const stale = await dora.put(`/api/documents/small/locales/es/segments/${ids[2]}`).send({ target: 'Traducción dos, versión de Dora', baseRevision: 1 }).expect(409);
    expect(stale.body.error).toMatchObject({ code: 'revision-conflict', current: { target: 'Traducción dos, versión de Ana', revision: 2, by: 'Ana' } });
    expect(stale.body.error.diff.filter((p: { removed?: boolean }) => p.removed).map((p: { value: string }) => p.value)).toEqual(['Ana']);
    expect(stale.body.error.diff.filter((p: { added?: boolean }) => p.added).map((p: { value: string }) => p.value)).toEqual(['Dora']);
    expect(project.read('locales/es/small.xlf')).toContain('Traducción dos, versión de Ana');
    // Dora merges and saves over the current revision.
    await dora.put(`/api/documents/small/locales/es/segments/${ids[2]}`).send({ target: 'Traducción dos, versión común', baseRevision: 2 }).expect(200);
  });
});

describe('presence', () => {
  it('shows who else has a paragraph open in the locale (best effort), to signed-in people only', async () => {
    const { api: dora } = await addAccount(t.app, project, 'Dora', [{ kind: 'translator', locale: 'es' }]);
    expect((await ana.post('/api/documents/small/locales/es/presence').send({ segment: ids[2] }).expect(200)).body.others).toEqual([]);
    expect((await dora.post('/api/documents/small/locales/es/presence').send({ segment: ids[3] }).expect(200)).body.others).toEqual([{ who: 'Ana', segment: ids[2] }]);
    expect((await ana.post('/api/documents/small/locales/es/presence').send({ segment: 'not-a-segment' }).expect(200)).body.others).toEqual([{ who: 'Dora', segment: ids[3] }]);
    expect((await dora.post('/api/documents/small/locales/es/presence').send({}).expect(200)).body.others).toEqual([]);
    await request(t.app).post('/api/documents/small/locales/es/presence').send({ segment: ids[2] }).expect(401);
  });
});

describe('two sessions on the same paragraph', () => {
  it('two logged-in browsers: the second save gets 409 with the first one’s text; nothing overwritten', async () => {
    const { browserAgent } = await import('./helpers/app');
    const { agent: first, csrf: c1 } = await browserAgent(t.app, 'Ana');
    const { agent: second, csrf: c2 } = await browserAgent(t.app, 'Carla');
    const put = (agent: typeof first, csrf: string, target: string) =>
      agent.put(`/api/documents/small/locales/es/segments/${ids[3]}`).set('X-CSRF-Token', csrf).send({ target, baseRevision: 0 });
    const [a, b] = await Promise.all([put(first, c1, 'Versión de Ana'), put(second, c2, 'Versión de Carla')]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? 'Versión de Ana' : 'Versión de Carla';
    expect(loser.body.error.current.target).toBe(winner);
    const now = await request(t.app).get('/api/documents/small/locales/es/segments').expect(200);
    expect(now.body.segments[3].target).toBe(winner);
  });
});
