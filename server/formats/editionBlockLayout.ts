import type { EditionBlock } from '../domain/edition';

/** An HTML element that holds blocks: lists, their items, quotes. */
export type ContainerTag = 'ul' | 'ol' | 'li' | 'blockquote';

/** A block with the containers to close and to open before it. */
export interface PlacedBlock {
  close: ContainerTag[];
  open: ContainerTag[];
  block: EditionBlock;
}

/**
 * Places a chapter's flat blocks in nested lists and quotes: which container elements to close and
 * open before each block, and which to close after the last, so that every element is closed where
 * it should be (an EPUB chapter must be well-formed XML). A list item's `level` is its list's
 * depth, a quote's its quote's depth; the model does not nest lists in quotes, nor quotes in lists.
 */
export function editionBlockLayout(blocks: readonly EditionBlock[]): { placed: PlacedBlock[]; end: ContainerTag[] } {
  const stack: ContainerTag[] = [];
  const placed: PlacedBlock[] = [];
  for (const block of blocks) {
    const close: ContainerTag[] = [];
    const open: ContainerTag[] = [];
    const pop = (): void => {
      close.push(stack.pop() as ContainerTag);
    };
    const push = (tag: ContainerTag): void => {
      stack.push(tag);
      open.push(tag);
    };
    if (block.kind === 'list-item') {
      if (stack[0] === 'blockquote') while (stack.length > 0) pop();
      const level = Math.max(1, block.level ?? 1);
      const tag = block.ordered ? 'ol' : 'ul';
      // The stack is list, item, list, item…: its depth in lists is half its length.
      while (stack.length / 2 > level) {
        pop();
        pop();
      }
      if (stack.length / 2 === level) {
        if (stack[stack.length - 2] !== tag) {
          pop();
          pop();
        } else if (!block.continued) {
          pop();
          push('li');
        }
      }
      // A list deeper than the one before it opens inside that list's open item; a level skipped
      // (an empty item in the source) gets an item of its own.
      while (stack.length / 2 < level) {
        push(stack.length / 2 + 1 === level ? tag : 'ul');
        push('li');
      }
    } else if (block.kind === 'quote') {
      if (stack[0] !== 'blockquote') while (stack.length > 0) pop();
      const level = Math.max(1, block.level ?? 1);
      while (stack.length > level) pop();
      while (stack.length < level) push('blockquote');
    } else {
      while (stack.length > 0) pop();
    }
    placed.push({ close, open, block });
  }
  return { placed, end: stack.reverse() };
}
