import type { Stats } from 'node:fs';

/**
 * What a stat says of a file, enough to tell whether a cached parse is still the file on disk: an
 * edit changes its mtime or size, a replacement (a rename over it) its inode.
 */
export interface FileIdentity {
  mtimeMs: number;
  size: number;
  ino: number;
}

/** The identity of the file `stats` describe (only those fields, so it can be kept beside a cache entry). */
export function fileIdentity(stats: Stats): FileIdentity {
  return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
}

/** True when `a` and `b` describe the same file, unchanged: same mtime, size and inode. */
export function sameFile(a: FileIdentity, b: FileIdentity): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

/**
 * A file's identity as a string, for caches kept between processes (see StampedSnapshots): device,
 * inode, size, modification time and change time. Any write of the file changes its change time,
 * which nobody can set back (an edit that restores the size and the modification time included).
 */
export function fileStamp(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}
