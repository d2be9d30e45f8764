/** Where the CLI writes; tests pass their own. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** All of standard input (or at least its first line), for --password-stdin; the real CLI reads process.stdin. */
  stdin?: () => Promise<string>;
}
