/**
 * The value `make` gives, made at the first call and kept: for what is loaded or built at its
 * first use rather than when its module loads (a package, a configured parser), so that a CLI
 * command that never uses it does not wait for it.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
