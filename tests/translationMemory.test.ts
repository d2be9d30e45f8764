import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { fuzzyScore, wordDistance } from '../server/domain/fuzzyScore';
import { sentencesOf } from '../server/domain/sentencesOf';
import { addAccount, startLocale, useTestApp } from './helpers/app';

// The translation memory a translator sees at a paragraph: what was translated anywhere in the
// project (and in imported memories), near or exact, scored and diffed, never drifted or sent-back
// text, and, for a paragraph with no good whole match, a translation assembled from its sentences.

const t = useTestApp();

const OTHER = `---
title: Another text
language: en
---

# Chapter one

The workers of Paris took the city in the spring of that year.

They burned the guillotine in front of the town hall. The people cheered.

Nobody expected the army to come back.
`;

const THIRD = `---
title: A third text
language: en
---

The workers of Lyon took the city in the summer of that year.

They burned the guillotine in front of the town hall. The crowd sang.

A paragraph with nothing in common with any other one at all.

Nobody expected the army to return so soon.
`;

type Segment = { id: string; source: string; revision: number };
const url = (doc: string, lang = 'es') => `/api/documents/${doc}/locales/${lang}/segments`;
const bySource = (segments: Segment[], start: string): Segment => {
  const found = segments.find((s) => s.source.startsWith(start));
  if (!found) throw new Error(`no paragraph starting "${start}"`);
  return found;
};

async function setUp(): Promise<{ other: Segment[]; third: Segment[] }> {
  writeFileSync(path.join(t.project.sourceDir, 'other.md'), OTHER);
  writeFileSync(path.join(t.project.sourceDir, 'third.md'), THIRD);
  const other = await startLocale(t.api, 'es', 'other');
  const third = await startLocale(t.api, 'es', 'third');
  return { other, third };
}

describe('the score and the sentences', () => {
  test('scores by words changed over the longer text, as OmegaT does; punctuation and case are not words', () => {
    expect(fuzzyScore('The people cheered.', 'The people cheered.')).toBe(100);
    expect(fuzzyScore('the people cheered', 'The people cheered.')).toBe(99);
    expect(fuzzyScore('The workers of Paris took the city in the spring of that year.', 'The workers of Lyon took the city in the summer of that year.')).toBe(85);
    expect(fuzzyScore('One two three four', 'One two')).toBe(50);
    expect(fuzzyScore('', 'Something')).toBe(0);
    // Below the floor, the length alone rules it out.
    expect(fuzzyScore('a b c d e f g h i j', 'a', 60)).toBe(0);
  });

  test('splits sentences by the language rules', () => {
    expect(sentencesOf('They burned it. The people cheered! Did they?', 'en')).toEqual(['They burned it.', 'The people cheered!', 'Did they?']);
    expect(sentencesOf('¿Quién lo quemó? Nadie lo sabe.', 'es')).toEqual(['¿Quién lo quemó?', 'Nadie lo sabe.']);
  });
});

describe('GET …/segments/:id/memory', () => {
  test('shows a near-duplicate translated in another document, with its score, the diff of the sources and where it comes from', async () => {
    const { other, third } = await setUp();
    const paris = bySource(other, 'The workers of Paris');
    await t.api.put(`${url('other')}/${paris.id}`).send({ target: 'Los obreros de París tomaron la ciudad en la primavera de aquel año.', baseRevision: 0 }).expect(200);
    const lyon = bySource(third, 'The workers of Lyon');
    const res = await t.api.get(`${url('third')}/${lyon.id}/memory`).expect(200);
    expect(res.body.matches).toEqual([
      {
        source: paris.source,
        target: 'Los obreros de París tomaron la ciudad en la primavera de aquel año.',
        score: 85,
        diff: expect.arrayContaining([{ value: 'Paris', removed: true }, { value: 'Lyon', added: true }, { value: 'spring', removed: true }, { value: 'summer', added: true }]),
        origin: { document: 'other', segment: paris.id, locale: 'es' },
        level: 'paragraph',
      },
    ]);
    // A paragraph's own translation is not a match for it; nothing near gives nothing.
    expect((await t.api.get(`${url('other')}/${paris.id}/memory`).expect(200)).body.matches).toEqual([]);
    const lonely = bySource(third, 'A paragraph with nothing');
    expect((await t.api.get(`${url('third')}/${lonely.id}/memory`).expect(200)).body.matches).toEqual([]);
  });

  test('follows every save, approval, send-back and source change: approved first, never drifted or sent-back text', async () => {
    const { other, third } = await setUp();
    const army = bySource(other, 'Nobody expected');
    const armyThird = bySource(third, 'Nobody expected');
    const lookup = async () => (await t.api.get(`${url('third')}/${armyThird.id}/memory`).expect(200)).body.matches as { target: string; score: number }[];
    expect(await lookup()).toEqual([]);
    await t.api.put(`${url('other')}/${army.id}`).send({ target: 'Nadie esperaba que el ejército volviera.', baseRevision: 0 }).expect(200);
    expect((await lookup()).map((m) => m.target)).toEqual(['Nadie esperaba que el ejército volviera.']);
    // A better translation elsewhere (the same source, approved) comes first.
    writeFileSync(path.join(t.project.sourceDir, 'fourth.md'), '---\ntitle: Four\nlanguage: en\n---\n\nNobody expected the army to come back.\n');
    const [fourth] = await startLocale(t.api, 'es', 'fourth');
    await t.api.put(`${url('fourth')}/${fourth.id}`).send({ target: 'Nadie esperaba el regreso del ejército.', baseRevision: 0 }).expect(200);
    const reviewer = await addAccount(t.app, t.project, 'rita', [{ kind: 'reviewer', locale: 'es' }]);
    await reviewer.api.post(`${url('fourth')}/${fourth.id}/approve`).send({ baseRevision: 1 }).expect(200);
    expect((await lookup()).map((m) => m.target)).toEqual(['Nadie esperaba el regreso del ejército.', 'Nadie esperaba que el ejército volviera.']);
    // Sent back: no longer offered.
    await reviewer.api.post(`${url('other')}/${army.id}/reject`).send({ baseRevision: 1, comment: 'Not quite.' }).expect(200);
    expect((await lookup()).map((m) => m.target)).toEqual(['Nadie esperaba el regreso del ejército.']);
    // The source changed under the approved one: drifted, no longer offered.
    writeFileSync(path.join(t.project.sourceDir, 'fourth.md'), '---\ntitle: Four\nlanguage: en\n---\n\nNobody at all expected the army to come back so soon.\n');
    expect(await lookup()).toEqual([]);
  });

  test('offers a translation assembled from the matches of its sentences when no whole paragraph is close', async () => {
    const { other, third } = await setUp();
    const burned = bySource(other, 'They burned');
    await t.api.put(`${url('other')}/${burned.id}`).send({ target: 'Quemaron la guillotina frente al ayuntamiento. La gente aplaudió.', baseRevision: 0 }).expect(200);
    const crowd = bySource(third, 'They burned');
    const [first] = (await t.api.get(`${url('third')}/${crowd.id}/memory`).expect(200)).body.matches;
    // The whole paragraph scores 85 (two words of thirteen); its first sentence is the same, its second one is not near
    // enough: the whole match is offered, and no assembly (it would need every sentence).
    expect(first).toMatchObject({ score: 85, level: 'paragraph', target: 'Quemaron la guillotina frente al ayuntamiento. La gente aplaudió.' });
    // Once "The crowd sang." is translated somewhere, the paragraph is made of two known sentences.
    writeFileSync(path.join(t.project.sourceDir, 'fifth.md'), '---\ntitle: Five\nlanguage: en\n---\n\nThe crowd sang.\n');
    const [sang] = await startLocale(t.api, 'es', 'fifth');
    await t.api.put(`${url('fifth')}/${sang.id}`).send({ target: 'La multitud cantó.', baseRevision: 0 }).expect(200);
    const matches = (await t.api.get(`${url('third')}/${crowd.id}/memory`).expect(200)).body.matches;
    // Better than the whole match, it comes first.
    expect(matches[0]).toMatchObject({
      source: 'They burned the guillotine in front of the town hall. The crowd sang.',
      target: 'Quemaron la guillotina frente al ayuntamiento. La multitud cantó.',
      // Assembled, it is never taken for the very text: 99 at most.
      score: 99,
      level: 'sentence',
      parts: [
        { source: 'They burned the guillotine in front of the town hall.', target: 'Quemaron la guillotina frente al ayuntamiento.', score: 100, origin: { document: 'other', segment: burned.id, locale: 'es' } },
        { source: 'The crowd sang.', target: 'La multitud cantó.', score: 100, origin: { document: 'fifth', segment: sang.id, locale: 'es' } },
      ],
    });
    expect(matches[1]).toMatchObject({ score: 85, level: 'paragraph' });
  });

  test('answers 404 for a paragraph that is not there, 400 for a bad language, and rebuilds an index it cannot read', async () => {
    // The index is made from the files: a damaged one is set aside and made again, the lookup answers as ever.
    mkdirSync(path.join(t.project.dir, '.cache'), { recursive: true });
    writeFileSync(path.join(t.project.dir, '.cache', 'memory.db'), 'not a database at all, but long enough to be read as one'.repeat(100));
    const { other, third } = await setUp();
    const paris = bySource(other, 'The workers of Paris');
    await t.api.put(`${url('other')}/${paris.id}`).send({ target: 'Los obreros de París.', baseRevision: 0 }).expect(200);
    const lyon = bySource(third, 'The workers of Lyon');
    expect((await t.api.get(`${url('third')}/${lyon.id}/memory`).expect(200)).body.matches).toEqual([expect.objectContaining({ target: 'Los obreros de París.', score: 85 })]);
    expect(existsSync(path.join(t.project.dir, '.cache', 'memory.db.broken'))).toBe(true);
    expect((await t.api.get(`${url('other')}/s00000000/memory`).expect(404)).body.error.code).toBe('segment-not-found');
    await t.api.get(`/api/documents/other/locales/xx-%3Cscript%3E/segments/s1/memory`).expect(400);
  });
});

describe('the banded distance', () => {
  test('gives the full distance whenever it is within the limit, and more than the limit otherwise', () => {
    const words = fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 40 }).map((xs) => Int32Array.from(xs));
    fc.assert(
      fc.property(words, words, fc.integer({ min: 0, max: 45 }), (a, b, limit) => {
        const full = wordDistance(a, b);
        const banded = wordDistance(a, b, limit);
        if (full <= limit) expect(banded).toBe(full);
        else expect(banded).toBeGreaterThan(limit);
      }),
      { numRuns: 2000 },
    );
  });
});
