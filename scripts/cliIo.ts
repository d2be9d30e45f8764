/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of standard input (or at least its first line), for --password-stdin; the real CLI reads process.stdin. */
  stdin?: () => Promise<string>;
  /** True when standard error is a terminal: long work then shows a progress line there. */
  errIsTTY?: boolean;
}

/**
 * A progress line for long work (an import, a source update, an export of a book): on a terminal,
 * one line on standard error rewritten in place, cleared at the end; elsewhere (a pipe, a log, a
 * test), nothing at all.
 */
export function progressLine(io: CliIo): { say(message: string): void; done(): void } {
  if (!io.errIsTTY) return { say: () => undefined, done: () => undefined };
  let shown = false;
  return {
    say(message) {
      io.err(`\r\x1b[K${message}`);
      shown = true;
    },
    done() {
      if (shown) io.err('\r\x1b[K');
      shown = false;
    },
  };
}
