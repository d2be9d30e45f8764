import request from 'supertest';
import { SPELLER_WAIT_MS } from '../server/application/spellerWithin';
import type { Speller } from '../server/domain/misspeltWords';
import { HunspellSpellers } from '../server/formats/hunspellSpellers';
import { addAccount, startLocale, useTestApp } from './helpers/app';

// The checks at work: messages in the interface language, errors blocking approval until fixed
// or dismissed by a reviewer, warnings dismissed by a translator, a dismissal lasting only as
// long as the text it was made for, and the locale's list of failing paragraphs.

const t = useTestApp();
const url = '/api/documents/small/locales/es';
type Segment = { id: string; source: string; revision: number };

async function setUp() {
  const segments = (await startLocale(t.api, 'es')) as Segment[];
  const linked = segments.find((s) => s.source.startsWith('The first paragraph')) as Segment;
  const last = segments.find((s) => s.source === 'The last paragraph.') as Segment;
  const translator = await addAccount(t.app, t.project, 'tina', [{ kind: 'translator', locale: 'es' }]);
  const reviewer = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
  return { linked, last, translator, reviewer };
}

describe('the checks of a translation', () => {
  test('come with their severity and a message in the interface language', async () => {
    const { linked, translator } = await setUp();
    const saved = (await translator.api.put(`${url}/segments/${linked.id}`).send({ target: 'El primer párrafo, sin enlace', baseRevision: 0 }).expect(200)).body;
    expect(saved.checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'links-differ', severity: 'error', message: 'The links differ from the source (missing: https://example.org/a; extra: ).' }),
        expect.objectContaining({ id: 'end-punctuation', severity: 'warning', message: 'The final punctuation differs from the source (. in the source, — here).' }),
      ]),
    );
    const spanish = (await request(t.app).get(`${url}/segments`).set('Accept-Language', 'es').expect(200)).body.segments.find((s: { id: string }) => s.id === linked.id);
    expect(spanish.checks.find((c: { id: string }) => c.id === 'links-differ').message).toMatch(/^Los enlaces no coinciden con el original/);
    const list = (await request(t.app).get(`${url}/checks`).expect(200)).body;
    expect(list.checks).toEqual([{ id: 'links-differ', severity: 'error', count: 1 }, { id: 'end-punctuation', severity: 'warning', count: 1 }]);
    expect(list.segments).toEqual([{ id: linked.id, checks: expect.any(Array) }]);
    // The editor's filter lists the paragraphs failing a check, with what each fails.
    const page = await request(t.app).get('/documents/small/locales/es?filter=checks').expect(200);
    expect(page.text.match(/class="unit kind-/g)).toHaveLength(1);
    expect(page.text).toContain(`id="seg-${linked.id}"`);
    expect(page.text).toMatch(/<li class="check-error" data-check="links-differ"><strong>Error:<\/strong> The links differ/);
  });

  test('an error blocks approval until a reviewer dismisses it; the dismissal lasts as long as the text', async () => {
    const { linked, translator, reviewer } = await setUp();
    await translator.api.put(`${url}/segments/${linked.id}`).send({ target: 'El primer párrafo, sin enlace.', baseRevision: 0 }).expect(200);
    const refused = (await reviewer.api.post(`${url}/segments/${linked.id}/approve`).send({ baseRevision: 1 }).expect(409)).body.error;
    expect(refused).toMatchObject({ code: 'checks-open', checks: [{ id: 'links-differ', severity: 'error' }] });
    // A translator may not dismiss an error; a reviewer may; a check that is not failing is a 404.
    expect((await translator.api.post(`${url}/segments/${linked.id}/checks/links-differ/dismiss`).send({}).expect(403)).body.error.code).toBe('reviewer-only');
    await reviewer.api.post(`${url}/segments/${linked.id}/checks/numbers-differ/dismiss`).send({}).expect(404);
    await request(t.app).post(`${url}/segments/${linked.id}/checks/links-differ/dismiss`).send({}).expect(401);
    expect((await reviewer.api.post(`${url}/segments/${linked.id}/checks/links-differ/dismiss`).send({}).expect(200)).body).toEqual({ check: 'links-differ', severity: 'error' });
    const history = (await t.api.get(`${url}/segments/${linked.id}/history`).expect(200)).body.entries;
    expect(history.at(-1)).toMatchObject({ action: 'dismiss-check', who: 'rita' });
    expect((await request(t.app).get(`${url}/checks`).expect(200)).body.checks).toEqual([]);
    // The text changes: checked again, blocked again.
    await translator.api.put(`${url}/segments/${linked.id}`).send({ target: 'El primer párrafo, aún sin enlace.', baseRevision: 1 }).expect(200);
    await reviewer.api.post(`${url}/segments/${linked.id}/approve`).send({ baseRevision: 2 }).expect(409);
    // Fixed: approved.
    await translator.api.put(`${url}/segments/${linked.id}`).send({ target: 'El primer párrafo, con un [enlace](https://example.org/a).', baseRevision: 2 }).expect(200);
    await reviewer.api.post(`${url}/segments/${linked.id}/approve`).send({ baseRevision: 3 }).expect(200);
  });

  test('a translator dismisses a warning, which does not block approval anyway', async () => {
    const { last, translator, reviewer } = await setUp();
    await translator.api.put(`${url}/segments/${last.id}`).send({ target: 'el último párrafo.', baseRevision: 0 }).expect(200);
    await translator.api.post(`${url}/segments/${last.id}/checks/capital-first/dismiss`).send({}).expect(200);
    const view = (await request(t.app).get(`${url}/segments`).expect(200)).body.segments.find((s: { id: string }) => s.id === last.id);
    expect(view.checks.map((c: { id: string }) => c.id)).toContain('capital-first'); // the paragraph still shows what the text is
    expect((await request(t.app).get(`${url}/checks`).expect(200)).body.checks).toEqual([]);
    await reviewer.api.post(`${url}/segments/${last.id}/approve`).send({ baseRevision: 1 }).expect(200);
  });

  test('spelling is checked with the dictionary of the language, and said to be skipped where there is none', async () => {
    const { last, translator } = await setUp();
    const saved = (await translator.api.put(`${url}/segments/${last.id}`).send({ target: 'El últmo párrafo.', baseRevision: 0 }).expect(200)).body;
    expect(saved.checks).toEqual([expect.objectContaining({ id: 'spelling', severity: 'warning', message: 'Possibly misspelt: últmo.' })]);
    expect((await request(t.app).get(`${url}/checks`).expect(200)).body).toMatchObject({ checks: [{ id: 'spelling', severity: 'warning', count: 1 }], skipped: [] });
    await startLocale(t.api, 'eu');
    const basque = (await request(t.app).get('/api/documents/small/locales/eu/checks').set('Accept-Language', 'es').expect(200)).body;
    expect(basque.skipped).toEqual([{ id: 'spelling', reason: 'no-dictionary', message: 'El banco de trabajo no tiene diccionario ortográfico para eu: no se comprueba la ortografía.' }]);
  });

  test('the checks page lists every failing paragraph by check, errors first; the edition lists the open errors', async () => {
    const { linked, last, translator } = await setUp();
    await translator.api.put(`${url}/segments/${linked.id}`).send({ target: 'El primer párrafo, sin enlace.', baseRevision: 0 }).expect(200);
    await translator.api.put(`${url}/segments/${last.id}`).send({ target: 'El  último <párrafo>.', baseRevision: 0 }).expect(200);
    const page = (await request(t.app).get('/documents/small/locales/es/checks').expect(200)).text;
    const order = [...page.matchAll(/<code>([a-z-]+)<\/code>/g)].map((m) => m[1]);
    expect(order[0]).toBe('links-differ');
    expect(order).toContain('double-space');
    expect(page).toContain('El  último &lt;párrafo&gt;.');
    expect(page).toMatch(/href="\/documents\/small\/locales\/es\/paragraph\/s[0-9a-f]{8}"/);
    const edition = (await request(t.app).get('/api/documents/small/locales/es/edition').expect(200)).body;
    expect(edition.openErrors).toEqual([{ id: linked.id, checks: ['links-differ'], link: expect.stringContaining(linked.id) }]);
    const editionPage = (await request(t.app).get('/documents/small/locales/es/edition').expect(200)).text;
    expect(editionPage).toContain('1 translation has a check error to fix');
  });

  test('a dictionary still loading holds a save back a few seconds at most: that save goes without spelling, the next has it', async () => {
    const load = (HunspellSpellers.prototype as unknown as { load: (name: string) => Promise<Speller> }).load;
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = jest.spyOn(HunspellSpellers.prototype as unknown as { load: (name: string) => Promise<Speller> }, 'load').mockImplementation(async function (this: HunspellSpellers, name: string) {
      await held;
      return load.call(this, name);
    });
    try {
      const [first, second] = (await startLocale(t.api, 'fr')) as Segment[];
      const started = Date.now();
      const saved = (await t.api.put(`/api/documents/small/locales/fr/segments/${first.id}`).send({ target: 'Première partte.', baseRevision: 0 }).expect(200)).body;
      expect(Date.now() - started).toBeGreaterThanOrEqual(SPELLER_WAIT_MS - 50);
      expect(saved.checks.map((c: { id: string }) => c.id)).not.toContain('spelling');
      release();
      const next = (await t.api.put(`/api/documents/small/locales/fr/segments/${second.id}`).send({ target: 'Deuxième partte.', baseRevision: 0 }).expect(200)).body;
      expect(next.checks).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'spelling', values: { words: 'partte' } })]));
      expect(slow).toHaveBeenCalledTimes(1); // one load, waited for by both
    } finally {
      slow.mockRestore();
    }
  }, 30_000);

  test('a dictionary that cannot be loaded leaves spelling unchecked and never stops a save or a page', async () => {
    const failing = jest.spyOn(HunspellSpellers.prototype as unknown as { load: () => Promise<never> }, 'load').mockRejectedValue(new Error('no WebAssembly here'));
    const quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const [first] = await startLocale(t.api, 'it');
      const saved = (await t.api.put(`/api/documents/small/locales/it/segments/${first.id}`).send({ target: 'Prima partte', baseRevision: 0 }).expect(200)).body;
      expect(saved.checks.map((c: { id: string }) => c.id)).not.toContain('spelling');
      await request(t.app).get('/documents/small/locales/it/checks').expect(200);
      expect((await request(t.app).get('/api/documents/small/locales/it/checks').expect(200)).body.skipped).toEqual([expect.objectContaining({ id: 'spelling' })]);
      expect(quiet).toHaveBeenCalledWith(expect.stringContaining('Could not load the spelling dictionary of it'));
    } finally {
      failing.mockRestore();
      quiet.mockRestore();
    }
  });
});

