import { createHash } from 'node:crypto';
import type { Block } from './segmentMarkdown';
import type { Segment } from './types';

/** What the sidecar remembers of a segment: enough to give it back its id next time. */
export interface KnownSegment {
  id: string;
  text: string;
}

/** A short, stable digest of a segment's text. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** textHash of the text whose UTF-8 is `bytes`, without decoding or encoding it. */
export function bytesHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Gives each block an id. A block whose text a known segment had takes that segment's id
 * (identical texts are matched in document order), wherever it now stands, so inserting,
 * deleting or moving other blocks never changes an id. Other blocks get a new id derived
 * from their text, never one that a known segment ever had.
 */
export function assignIds(blocks: Block[], known: KnownSegment[] = []): Segment[] {
  const byText = new Map<string, string[]>();
  for (const segment of known) {
    const queue = byText.get(segment.text);
    if (queue) queue.push(segment.id);
    else byText.set(segment.text, [segment.id]);
  }
  const taken = new Set(known.map((segment) => segment.id));
  const ids: (string | undefined)[] = blocks.map((block) => byText.get(block.text)?.shift());
  return blocks.map((block, index) => {
    const id = ids[index] ?? newId(block.text, taken);
    return { id, ...block };
  });
}

/** A fresh id for a text, never one in `taken` (which it then joins): `s` + hex of its sha256, extended on collision. */
export function newId(text: string, taken: Set<string>): string {
  const digest = textHash(text);
  // 8 hex digits are plenty for a book; grow the prefix, then count, only on a collision.
  for (let length = 8; length <= digest.length; length += 4) {
    const id = `s${digest.slice(0, length)}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
  for (let n = 2; ; n++) {
    const id = `s${digest.slice(0, 8)}-${n}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}
