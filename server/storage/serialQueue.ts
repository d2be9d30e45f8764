/** Runs tasks one after another per key (a file path), in call order; a failing task does not block the next. */
export function serialQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const next = (tails.get(key) ?? Promise.resolve()).then(task, task);
    tails.set(key, next.catch(() => undefined));
    return next;
  };
}
