import type { EditionBlock } from '../domain/edition';

/** Where a list item's text goes when a list is written as text. */
export interface ListItemPlace {
  /** What the item's first line starts with: indentation and marker ("  - ", "10. "), or only indentation for a further paragraph. */
  lead: string;
  /** The column the item's further lines start at (under its first word). */
  indent: number;
  /** Marker-only lines for list levels that have no item of their own (an item nested deeper than the one before it). */
  skipped: string[];
  /** The item starts a list of another kind right after a list at its level (set it apart, or the two read as one). */
  newList: boolean;
}

/**
 * Numbers and indents list items written as text (Markdown, plain text): each ordered list counts
 * from 1, and a nested list starts under its parent item's text, as Markdown needs to read it back
 * as nested ("1. " is three columns wide, "10. " four).
 */
export function listMarkers(bullet: string): { item(block: EditionBlock): ListItemPlace; reset(): void } {
  const lists: { ordered: boolean; count: number; content: number }[] = [];
  return {
    reset() {
      lists.length = 0;
    },
    item(block) {
      const level = Math.max(1, block.level ?? 1);
      const ordered = block.ordered === true;
      lists.length = Math.min(lists.length, level);
      const skipped: string[] = [];
      while (lists.length < level - 1) {
        const parent = lists.length > 0 ? lists[lists.length - 1].content : 0;
        skipped.push(`${' '.repeat(parent)}${bullet}`);
        lists.push({ ordered: false, count: 1, content: parent + bullet.length + 1 });
      }
      const parent = level > 1 ? lists[level - 2].content : 0;
      let list = lists[level - 1];
      if (block.continued && list && list.ordered === ordered) return { lead: ' '.repeat(list.content), indent: list.content, skipped, newList: false };
      const newList = list !== undefined && list.ordered !== ordered;
      if (!list || list.ordered !== ordered) {
        list = { ordered, count: 0, content: 0 };
        lists[level - 1] = list;
      }
      list.count++;
      const marker = ordered ? `${list.count}.` : bullet;
      list.content = parent + marker.length + 1;
      return { lead: `${' '.repeat(parent)}${marker} `, indent: list.content, skipped, newList };
    },
  };
}
