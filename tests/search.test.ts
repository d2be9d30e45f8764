import request from 'supertest';
import { addAccount, startLocale, useTestApp } from './helpers/app';

// Search across the project (words folded, a phrase, a regular expression stopped when too slow)
// and search and replace in a language's translations, previewed, each change in the history,
// nothing saved meanwhile overwritten.

const t = useTestApp();
const segmentsUrl = '/api/documents/small/locales/es/segments';
type Segment = { id: string; source: string; revision: number };
const find = (segments: Segment[], source: string): Segment => segments.find((s) => s.source === source) as Segment;

async function translated(): Promise<Segment[]> {
  const segments = await startLocale(t.api, 'es', 'small');
  const texts: Record<string, string> = {
    'First part': 'Primera parte de la Revolución',
    'The second paragraph.': 'El segundo párrafo, sobre la revolución.',
    'The last paragraph.': 'El último párrafo.',
  };
  for (const [source, target] of Object.entries(texts)) await t.api.put(`${segmentsUrl}/${find(segments, source).id}`).send({ target, baseRevision: 0 }).expect(200);
  return segments;
}

describe('GET /api/search', () => {
  test('finds words with case and diacritics folded, a phrase, or a regular expression, with the places found and a link', async () => {
    const segments = await translated();
    const words = (await request(t.app).get('/api/search').query({ q: 'REVOLUCION', in: 'target', lang: 'es' }).expect(200)).body;
    expect(words.total).toBe(2);
    const first = words.results.find((r: { segment: string }) => r.segment === find(segments, 'First part').id);
    expect(first).toMatchObject({ document: 'small', lang: 'es', target: 'Primera parte de la Revolución', state: 'translated', matches: [[20, 30]] });
    expect(first.link).toMatch(/^\/documents\/small\/locales\/es\?section=\d+#seg-s[0-9a-f]{8}$/);
    expect('Primera parte de la Revolución'.slice(20, 30)).toBe('Revolución');
    // All the words must be there.
    expect((await request(t.app).get('/api/search').query({ q: 'revolución segundo', in: 'target', lang: 'es' }).expect(200)).body.total).toBe(1);
    // A phrase is found as it is written, folded.
    expect((await request(t.app).get('/api/search').query({ q: 'el ULTIMO párrafo', mode: 'phrase', in: 'target' }).expect(200)).body.results.map((r: { target: string }) => r.target)).toEqual(['El último párrafo.']);
    // A regular expression, case-insensitive; in the source of every document, no language named: the reader's link.
    const regex = (await request(t.app).get('/api/search').query({ q: '\\bparagraph\\.$', mode: 'regex', in: 'source' }).expect(200)).body;
    expect(regex.results.map((r: { source: string; lang: string | null }) => [r.source, r.lang])).toEqual([
      ['The second paragraph.', null],
      ['The last paragraph.', null],
    ]);
    expect(regex.results[0].link).toMatch(/^\/documents\/small\?section=\d+#seg-/);
    // Paged.
    const page = (await request(t.app).get('/api/search').query({ q: 'paragraph', in: 'source', limit: 1, offset: 1 }).expect(200)).body;
    expect(page).toMatchObject({ total: 3, results: [{ source: 'The second paragraph.' }] });
  });

  test('answers 400 for an empty query, a regular expression that does not compile or runs too long, and bad parameters', async () => {
    const segments = await translated();
    const code = async (query: Record<string, string>) => (await request(t.app).get('/api/search').query(query).expect(400)).body.error.code;
    expect(await code({ q: '' })).toBe('search-empty');
    expect(await code({ q: '   ' })).toBe('search-empty');
    expect(await code({ q: '(unclosed', mode: 'regex' })).toBe('search-bad-regex');
    expect(await code({ q: 'x', in: 'everywhere' })).toBe('invalid-query');
    expect(await code({ q: 'x', mode: 'fuzzy' })).toBe('invalid-query');
    expect(await code({ q: 'x', limit: '1000' })).toBe('invalid-query');
    expect(await code({ q: '—' })).toBe('search-no-words');
    // A catastrophic pattern is stopped, and the server answers the next request at once.
    await t.api.put(`${segmentsUrl}/${find(segments, 'Another item.').id}`).send({ target: `${'a'.repeat(40)}!`, baseRevision: 0 }).expect(200);
    const started = Date.now();
    expect(await code({ q: '^(a+)+$', mode: 'regex', in: 'target', lang: 'es' })).toBe('search-regex-too-slow');
    expect(Date.now() - started).toBeLessThan(10_000);
    await request(t.app).get('/healthz').expect(200);
    await request(t.app).get('/api/search').query({ q: 'x', lang: 'xx-<b>' }).expect(400);
  });
});

describe('POST …/replace', () => {
  test('previews each change as a word diff, then makes each one its own history entry; saved meanwhile or left empty: skipped and listed', async () => {
    const segments = await translated();
    const url = '/api/documents/small/locales/es/replace';
    const preview = (await t.api.post(url).send({ find: 'REVOLUCIÓN', replace: 'Comuna', dryRun: true }).expect(200)).body;
    expect(preview.dryRun).toBe(true);
    expect(preview.changes.map((c: { before: string; after: string }) => [c.before, c.after])).toEqual([
      ['Primera parte de la Revolución', 'Primera parte de la Comuna'],
      ['El segundo párrafo, sobre la revolución.', 'El segundo párrafo, sobre la Comuna.'],
    ]);
    expect(preview.changes[0].diff).toEqual(expect.arrayContaining([{ value: 'Revolución', removed: true }, { value: 'Comuna', added: true }]));
    // Nothing written by a preview.
    expect((await t.api.get(`${segmentsUrl}/${find(segments, 'First part').id}/history`).expect(200)).body.entries).toHaveLength(1);

    // One of them is saved by someone else after the preview: skipped, theirs kept.
    const revisions = Object.fromEntries(preview.changes.map((c: { segment: string; revision: number }) => [c.segment, c.revision]));
    const second = find(segments, 'The second paragraph.');
    await t.api.put(`${segmentsUrl}/${second.id}`).send({ target: 'El segundo párrafo, sobre la revolución de 1871.', baseRevision: 1 }).expect(200);
    const done = (await t.api.post(url).send({ find: 'revolución', replace: 'Comuna', revisions }).expect(200)).body;
    expect(done.changes.map((c: { segment: string }) => c.segment)).toEqual([find(segments, 'First part').id]);
    expect(done.skipped).toEqual([{ segment: second.id, reason: 'changed-meanwhile', message: expect.any(String) }]);
    const after = (await t.api.get(`${segmentsUrl}?limit=100`).expect(200)).body.segments as { id: string; target: string | null }[];
    expect(after.find((s) => s.id === find(segments, 'First part').id)?.target).toBe('Primera parte de la Comuna');
    expect(after.find((s) => s.id === second.id)?.target).toBe('El segundo párrafo, sobre la revolución de 1871.');
    const history = (await t.api.get(`${segmentsUrl}/${find(segments, 'First part').id}/history`).expect(200)).body.entries;
    expect(history.at(-1)).toMatchObject({ action: 'replace', who: 'admin', after: { target: 'Primera parte de la Comuna' } });

    // A regular expression with groups; a replacement that empties a translation is refused for it.
    const regex = (await t.api.post(url).send({ find: '^El (\\S+) párrafo\\.$', replace: 'Párrafo $1.', mode: 'regex', dryRun: true }).expect(200)).body;
    expect(regex.changes.map((c: { after: string }) => c.after)).toEqual(['Párrafo último.']);
    const empty = (await t.api.post(url).send({ find: 'El último párrafo.', replace: '' }).expect(200)).body;
    expect(empty.changes).toEqual([]);
    expect(empty.skipped).toEqual([{ segment: find(segments, 'The last paragraph.').id, reason: 'would-empty', message: expect.any(String) }]);
  });

  test('only translators of the language replace; a bad body is a 400', async () => {
    await translated();
    const url = '/api/documents/small/locales/es/replace';
    const reviewer = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
    await reviewer.api.post(url).send({ find: 'a', replace: 'b' }).expect(403);
    await request(t.app).post(url).send({ find: 'a', replace: 'b' }).expect(401);
    expect((await t.api.post(url).send({ find: 'a' }).expect(400)).body.error.message).toBe('"replace" is missing.');
    expect((await t.api.post(url).send({ find: '', replace: 'b' }).expect(400)).body.error.code).toBe('search-empty');
    expect((await t.api.post(url).send({ find: '(', replace: 'b', mode: 'regex' }).expect(400)).body.error.code).toBe('search-bad-regex');
  });
});
