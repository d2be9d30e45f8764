import type { Speller } from '../domain/misspeltWords';

/**
 * How long a save or a checks page waits for a spelling dictionary that is still loading (0.05-0.6 s
 * on a quiet machine; its WebAssembly runtime can take seconds more on a busy one). Past it, the
 * answer goes without the spelling check, and the dictionary goes on loading for the next ones.
 */
export const SPELLER_WAIT_MS = 3000;

/** The speller `loading` gives, if it gives one within `ms`; else (or when it fails) undefined. */
export function spellerWithin(loading: Promise<Speller | undefined> | undefined, ms = SPELLER_WAIT_MS): Promise<Speller | undefined> {
  if (!loading) return Promise.resolve(undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
    timer.unref();
  });
  return Promise.race([loading.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}
