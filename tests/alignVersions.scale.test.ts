/**
 * Aligning a book-sized document: 20,000 paragraphs (the manifesto repeated, each copy's paragraphs
 * prefixed with its number so that all are distinct), 5% of them edited and a block of 200 moved far away.
 * Structural, not a timing test: the counts and every id must come out right. It also guards the
 * near-linear design in practice, since an all-pairs comparison here would take minutes, not a second.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { alignVersions } from '../server/domain/alignVersions';
import { assignIds } from '../server/domain/assignIds';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { Block } from '../server/domain/segmentMarkdown';

const PARAGRAPHS = 20_000;
const EDIT_EVERY = 20; // 5%
const MOVED_FROM = 5_000;
const MOVED_COUNT = 200;
const MOVED_TO = 15_000;

function bookOfCopies(): Block[] {
  const manifesto = segmentDocument('m', readFileSync(join(__dirname, '..', 'source', 'communard-manifesto.md'), 'utf8'), 'markdown');
  const blocks: Block[] = [];
  for (let copy = 0; blocks.length < PARAGRAPHS; copy++) {
    for (const segment of manifesto.segments) {
      if (blocks.length < PARAGRAPHS) blocks.push({ kind: segment.kind, level: segment.level, text: `[${copy}] ${segment.text}`, translatable: segment.translatable });
    }
  }
  return blocks;
}

/** Changes the last word of a text. */
function editWord(text: string, k: number): string {
  return text.replace(/\S+$/, `changed${k}`);
}

describe('alignVersions at scale', () => {
  it('aligns 20,000 paragraphs with 5% edited and 200 moved', () => {
    const before = bookOfCopies();
    const old = assignIds(before).map(({ id, text }) => ({ id, text }));

    // The new version: every 20th paragraph edited, then paragraphs 5000-5199 moved after paragraph 15199.
    const edited = new Set<number>();
    const after = before.map((block, k) => {
      if (k % EDIT_EVERY !== 7) return { block, origin: k };
      edited.add(k);
      return { block: { ...block, text: editWord(block.text, k) }, origin: k };
    });
    const moved = after.splice(MOVED_FROM, MOVED_COUNT);
    after.splice(MOVED_TO - MOVED_COUNT, 0, ...moved);

    const result = alignVersions(
      after.map((a) => a.block),
      old,
    );

    const editedInBlock = moved.filter((a) => edited.has(a.origin)).length;
    expect(edited.size).toBe(PARAGRAPHS / EDIT_EVERY);
    expect(editedInBlock).toBe(MOVED_COUNT / EDIT_EVERY);
    expect(result.counts).toEqual({
      unchanged: PARAGRAPHS - edited.size - (MOVED_COUNT - editedInBlock),
      moved: MOVED_COUNT - editedInBlock,
      minor: 0,
      // The edited paragraphs of the moved block were moved and edited: found through the rare-word index.
      edited: edited.size,
      split: 0,
      merged: 0,
      new: 0,
      deleted: 0,
    });
    // Every paragraph keeps the id of the paragraph it came from; moved ones are exactly the unedited moved block.
    const wrong: string[] = [];
    result.segments.forEach((segment, n) => {
      const origin = after[n].origin;
      const label = edited.has(origin) ? 'edited' : origin >= MOVED_FROM && origin < MOVED_FROM + MOVED_COUNT ? 'moved' : 'unchanged';
      if (segment.id !== old[origin].id || segment.label !== label || segment.from.join() !== old[origin].id) {
        wrong.push(`#${n} (was #${origin}): ${segment.label} ${segment.id} from ${segment.from.join()}, expected ${label} ${old[origin].id}`);
      }
    });
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});
