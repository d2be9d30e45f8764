/**
 * The page numbers a pager links to (0-based), with `undefined` for a gap: the first and last
 * pages, and those within `around` of the current one. 1 … 4 5 [6] 7 8 … 40 rather than 40 links.
 */
export function pageNumbers(page: number, pages: number, around = 2): (number | undefined)[] {
  const shown: (number | undefined)[] = [];
  for (let n = 0; n < pages; n++) {
    if (n === 0 || n === pages - 1 || Math.abs(n - page) <= around) shown.push(n);
    else if (shown[shown.length - 1] !== undefined) shown.push(undefined);
  }
  return shown;
}
