import { statSync, type Stats } from 'node:fs';

/**
 * Stats of files taken once per turn of the event loop, by path. A server asks whether a file
 * changed on disk at every save; the saves a turn takes arrived together, so what the file was at
 * the turn's start holds for all of them, as for requests that came a moment earlier (a hand edit,
 * another process's write, is seen from the next turn on). Forgotten at the end of the turn, and
 * by `forget` after every write of this process (one path, or all).
 */
export function statsThisTurn(): { stat(path: string): Stats | undefined; forget(path?: string): void } {
  const stats = new Map<string, Stats | undefined>();
  let forgetAtTurnEnd = false;
  return {
    stat(path) {
      if (stats.has(path)) return stats.get(path);
      const now = statSync(path, { throwIfNoEntry: false });
      stats.set(path, now);
      if (!forgetAtTurnEnd) {
        forgetAtTurnEnd = true;
        setImmediate(() => {
          forgetAtTurnEnd = false;
          stats.clear();
        });
      }
      return now;
    },
    forget(path) {
      if (path === undefined) stats.clear();
      else stats.delete(path);
    },
  };
}
