/**
 * Pauses for a long loop on the server's thread: once `ms` of work has gone by since the last
 * pause, the next call gives a promise that resolves on the next turn of the event loop (else
 * undefined: no pause). Requests waiting meanwhile (saves) are served between the slices.
 *
 * A pause every so many items was not enough: a save needs several turns (its body, its batch, its
 * commit, its answer), and slices of a quarter of a second held a save for more than one second
 * while a book's checks were worked out.
 */
export function turnTaker(ms = TURN_MS): () => Promise<void> | undefined {
  let since = performance.now();
  return () => {
    if (performance.now() - since < ms) return undefined;
    return new Promise((resolve) => {
      setImmediate(() => {
        since = performance.now();
        resolve();
      });
    });
  };
}

/** The longest slice of work between two pauses (see turnTaker). */
export const TURN_MS = 10;
