import request from 'supertest';
import { browserAgent, useTestApp } from './helpers/app';
import { download, teamLocale, type Team } from './helpers/edition';

const t = useTestApp();
let team: Team;
beforeEach(async () => {
  team = await teamLocale(t, { translate: 4, approve: 2 });
});

const base = '/api/documents/small/locales/es';

describe('TMX', () => {
  it('exports the approved pairs only, and imports a TMX file as a memory used for matches', async () => {
    const tmx = (await download(t.api, `${base}/export/tmx`)).body;
    const text = tmx.toString('utf8');
    expect(text.match(/<tu[ >]/g)).toHaveLength(2);
    expect(text).toContain('<seg>Primera parte</seg>');
    expect(text).not.toContain('El segundo párrafo.');

    const res = await team.ana.post(`${base}/memories?name=es.tmx`).set('Content-Type', 'application/x-tmx+xml').send(tmx).expect(201);
    expect(res.body.memory).toMatchObject({ name: 'es.tmx', who: 'Ana', pairs: 2 });
    const matches = await t.api.get(`${base}/segments/${team.ids[0]}/memory`).expect(200);
    // The first answers' fields are still there (source, target, memory), with the score and where the pair comes from.
    expect(matches.body.matches).toEqual([
      { source: 'First part', target: 'Primera parte', memory: 'es.tmx', score: 100, diff: [{ value: 'First part' }], origin: { memory: 'es.tmx' }, level: 'paragraph' },
    ]);
    // "The last paragraph." has no exact match; "The second paragraph." (translated here) is one word of three away.
    const near = (await t.api.get(`${base}/segments/${team.ids[7]}/memory`).expect(200)).body.matches;
    expect(near).toEqual([expect.objectContaining({ source: 'The second paragraph.', score: 67, level: 'paragraph' })]);
    const page = await request(t.app).get('/documents/small/locales/es/edition').expect(200);
    expect(page.text).not.toContain('es.tmx'); // the list is shown to people who are logged in
  });

  it('an upload from the Edition page ends on the page\'s own address, with what was imported', async () => {
    const tmx = (await download(t.api, `${base}/export/tmx`)).body;
    const { agent, csrf } = await browserAgent(t.app);
    const sent = await agent.post(`/documents/small/locales/es/memories?_csrf=${encodeURIComponent(csrf)}`).attach('file', tmx, 'approved.tmx').expect(303);
    expect(sent.headers.location).toMatch(/^\/documents\/small\/locales\/es\/edition\?imported=[0-9a-f]{64}$/);
    expect(sent.headers.location).not.toContain('_csrf');
    const page = await agent.get(sent.headers.location).expect(200);
    expect(page.text).toContain('approved.tmx: 2 pairs remembered.');
    // An id that names no memory of the locale says nothing.
    const other = await agent.get(`/documents/small/locales/es/edition?imported=${'0'.repeat(64)}`).expect(200);
    expect(other.text).not.toContain('pairs remembered');
  });

  it('refuses a TMX with a DOCTYPE, one without pairs for this language, and anonymous uploads', async () => {
    const doctype = '<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4"><header srclang="en"/><body/></tmx>';
    expect((await team.ana.post(`${base}/memories`).set('Content-Type', 'application/xml').send(doctype).expect(400)).body.error.code).toBe('xml-doctype-forbidden');
    const french = '<?xml version="1.0"?><tmx version="1.4"><header srclang="en" creationtool="x" creationtoolversion="1" segtype="paragraph" o-tmf="x" adminlang="en" datatype="plaintext"/><body><tu><tuv xml:lang="en"><seg>First part</seg></tuv><tuv xml:lang="fr"><seg>Première partie</seg></tuv></tu></body></tmx>';
    const none = await team.ana.post(`${base}/memories`).set('Content-Type', 'application/xml').send(french).expect(422);
    expect(none.body.error.message).toMatch(/no unit with both a source text \(en\) and a translation into es/);
    await request(t.app).post(`${base}/memories`).set('Content-Type', 'application/json').send('{}').expect(401);
  });
});
