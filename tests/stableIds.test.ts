import fc from 'fast-check';
import { assignIds, type KnownSegment } from '../server/domain/assignIds';
import { segmentDocument } from '../server/domain/segmentDocument';
import type { Segment } from '../server/domain/types';

// Random documents: distinct paragraphs of words, some of them headings or list items.
const word = fc.stringMatching(/^[a-z]{1,8}$/);
const paragraphText = fc.array(word, { minLength: 1, maxLength: 12 }).map((words) => words.join(' '));
const block = fc.record({ kind: fc.constantFrom('paragraph', 'heading', 'list-item'), text: paragraphText });
const documentBlocks = fc.uniqueArray(block, { minLength: 1, maxLength: 40, selector: (b) => b.text });

function render(blocks: { kind: string; text: string }[]): string {
  return blocks.map((b) => (b.kind === 'heading' ? `## ${b.text}` : b.kind === 'list-item' ? `- ${b.text}` : b.text)).join('\n\n') + '\n';
}

function known(segments: Segment[]): KnownSegment[] {
  return segments.map(({ id, text }) => ({ id, text }));
}

describe('stable segment ids (property tests)', () => {
  it('segmentation never loses, duplicates or reorders text', () => {
    fc.assert(
      fc.property(documentBlocks, (blocks) => {
        const doc = segmentDocument('d', render(blocks), 'markdown');
        expect(doc.segments.map((s) => s.text)).toEqual(blocks.map((b) => b.text));
        expect(doc.segments.map((s) => s.kind)).toEqual(blocks.map((b) => b.kind));
      }),
    );
  });

  it('ids are unique within a document, even for repeated paragraphs', () => {
    fc.assert(
      fc.property(fc.array(paragraphText, { minLength: 1, maxLength: 30 }), (texts) => {
        const withRepeats = [...texts, ...texts.slice(0, 5)];
        const segments = assignIds(withRepeats.map((text) => ({ kind: 'paragraph', text, translatable: true })));
        expect(new Set(segments.map((s) => s.id)).size).toBe(withRepeats.length);
      }),
    );
  });

  it('inserting, deleting and moving paragraphs never changes the ids of the others', () => {
    fc.assert(
      fc.property(
        documentBlocks,
        fc.array(block, { maxLength: 5 }),
        fc.nat(),
        fc.nat(),
        fc.nat(),
        (blocks, inserted, deleteAt, moveFrom, moveTo) => {
          const before = segmentDocument('d', render(blocks), 'markdown');
          const idOf = new Map(before.segments.map((s) => [s.text, s.id]));

          const edited = [...blocks];
          if (edited.length > 1) edited.splice(deleteAt % edited.length, 1);
          const [moved] = edited.splice(moveFrom % edited.length, 1);
          edited.splice(moveTo % (edited.length + 1), 0, moved);
          const fresh = inserted.filter((b) => !idOf.has(b.text) && !edited.some((e) => e.text === b.text));
          for (const b of fresh) edited.splice(b.text.length % (edited.length + 1), 0, b);

          const after = segmentDocument('d', render(edited), 'markdown', known(before.segments));
          for (const segment of after.segments) {
            const old = idOf.get(segment.text);
            if (old !== undefined) expect(segment.id).toBe(old);
            else expect([...idOf.values()]).not.toContain(segment.id);
          }
          expect(new Set(after.segments.map((s) => s.id)).size).toBe(after.segments.length);
        },
      ),
    );
  });

  it('never gives a new paragraph the id of a deleted one', () => {
    const v1 = segmentDocument('d', 'Alpha.\n\nBeta.\n', 'markdown');
    const v2 = segmentDocument('d', 'Alpha.\n', 'markdown', known(v1.segments));
    // The sidecar keeps what it knew, so a later paragraph with Beta's text... is Beta again,
    // but any other new paragraph gets an id no segment ever had.
    const v3 = segmentDocument('d', 'Alpha.\n\nGamma.\n', 'markdown', [...known(v2.segments), ...known(v1.segments).slice(1)]);
    expect(v3.segments[1].id).not.toBe(v1.segments[1].id);
  });
});
